package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/worker"
)

// demoVariant is an offered variant of the demo shop with its stock set to qty.
func (ts *testServer) demoVariant(t *testing.T, qty int) int64 {
	t.Helper()
	var id int64
	ts.store.ReaderDB().QueryRow(`SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id
		WHERE p.offered AND v.inventory_policy = 'deny' ORDER BY v.id LIMIT 1`).Scan(&id)
	if id == 0 {
		t.Fatal("the demo shop offers no variant")
	}
	if _, err := ts.store.WriterDB().Exec("UPDATE variants SET inventory_qty = $1 WHERE id = $2", qty, id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (ts *testServer) stockOf(variantID int64) int {
	var qty int
	ts.store.ReaderDB().QueryRow("SELECT inventory_qty FROM variants WHERE id = $1", variantID).Scan(&qty)
	return qty
}

// orderOf is the latest order of a shopper of the demo Page.
func (ts *testServer) orderOf(t *testing.T, psid string) *models.Order {
	t.Helper()
	var id int64
	ts.store.ReaderDB().QueryRow(`SELECT o.id FROM orders o JOIN shoppers s ON s.id = o.shopper_id
		WHERE s.psid = $1 ORDER BY o.id DESC LIMIT 1`, psid).Scan(&id)
	if id == 0 {
		return nil
	}
	o, err := ts.store.OrderByID(id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (ts *testServer) waitOrderStatus(t *testing.T, psid, status string) *models.Order {
	t.Helper()
	return ts.waitOrder(t, psid, "order "+status, func(o *models.Order) bool { return o.Status == status })
}

// waitOrder waits until the shopper's latest order satisfies ok, and returns it.
func (ts *testServer) waitOrder(t *testing.T, psid, what string, ok func(o *models.Order) bool) *models.Order {
	t.Helper()
	var o *models.Order
	waitUntil(t, what, func() bool {
		o = ts.orderOf(t, psid)
		return o != nil && ok(o)
	})
	return o
}

// lastPageMessage waits for a message of the Page that satisfies ok, and returns it.
func (ts *testServer) waitPageMessage(t *testing.T, psid, what string, ok func(m *messenger.Message) bool) *messenger.Message {
	t.Helper()
	var found *messenger.Message
	waitUntil(t, what, func() bool {
		for _, tm := range ts.thread(t, psid) {
			var m messenger.Message
			if tm.From == "page" && json.Unmarshal(tm.Message, &m) == nil && ok(&m) {
				found = &m
			}
		}
		return found != nil
	})
	return found
}

func isTemplate(kind string) func(m *messenger.Message) bool {
	return func(m *messenger.Message) bool {
		return m.Attachment != nil && m.Attachment.Payload.TemplateType == kind
	}
}

func buttonOf(m *messenger.Message, kind string) *messenger.Button {
	if m.Attachment == nil {
		return nil
	}
	for i, b := range m.Attachment.Payload.Buttons {
		if b.Type == kind {
			return &m.Attachment.Payload.Buttons[i]
		}
	}
	return nil
}

func (ts *testServer) tap(t *testing.T, psid, payload string) {
	t.Helper()
	body := fmt.Sprintf(`{"page_id":%q,"psid":%q,"postback":{"title":"tap","payload":%q}}`, demo.PageID, psid, payload)
	if code := ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/send", body, nil); code != 200 {
		t.Fatalf("tap %s: %d", payload, code)
	}
}

// buy taps Buy for a shopper who has not linked PayPal and returns the pay message.
func (ts *testServer) buy(t *testing.T, psid string, variant int64) *messenger.Message {
	t.Helper()
	ts.tap(t, psid, fmt.Sprintf("BUY:%d", variant))
	return ts.waitPageMessage(t, psid, "the pay button", func(m *messenger.Message) bool { return buttonOf(m, "web_url") != nil })
}

// approve approves a PayPal order as a sandbox buyer and returns where PayPal sends them back.
func (ts *testServer) approve(t *testing.T, paypalOrderID, buyer string) string {
	t.Helper()
	var out struct {
		ReturnURL string `json:"return_url"`
	}
	if code := ts.sandboxJSON(t, http.MethodPost, "/sandbox/paypal/api/approve", fmt.Sprintf(`{"order_id":%q,"buyer":%q}`, paypalOrderID, buyer), &out); code != 200 {
		t.Fatalf("approve %s: %d", paypalOrderID, code)
	}
	return out.ReturnURL
}

// pathOf is the path and query of an absolute URL of this server (its base URL names localhost).
func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.RequestURI()
}

// mentioning is the first column of query's rows whose second (a payload or a body) mentions
// needle: a search neither SQLite's instr nor PostgreSQL's strpos would do on both databases.
func (ts *testServer) mentioning(t *testing.T, needle, query string, args ...any) []string {
	t.Helper()
	rows, err := ts.store.ReaderDB().Query(models.Numbered(query), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var key string
		var body []byte
		if err := rows.Scan(&key, &body); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(body), needle) {
			out = append(out, key)
		}
	}
	return out
}

func (ts *testServer) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := ts.store.ReaderDB().QueryRow(models.Numbered(query), args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A shopper who has not linked PayPal buys through PayPal's approval page: the order holds the
// stock, its PayPal order pays the shop's merchant with our order id as custom_id, the shopper
// comes back to /pay/return, the capture's webhook pays the order, records the payment
// notification and sends the receipt.
func TestCheckoutThroughApprovalPage(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Jordan Rivera")
	variant := ts.demoVariant(t, 4)
	ts.say(t, psid, `"text":"hi"`, true)

	pay := ts.buy(t, psid, variant)
	if buttonOf(pay, "account_link") == nil || !strings.Contains(pay.Attachment.Payload.Text, "We hold it for you for 30 minutes") {
		t.Fatalf("pay message: %+v", pay.Attachment.Payload)
	}
	o := ts.orderOf(t, psid)
	if o.Status != models.OrderPending || o.PaidWith != models.PaidWithApproval || len(o.Lines) != 1 || ts.stockOf(variant) != 3 {
		t.Fatalf("order %+v, stock %d", o, ts.stockOf(variant))
	}
	pp, err := ts.payPalClient().GetOrder(context.Background(), o.PayPalOrderID)
	if err != nil || pp.PurchaseUnits[0].CustomID != o.CustomID() || pp.PurchaseUnits[0].Payee.MerchantID != demo.MerchantID {
		t.Fatalf("PayPal order: %+v %v", pp, err)
	}
	if buttonOf(pay, "web_url").URL != o.ApproveURL {
		t.Fatalf("button %q, approve URL %q", buttonOf(pay, "web_url").URL, o.ApproveURL)
	}

	back := ts.approve(t, o.PayPalOrderID, "buyer@sandbox.chatshop.test")
	if !strings.HasPrefix(pathOf(back), "/pay/return?") {
		t.Fatalf("return URL %q", back)
	}
	res := ts.browser(t).get(pathOf(back))
	if res.StatusCode != 200 || !hasTestID(res.body, "shopper-notice") || !strings.Contains(res.body, "Lakeside Supply Co.") {
		t.Fatalf("return page: %d %s", res.StatusCode, res.body)
	}
	paid := ts.waitOrderStatus(t, psid, models.OrderPaid)
	receipt := ts.waitPageMessage(t, psid, "the receipt", isTemplate("receipt")).Attachment.Payload
	if receipt.OrderNumber != paid.Number() || receipt.Currency != paid.Currency || receipt.Summary.TotalCost*100 != float64(paid.TotalMinor) ||
		len(receipt.Elements) != 1 || !strings.HasPrefix(receipt.PaymentMethod, "PayPal") || receipt.RecipientName == "" {
		t.Fatalf("receipt %+v for %+v", receipt, paid)
	}
	if ts.stockOf(variant) != 3 {
		t.Fatalf("stock %d after the payment", ts.stockOf(variant))
	}
	// The capture's own answer may pay the order before PayPal's webhook records the payment.
	waitUntil(t, "the payment notification", func() bool {
		return ts.count(t, "SELECT count(*) FROM payment_notifications WHERE capture_id = ? AND kind = 'captured'", paid.CaptureID) == 1
	})
	// Coming back again (a reload) captures nothing more and says it is paid.
	res = ts.browser(t).get(pathOf(back))
	if !strings.Contains(res.body, "is paid") || ts.count(t, "SELECT count(*) FROM sandbox_paypal_captures WHERE order_id = ?", paid.PayPalOrderID) != 1 {
		t.Fatalf("second return: %s", res.body)
	}
}

// PayPal's capture webhook may come before the shopper is back: CHECKOUT.ORDER.APPROVED makes the
// worker capture, the receipt is sent, and the shopper's return then finds the order paid, with
// no second capture.
func TestCaptureBeforeTheShopperReturns(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Jordan Rivera")
	variant := ts.demoVariant(t, 2)
	ts.buy(t, psid, variant)
	o := ts.orderOf(t, psid)

	back := ts.approve(t, o.PayPalOrderID, "buyer@sandbox.chatshop.test") // the shopper closes the tab
	paid := ts.waitOrderStatus(t, psid, models.OrderPaid)
	ts.waitPageMessage(t, psid, "the receipt", isTemplate("receipt"))

	res := ts.browser(t).get(pathOf(back))
	if res.StatusCode != 200 || !strings.Contains(res.body, "Order "+paid.Number()+" is paid") {
		t.Fatalf("late return: %d %s", res.StatusCode, res.body)
	}
	if n := ts.count(t, "SELECT count(*) FROM sandbox_paypal_captures WHERE order_id = ?", paid.PayPalOrderID); n != 1 {
		t.Fatalf("%d captures", n)
	}
	receipts := 0
	for _, tm := range ts.thread(t, psid) {
		if strings.Contains(string(tm.Message), `"template_type":"receipt"`) {
			receipts++
		}
	}
	if receipts != 1 || ts.stockOf(variant) != 1 {
		t.Fatalf("%d receipts, stock %d", receipts, ts.stockOf(variant))
	}
}

// The last item goes to one of two shoppers who tap Buy at the same moment; the other is told it
// sold out, and a double tap makes one order and one PayPal order.
func TestLastItemAndDoubleTap(t *testing.T) {
	ts := newTestServer(t)
	variant := ts.demoVariant(t, 1)
	a, b := ts.newShopper(t, "Ana"), ts.newShopper(t, "Ben")
	var wg sync.WaitGroup
	for _, psid := range []string{a, b, a} { // Ana taps twice
		wg.Add(1)
		go func() {
			defer wg.Done()
			ts.tap(t, psid, fmt.Sprintf("BUY:%d", variant))
		}()
	}
	wg.Wait()
	waitUntil(t, "both shoppers answered", func() bool {
		return ts.orderOf(t, a) != nil && ts.orderOf(t, a).PayPalOrderID != "" || ts.orderOf(t, b) != nil && ts.orderOf(t, b).PayPalOrderID != ""
	})
	winner, loser := a, b
	if ts.orderOf(t, a) == nil {
		winner, loser = b, a
	}
	ts.waitPageMessage(t, loser, "sold out", func(m *messenger.Message) bool { return strings.Contains(m.Text, "just sold out") })
	ts.waitPageMessage(t, winner, "the pay button", func(m *messenger.Message) bool { return buttonOf(m, "web_url") != nil })
	if ts.orderOf(t, loser) != nil || ts.stockOf(variant) != 0 {
		t.Fatalf("loser has an order, or stock %d", ts.stockOf(variant))
	}
	orders := ts.count(t, "SELECT count(*) FROM orders WHERE status = 'pending'")
	paypalOrders := ts.count(t, "SELECT count(*) FROM sandbox_paypal_orders")
	if orders != 1 || paypalOrders != 1 {
		t.Fatalf("%d orders, %d PayPal orders", orders, paypalOrders)
	}
	// The winner cancels: the item is back for the other.
	ts.tap(t, winner, fmt.Sprintf("CANCEL:%d", ts.orderOf(t, winner).ID))
	ts.waitOrderStatus(t, winner, models.OrderCancelled)
	if ts.stockOf(variant) != 1 {
		t.Fatalf("stock %d after the cancel", ts.stockOf(variant))
	}
	ts.tap(t, loser, fmt.Sprintf("BUY:%d", variant))
	ts.waitPageMessage(t, loser, "the pay button", func(m *messenger.Message) bool { return buttonOf(m, "web_url") != nil })
	// Someone else's order is not theirs to cancel.
	ts.tap(t, winner, fmt.Sprintf("CANCEL:%d", ts.orderOf(t, loser).ID))
	ts.waitPageMessage(t, winner, "a stale button", func(m *messenger.Message) bool { return strings.Contains(m.Text, "no longer works") })
	if ts.orderOf(t, loser).Status != models.OrderPending {
		t.Fatal("a shopper cancelled another's order")
	}
}

// A shopper from a country the shop does not sell to is told so politely, and nothing is ordered.
func TestShopperOutsideAllowedCountries(t *testing.T) {
	ts := newTestServer(t)
	var out struct{ PSID string }
	ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/shoppers", `{"page_id":"`+demo.PageID+`","name":"Amélie","locale":"fr_FR"}`, &out)
	ts.say(t, out.PSID, `"text":"hi"`, true)
	waitUntil(t, "the shopper's country", func() bool {
		return ts.count(t, "SELECT count(*) FROM shoppers WHERE psid = ? AND country = 'FR'", out.PSID) == 1
	})
	variant := ts.demoVariant(t, 5)
	m := ts.say(t, out.PSID, fmt.Sprintf(`"postback":{"title":"Buy","payload":"BUY:%d"}`, variant), true)
	if !strings.Contains(m.Text, "paying with PayPal here is open to shoppers in the United States only") {
		t.Fatalf("answer: %+v", m)
	}
	if ts.orderOf(t, out.PSID) != nil || ts.stockOf(variant) != 5 {
		t.Fatal("an order was made for a shopper from elsewhere")
	}
}

// Linking PayPal once, then paying with one tap: the Log In button opens our link page with
// Messenger's token, which sends the shopper to PayPal's consent; back from PayPal, Messenger gets
// the authorization code and the account_linking webhook links the vaulted wallet. The pending
// order is offered for one tap; Pay captures at once and the receipt follows. Unlinking deletes
// the vault token.
func TestLinkPayPalAndPayWithOneTap(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Jordan Rivera")
	variant := ts.demoVariant(t, 3)
	ts.tap(t, psid, fmt.Sprintf("BUY:%d", variant))
	pay := ts.waitPageMessage(t, psid, "the pay button", func(m *messenger.Message) bool { return buttonOf(m, "account_link") != nil })

	b := ts.linkPayPal(t, psid, buttonOf(pay, "account_link").URL)

	confirm := ts.waitPageMessage(t, psid, "the one-tap confirmation", func(m *messenger.Message) bool {
		return m.Attachment != nil && strings.Contains(m.Attachment.Payload.Text, "Pay with your PayPal account buyer@sandbox.chatshop.test?")
	})
	o := ts.orderOf(t, psid)
	if confirm.Attachment.Payload.Buttons[0].Payload != fmt.Sprintf("PAY:%d", o.ID) {
		t.Fatalf("confirmation: %+v", confirm.Attachment.Payload)
	}
	var vault string
	ts.store.ReaderDB().QueryRow("SELECT paypal_vault_id FROM shoppers WHERE psid = $1", psid).Scan(&vault)
	if vault == "" {
		t.Fatal("the shopper is not linked")
	}

	ts.tap(t, psid, fmt.Sprintf("PAY:%d", o.ID))
	ts.tap(t, psid, fmt.Sprintf("PAY:%d", o.ID)) // a double tap charges once
	paid := ts.waitOrderStatus(t, psid, models.OrderPaid)
	ts.waitPageMessage(t, psid, "the receipt", isTemplate("receipt"))
	if paid.PaidWith != models.PaidWithVault || len(ts.mentioning(t, paid.CustomID(), "SELECT c.id, o.body FROM sandbox_paypal_captures c JOIN sandbox_paypal_orders o ON o.id = c.order_id")) != 1 {
		t.Fatalf("paid %+v", paid)
	}

	// Next time: Buy asks to confirm at once. (PostgreSQL's ids may skip a number: a transaction
	// run again after a serialization failure keeps the id it drew.)
	ts.tap(t, psid, fmt.Sprintf("BUY:%d", variant))
	second := ts.waitPageMessage(t, psid, "a second confirmation", func(m *messenger.Message) bool {
		return m.Attachment != nil && strings.Contains(m.Attachment.Payload.Text, "Pay with your PayPal account") &&
			!strings.Contains(m.Attachment.Payload.Text, "Order "+o.Number())
	})
	if next := ts.orderOf(t, psid); next.ID == o.ID || !strings.Contains(second.Attachment.Payload.Text, "Order "+next.Number()) {
		t.Fatalf("second confirmation %q, for order %s", second.Attachment.Payload.Text, next.Number())
	}

	// The shopper unlinks from the chat: the vault token is deleted.
	form := url.Values{"page_id": {demo.PageID}, "psid": {psid}, "kind": {"account_unlink"}}
	if res := b.post("/sandbox/messenger/tap", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlink tap: %d", res.StatusCode)
	}
	ts.waitPageMessage(t, psid, "unlinked", func(m *messenger.Message) bool { return strings.Contains(m.Text, "is unlinked") })
	waitUntil(t, "the vault token deleted", func() bool {
		return ts.count(t, "SELECT count(*) FROM sandbox_paypal_payment_tokens WHERE id = ?", vault) == 0
	})
}

// An unpaid order past its hold expires: the stock is back, the shopper is told, and coming back
// from PayPal afterwards captures nothing.
func TestUnpaidOrderExpires(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Jordan Rivera")
	variant := ts.demoVariant(t, 2)
	ts.buy(t, psid, variant)
	o := ts.orderOf(t, psid)
	ts.approve(t, o.PayPalOrderID, "buyer@sandbox.chatshop.test")
	ts.waitEventOfType(t, "CHECKOUT.ORDER.APPROVED", o.PayPalOrderID)
	waitUntil(t, "the capture", func() bool { return ts.orderOf(t, psid).Status != models.OrderPending })
	if ts.orderOf(t, psid).Status != models.OrderPaid {
		t.Fatal("approved order not paid")
	}

	// A second order is never paid; its hold ends.
	ts.tap(t, psid, fmt.Sprintf("BUY:%d", variant))
	waitUntil(t, "the second order", func() bool { o2 := ts.orderOf(t, psid); return o2.ID != o.ID && o2.PayPalOrderID != "" })
	second := ts.orderOf(t, psid)
	ts.store.WriterDB().Exec("UPDATE orders SET expires_at = $1 WHERE id = $2", time.Now().Add(-time.Minute).UTC(), second.ID)
	err := ts.store.Transaction(context.Background(), func(tx *models.Tx) error {
		return ts.jobs.Enqueue(context.Background(), tx, worker.ExpireOrdersArgs{})
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.waitOrderStatus(t, psid, models.OrderExpired)
	ts.waitPageMessage(t, psid, "the expiry", func(m *messenger.Message) bool { return strings.Contains(m.Text, "expired before it was paid") })
	if ts.stockOf(variant) != 1 {
		t.Fatalf("stock %d after the expiry, want the paid one gone and the expired one back", ts.stockOf(variant))
	}
	lateBack := ts.approve(t, second.PayPalOrderID, "buyer@sandbox.chatshop.test")
	res := ts.browser(t).get(pathOf(lateBack))
	if !strings.Contains(res.body, "is no longer open") {
		t.Fatalf("late return: %s", res.body)
	}
	// The approval's webhook is processed without asking for a capture: the first order's is the
	// only capture call, and PayPal captured nothing of the second.
	ts.waitProcessed(t, "paypal", ts.waitEventOfType(t, "CHECKOUT.ORDER.APPROVED", second.PayPalOrderID))
	if n := ts.count(t, "SELECT count(*) FROM calls WHERE kind = 'paypal.capture_order'"); n != 1 {
		t.Fatalf("%d capture calls, want the first order's only", n)
	}
	if n := ts.count(t, "SELECT count(*) FROM sandbox_paypal_captures WHERE order_id = ?", second.PayPalOrderID); n != 0 {
		t.Fatalf("%d captures of an expired order", n)
	}
}

// buyAndPay plays a shopper who buys one of the variant and pays on PayPal's page.
func (ts *testServer) buyAndPay(t *testing.T, psid string, variant int64) *models.Order {
	t.Helper()
	ts.buy(t, psid, variant)
	back := ts.approve(t, ts.orderOf(t, psid).PayPalOrderID, "buyer@sandbox.chatshop.test")
	ts.browser(t).get(pathOf(back))
	paid := ts.waitOrderStatus(t, psid, models.OrderPaid)
	ts.waitPageMessage(t, psid, "the receipt", isTemplate("receipt"))
	return paid
}

// The owner sees the order in the dashboard and refunds part of it through PayPal; PayPal's
// PAYMENT.CAPTURE.REFUNDED tells the shopper in Messenger. More than what is left is refused.
func TestRefundFromTheDashboardTellsTheShopper(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Jordan Rivera")
	o := ts.buyAndPay(t, psid, ts.demoVariant(t, 5))
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")

	list := owner.get("/app/orders")
	if list.StatusCode != 200 || !strings.Contains(list.body, o.Number()) || !strings.Contains(list.body, "Jordan Rivera") {
		t.Fatalf("orders list: %d %s", list.StatusCode, list.body)
	}
	page := owner.get(fmt.Sprintf("/app/orders/%d", o.ID))
	if !hasTestID(page.body, "refund-form") || !strings.Contains(page.body, "buyer@sandbox.chatshop.test") {
		t.Fatalf("order page: %s", page.body)
	}
	tooMuch := owner.post(fmt.Sprintf("/app/orders/%d/refund", o.ID), url.Values{"amount": {"999.00"}})
	if tooMuch.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(tooMuch.body, "more than what is left") {
		t.Fatalf("too large a refund: %d", tooMuch.StatusCode)
	}
	ask := owner.post(fmt.Sprintf("/app/orders/%d/refund", o.ID), url.Values{"amount": {"5.00"}, "reason": {"Sorry about the scuff"}})
	if !hasTestID(ask.body, "confirm") || !strings.Contains(ask.body, "Refund $5.00 through PayPal?") {
		t.Fatalf("the refund was not confirmed first: %d", ask.StatusCode)
	}
	if n := ts.count(t, "SELECT count(*) FROM refund_requests"); n != 0 {
		t.Fatalf("asking to confirm made %d refund requests", n)
	}
	res := owner.post(fmt.Sprintf("/app/orders/%d/refund", o.ID), url.Values{"amount": {"5.00"}, "reason": {"Sorry about the scuff"}, "confirm": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refund: %d %s", res.StatusCode, res.body)
	}
	ts.waitPageMessage(t, psid, "the refund message", func(m *messenger.Message) bool {
		return strings.Contains(m.Text, "We refunded $5.00 for order "+o.Number())
	})
	waitUntil(t, "the refund recorded", func() bool {
		return strings.Contains(owner.get(fmt.Sprintf("/app/orders/%d", o.ID)).body, "Partially refunded") // PayPal's PARTIALLY_REFUNDED
	})
}

// linkPayPal plays a shopper tapping the Log In button: Messenger opens our link page with a fresh
// token, we send them to PayPal's consent, they agree, and come back to Messenger with a code.
func (ts *testServer) linkPayPal(t *testing.T, psid, buttonURL string) *browser {
	t.Helper()
	// Messenger opens the Log In button's URL with a fresh token.
	b := ts.browser(t)
	start := "/sandbox/messenger/link?" + url.Values{"page_id": {demo.PageID}, "psid": {psid}, "url": {buttonURL}}.Encode()
	res := b.get(start)
	ourPage, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || ourPage.Path != "/link/paypal" || ourPage.Query().Get("account_linking_token") == "" {
		t.Fatalf("Messenger's redirect: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res = b.get(ourPage.RequestURI())
	consent, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(consent.Path, "/sandbox/paypal/") {
		t.Fatalf("our link page: %d %s %s", res.StatusCode, res.Header.Get("Location"), res.body)
	}
	var approved struct {
		ReturnURL string `json:"return_url"`
	}
	setupToken := consent.Query().Get("approval_session_id")
	if code := ts.sandboxJSON(t, http.MethodPost, "/sandbox/paypal/api/vault/approve", fmt.Sprintf(`{"setup_token_id":%q,"buyer":"buyer@sandbox.chatshop.test"}`, setupToken), &approved); code != 200 {
		t.Fatalf("consent for %q (%s): %d", setupToken, consent, code)
	}
	res = b.get(pathOf(approved.ReturnURL))
	toMessenger, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || toMessenger.Path != "/sandbox/messenger/account_linking" || toMessenger.Query().Get("authorization_code") == "" {
		t.Fatalf("back to Messenger: %d %s %s", res.StatusCode, res.Header.Get("Location"), res.body)
	}
	if res = b.get(toMessenger.RequestURI()); res.StatusCode != 200 || !strings.Contains(res.body, "linked") {
		t.Fatalf("Messenger's linking page: %d %s", res.StatusCode, res.body)
	}

	return b
}

// The retailer unlinks a shopper's PayPal from the dashboard: the vault token is deleted and the
// shopper is told; their next Buy goes to PayPal's page.
func TestUnlinkFromTheDashboard(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Jordan Rivera")
	variant := ts.demoVariant(t, 3)
	ts.tap(t, psid, fmt.Sprintf("BUY:%d", variant))
	pay := ts.waitPageMessage(t, psid, "the pay button", func(m *messenger.Message) bool { return buttonOf(m, "account_link") != nil })
	ts.linkPayPal(t, psid, buttonOf(pay, "account_link").URL)
	var shopperID int64
	var vault string
	waitUntil(t, "the link", func() bool {
		ts.store.ReaderDB().QueryRow("SELECT id, paypal_vault_id FROM shoppers WHERE psid = $1", psid).Scan(&shopperID, &vault)
		return vault != ""
	})

	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	list := owner.get("/app/shoppers")
	if !strings.Contains(list.body, "buyer@sandbox.chatshop.test") || !hasTestID(list.body, "shopper-unlink") {
		t.Fatalf("shoppers list: %s", list.body)
	}
	if res := owner.post(fmt.Sprintf("/app/shoppers/%d/unlink", shopperID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlink: %d", res.StatusCode)
	}
	ts.waitPageMessage(t, psid, "unlinked", func(m *messenger.Message) bool { return strings.Contains(m.Text, "is unlinked") })
	waitUntil(t, "the vault token deleted", func() bool {
		return ts.count(t, "SELECT count(*) FROM sandbox_paypal_payment_tokens WHERE id = ?", vault) == 0
	})
	if ts.count(t, "SELECT count(*) FROM audit_events WHERE action = 'shopper.paypal_unlinked'") != 1 {
		t.Fatal("the unlink is not in the audit log")
	}
	ts.tap(t, psid, fmt.Sprintf("PAY:%d", ts.orderOf(t, psid).ID)) // an old one-tap button
	waitUntil(t, "PayPal's page offered again", func() bool {
		offers := 0
		for _, tm := range ts.thread(t, psid) {
			if strings.Contains(string(tm.Message), `"type":"web_url"`) {
				offers++
			}
		}
		return offers == 2
	})
}

// PayPal's review and refusal are told to the shopper: a pending capture leaves the order in
// review with its stock held, a declined one ends it and gives the stock back.
func TestPendingAndDeclinedPayments(t *testing.T) {
	ts := newTestServer(t)
	variant := ts.demoVariant(t, 4)
	for _, tc := range []struct{ buyer, status, words string }{
		{"buyer.pending@sandbox.chatshop.test", models.OrderPaymentPending, "PayPal is reviewing your payment"},
		{"buyer.declined@sandbox.chatshop.test", models.OrderPaymentDenied, "PayPal declined the payment"},
	} {
		psid := ts.newShopper(t, "Riley")
		ts.buy(t, psid, variant)
		ts.browser(t).get(pathOf(ts.approve(t, ts.orderOf(t, psid).PayPalOrderID, tc.buyer)))
		ts.waitOrderStatus(t, psid, tc.status)
		ts.waitPageMessage(t, psid, tc.words, func(m *messenger.Message) bool { return strings.Contains(m.Text, tc.words) })
	}
	if ts.stockOf(variant) != 3 {
		t.Fatalf("stock %d: the order in review holds one, the declined one gave its back", ts.stockOf(variant))
	}
}

// The link page takes only Messenger's redirect_uri and a live account_linking_token.
func TestLinkPageRefusesBadLinks(t *testing.T) {
	ts := newTestServer(t)
	b := ts.browser(t)
	messengerBack := ts.cfg.BaseURL + "/sandbox/messenger/account_linking?account_linking_token=x"
	for _, tc := range []struct {
		query string
		code  int
		words string
	}{
		{url.Values{"page": {demo.PageID}, "account_linking_token": {"ALT123"}, "redirect_uri": {"https://evil.example/steal"}}.Encode(), 400, "incomplete"},
		{url.Values{"page": {demo.PageID}, "account_linking_token": {"ALT-expired-or-forged"}, "redirect_uri": {messengerBack}}.Encode(), 400, "expired"},
		{url.Values{"page": {"999"}, "account_linking_token": {"ALT123"}, "redirect_uri": {messengerBack}}.Encode(), 404, "not taking orders"},
	} {
		res := b.get("/link/paypal?" + tc.query)
		if res.StatusCode != tc.code || !strings.Contains(res.body, tc.words) {
			t.Errorf("%s: %d, want %d %q", tc.query, res.StatusCode, tc.code, tc.words)
		}
	}
	if res := b.get("/link/paypal/return?state=nope&approval_token_id=x"); res.StatusCode != 404 {
		t.Errorf("unknown state: %d", res.StatusCode)
	}
	if res := b.get("/pay/return?token=NOPE"); res.StatusCode != 404 || !strings.Contains(res.body, "not valid") {
		t.Errorf("unknown PayPal order: %d", res.StatusCode)
	}
}
