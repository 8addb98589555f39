package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

func (ts *testServer) payPalClient() *paypal.Client {
	return paypal.NewClient(ts.cfg.PayPalAPIBase, ts.cfg.PayPalClientID, ts.cfg.PayPalClientSecret)
}

func demoOrder(custom string, experience *paypal.ExperienceContext) paypal.OrderRequest {
	usd := func(v string) paypal.Money { return paypal.Money{CurrencyCode: "USD", Value: v} }
	r := paypal.OrderRequest{Intent: "CAPTURE", PurchaseUnits: []paypal.PurchaseUnit{{
		Amount:   paypal.Amount{CurrencyCode: "USD", Value: "52.00", Breakdown: &paypal.Breakdown{ItemTotal: ptr(usd("52.00"))}},
		Payee:    &paypal.Payee{MerchantID: demo.MerchantID},
		CustomID: custom,
		Items: []paypal.Item{{Name: "Merino Crew Socks", UnitAmount: usd("18.00"), Quantity: "2", SKU: "LS-SOCK-M"},
			{Name: "Enamel Camp Mug", UnitAmount: usd("16.00"), Quantity: "1"}},
	}}}
	if experience != nil {
		r.PaymentSource = &paypal.PaymentSource{PayPal: &paypal.PayPalSource{ExperienceContext: experience}}
	}
	return r
}

func ptr[T any](v T) *T { return &v }

func issueOf(err error) string {
	var e *paypal.APIError
	if errors.As(err, &e) {
		return e.Issue()
	}
	return ""
}

// The PayPal emulator's Orders v2: create, approve on the buyer page, capture once, and the
// capture webhook reaches the app signed and is processed.
func TestSandboxOrdersCreateApproveCapture(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	pp := ts.payPalClient()

	o, err := pp.CreateOrder(ctx, "create-1", demoOrder("chatshop-order-1",
		&paypal.ExperienceContext{ReturnURL: "https://shop.example/paypal/return", CancelURL: "https://shop.example/paypal/cancel", UserAction: "PAY_NOW"}))
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != "PAYER_ACTION_REQUIRED" || len(o.ID) != 17 || !strings.Contains(o.BuyerURL(), "/sandbox/paypal/checkout/now?token="+o.ID) {
		t.Fatalf("created %+v", o)
	}
	again, err := pp.CreateOrder(ctx, "create-1", demoOrder("chatshop-order-1", nil))
	if err != nil || again.ID != o.ID {
		t.Fatalf("a retry with the same PayPal-Request-Id made %v (%v), want the same order %s", again, err, o.ID)
	}
	if _, err := pp.CaptureOrder(ctx, o.ID, "capture-early"); issueOf(err) != "ORDER_NOT_APPROVED" {
		t.Fatalf("capture before approval: %v", err)
	}

	// The buyer page: pay as the default buyer, back to the return URL with token and PayerID.
	b := ts.browser(t)
	page := b.get("/sandbox/paypal/checkout/now?token=" + o.ID)
	if page.StatusCode != 200 || !strings.Contains(page.body, "$52.00") || !strings.Contains(page.body, "Lakeside Supply Co.") {
		t.Fatalf("checkout page %d:\n%.400s", page.StatusCode, page.body)
	}
	res := b.post("/sandbox/paypal/checkout/approve", url.Values{"token": {o.ID}, "buyer": {"buyer@sandbox.chatshop.test"}})
	back, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || back.Host != "shop.example" || back.Query().Get("token") != o.ID || len(back.Query().Get("PayerID")) != 13 {
		t.Fatalf("after approval: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	got, err := pp.GetOrder(ctx, o.ID)
	if err != nil || got.Status != "APPROVED" || got.Payer == nil || got.Payer.Address.CountryCode != "US" {
		t.Fatalf("approved order %+v, %v", got, err)
	}

	captured, err := pp.CaptureOrder(ctx, o.ID, "capture-1")
	if err != nil {
		t.Fatal(err)
	}
	caps := captured.PurchaseUnits[0].Payments.Captures
	if captured.Status != "COMPLETED" || len(caps) != 1 || caps[0].Status != "COMPLETED" || caps[0].CustomID != "chatshop-order-1" || caps[0].Amount.Value != "52.00" {
		t.Fatalf("captured %+v", captured)
	}
	if replay, err := pp.CaptureOrder(ctx, o.ID, "capture-1"); err != nil || replay.PurchaseUnits[0].Payments.Captures[0].ID != caps[0].ID {
		t.Fatalf("capture retried with the same request id: %v", err)
	}
	if _, err := pp.CaptureOrder(ctx, o.ID, "capture-2"); issueOf(err) != "ORDER_ALREADY_CAPTURED" {
		t.Fatalf("second capture: %v", err)
	}
	// CHECKOUT.ORDER.APPROVED and PAYMENT.CAPTURE.COMPLETED arrive signed at /webhooks/paypal, are
	// verified, routed to the demo shop by the payee and processed.
	for _, eventType := range []string{"CHECKOUT.ORDER.APPROVED", "PAYMENT.CAPTURE.COMPLETED"} {
		key := ts.waitEventOfType(t, eventType, caps[0].ID+"|"+o.ID)
		if status := ts.waitProcessed(t, "paypal", key); status != models.EventProcessed && status != models.EventIgnored {
			t.Fatalf("%s ended %s", eventType, status)
		}
	}
	var notes int
	ts.store.ReaderDB().QueryRow("SELECT count(*) FROM payment_notifications WHERE capture_id = $1", caps[0].ID).Scan(&notes)
	if notes != 1 {
		t.Fatalf("%d payment notifications for the capture, want 1", notes)
	}
}

// waitEventOfType waits for a PayPal event of the type whose payload mentions one of the ids
// (separated by |) and returns its key.
func (ts *testServer) waitEventOfType(t *testing.T, eventType, ids string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, id := range strings.Split(ids, "|") {
			if keys := ts.mentioning(t, id, "SELECT event_key, payload FROM webhook_events WHERE provider = 'paypal' AND event_type = ?", eventType); len(keys) > 0 {
				return keys[0]
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s event within 10s", eventType)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSandboxOrdersRefuseWhatPayPalRefuses(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	pp := ts.payPalClient()
	for _, tc := range []struct {
		name  string
		edit  func(r *paypal.OrderRequest)
		issue string
	}{
		{"merchant id that is not 13 characters", func(r *paypal.OrderRequest) { r.PurchaseUnits[0].Payee.MerchantID = "SHOP-1" }, "PAYEE_ACCOUNT_INVALID"},
		{"three decimals in USD", func(r *paypal.OrderRequest) { r.PurchaseUnits[0].Amount.Value = "52.001" }, "DECIMAL_PRECISION"},
		{"total that is not the items' sum", func(r *paypal.OrderRequest) { r.PurchaseUnits[0].Amount.Value = "50.00" }, "AMOUNT_MISMATCH"},
		{"item total that is not the items' sum", func(r *paypal.OrderRequest) {
			r.PurchaseUnits[0].Amount = paypal.Amount{CurrencyCode: "USD", Value: "40.00", Breakdown: &paypal.Breakdown{ItemTotal: &paypal.Money{CurrencyCode: "USD", Value: "40.00"}}}
		}, "ITEM_TOTAL_MISMATCH"},
		{"no intent", func(r *paypal.OrderRequest) { r.Intent = "" }, "MISSING_REQUIRED_PARAMETER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := demoOrder("x", nil)
			tc.edit(&r)
			if _, err := pp.CreateOrder(ctx, "", r); issueOf(err) != tc.issue {
				t.Fatalf("got %v, want %s", err, tc.issue)
			}
		})
	}
	if _, err := pp.GetOrder(ctx, "0KD30046EH157382X"); issueOf(err) != "INVALID_RESOURCE_ID" {
		t.Fatalf("unknown order: %v", err)
	}
}

// A pending buyer's capture is PENDING, a declining buyer's is DECLINED; the control API approves.
func TestSandboxCaptureOutcomesFollowTheBuyer(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	pp := ts.payPalClient()
	for buyer, want := range map[string]string{"buyer.pending@sandbox.chatshop.test": "PENDING", "buyer.declined@sandbox.chatshop.test": "DECLINED"} {
		o, err := pp.CreateOrder(ctx, "", demoOrder("o-"+want, nil))
		if err != nil {
			t.Fatal(err)
		}
		var approved struct {
			Status  string `json:"status"`
			PayerID string `json:"payer_id"`
		}
		if code := ts.sandboxJSON(t, "POST", "/sandbox/paypal/api/approve", `{"order_id":"`+o.ID+`","buyer":"`+buyer+`"}`, &approved); code != 200 || approved.Status != "APPROVED" {
			t.Fatalf("approve: %d %+v", code, approved)
		}
		captured, err := pp.CaptureOrder(ctx, o.ID, "c-"+want)
		if err != nil || captured.PurchaseUnits[0].Payments.Captures[0].Status != want {
			t.Fatalf("%s: %+v %v", buyer, captured, err)
		}
	}
}

// paidOrder creates, approves and captures a demo order; it returns the capture id once the app
// has processed PAYMENT.CAPTURE.COMPLETED.
func (ts *testServer) paidOrder(t *testing.T, custom string) string {
	t.Helper()
	ctx := context.Background()
	pp := ts.payPalClient()
	o, err := pp.CreateOrder(ctx, "", demoOrder(custom, nil))
	if err != nil {
		t.Fatal(err)
	}
	if code := ts.sandboxJSON(t, "POST", "/sandbox/paypal/api/approve", `{"order_id":"`+o.ID+`"}`, nil); code != 200 {
		t.Fatalf("approve: %d", code)
	}
	captured, err := pp.CaptureOrder(ctx, o.ID, "capture-"+o.ID)
	if err != nil {
		t.Fatal(err)
	}
	id := captured.PurchaseUnits[0].Payments.Captures[0].ID
	ts.waitProcessed(t, "paypal", ts.waitEventOfType(t, "PAYMENT.CAPTURE.COMPLETED", id))
	return id
}

// Refunds through the emulator: the app's refund job calls it, partial then the rest, and the
// PAYMENT.CAPTURE.REFUNDED webhooks bring the payment to refunded; PayPal's refusals hold.
func TestSandboxRefundsFromTheDashboardJob(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	shop := ts.demoShop(t)
	captureID := ts.paidOrder(t, "chatshop-order-7")

	first, err := shop.RequestRefund(ctx, captureID, 2000, "One pair was the wrong size", models.Actor{}, ts.jobs.EnqueueRefund)
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the partial refund", func() bool {
		r, _ := ts.store.RefundRequestByID(ctx, first.ID)
		return r.Status == "completed" && r.PayPalRefundID != ""
	})
	pp := ts.payPalClient()
	if _, err := pp.RefundCapture(ctx, demo.MerchantID, captureID, "too-much", paypal.RefundRequest{Amount: &paypal.Money{CurrencyCode: "USD", Value: "40.00"}}); issueOf(err) != "REFUND_AMOUNT_EXCEEDED" {
		t.Fatalf("refund over what is left: %v", err)
	}
	if _, err := pp.RefundCapture(ctx, demo.MerchantID, captureID, "euro", paypal.RefundRequest{Amount: &paypal.Money{CurrencyCode: "EUR", Value: "1.00"}}); issueOf(err) != "REFUND_CAPTURE_CURRENCY_MISMATCH" {
		t.Fatalf("refund in another currency: %v", err)
	}
	rest, err := pp.RefundCapture(ctx, demo.MerchantID, captureID, "the-rest", paypal.RefundRequest{})
	if err != nil || rest.Amount.Value != "32.00" {
		t.Fatalf("refund of the rest: %+v %v", rest, err)
	}
	if again, err := pp.RefundCapture(ctx, demo.MerchantID, captureID, "the-rest", paypal.RefundRequest{}); err != nil || again.ID != rest.ID {
		t.Fatalf("the same PayPal-Request-Id made another refund: %v %v", again, err)
	}
	if _, err := pp.RefundCapture(ctx, demo.MerchantID, captureID, "more", paypal.RefundRequest{}); issueOf(err) != "CAPTURE_FULLY_REFUNDED" {
		t.Fatalf("refund of a refunded capture: %v", err)
	}
	waitUntil(t, "both refunds on the payment", func() bool {
		p, err := shop.PaymentByCapture(ctx, captureID)
		return err == nil && p.RefundedMinor == 5200
	})
}

// With the delivery switch on, every webhook arrives twice and out of order; the app still
// records each payment once.
func TestSandboxDuplicatesAndReordersDeliveries(t *testing.T) {
	ts := newTestServer(t)
	var faults struct{ Duplicate, Reorder bool }
	if code := ts.sandboxJSON(t, "POST", "/sandbox/api/delivery", `{"duplicate":true,"reorder":true}`, &faults); code != 200 || !faults.Duplicate || !faults.Reorder {
		t.Fatalf("switch: %d %+v", code, faults)
	}
	const n = 8
	for i := range n {
		body := fmt.Sprintf(`{"event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"FAULTCAPTURE%05d","status":"COMPLETED",
			"amount":{"currency_code":"USD","value":"%d.00"},"payee":{"merchant_id":"%s"}}}`, i, 10+i, demo.MerchantID)
		if code := ts.sandboxJSON(t, "POST", "/sandbox/paypal/api/webhooks", body, nil); code != http.StatusAccepted {
			t.Fatalf("webhook %d: %d", i, code)
		}
	}
	count := func(query string) int {
		var c int
		ts.store.ReaderDB().QueryRow(query).Scan(&c)
		return c
	}
	waitUntil(t, "every delivery twice", func() bool {
		return len(ts.mentioning(t, "FAULTCAPTURE", "SELECT id, body FROM webhook_deliveries WHERE provider = 'paypal'")) == 2*n
	})
	waitUntil(t, "every payment once", func() bool {
		return count("SELECT count(*) FROM payments WHERE capture_id LIKE 'FAULTCAPTURE%'") == n &&
			len(ts.mentioning(t, "FAULTCAPTURE", "SELECT id, payload FROM webhook_events WHERE provider = 'paypal' AND status = 'processed'")) == n
	})
	if notes := count("SELECT count(*) FROM payment_notifications WHERE capture_id LIKE 'FAULTCAPTURE%'"); notes != n {
		t.Fatalf("%d payment notifications, want %d", notes, n)
	}
}
