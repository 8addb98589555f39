package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// shippableOrder is a paid order of a new shopper, paid on PayPal's page.
func (ts *testServer) shippableOrder(t *testing.T, name string) (psid string, o *models.Order) {
	t.Helper()
	psid = ts.newShopper(t, name)
	ts.buy(t, psid, ts.demoVariant(t, 2))
	unpaid := ts.orderOf(t, psid)
	ts.browser(t).get(pathOf(ts.approve(t, unpaid.PayPalOrderID, "")))
	return psid, ts.waitOrder(t, psid, "a paid order with an address", func(o *models.Order) bool {
		return o.Status == models.OrderPaid && !o.ShipTo.Empty()
	})
}

// shipForm is the ship form of an order: the carrier, the tracking number, all of each line.
func shipForm(o *models.Order, carrierCode, tracking string) url.Values {
	form := url.Values{"carrier": {carrierCode}, "tracking_number": {tracking}}
	for _, l := range o.Lines {
		form.Set(fmt.Sprintf("quantity_%d", l.ID), fmt.Sprint(l.Quantity))
	}
	return form
}

// The retailer ships a paid order: the order moves to shipped and leaves the To ship queue,
// PayPal's order carries the tracker, and the shopper, who wrote minutes ago, gets the update in
// Messenger (UPDATE) with a button to the carrier's page. The timeline says all of it.
func TestShipAnOrder(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)
	psid, o := ts.shippableOrder(t, "Ada Shipwright")
	orderPage := fmt.Sprintf("/app/orders/%d", o.ID)

	toShip := owner.page("/app/orders?view=to_ship")
	if !strings.Contains(toShip, o.Number()) || !hasTestID(owner.page(orderPage), "ship-form") {
		t.Fatal("a paid order is not in the To ship view, or has no ship form")
	}
	if res := owner.post(orderPage+"/ship", shipForm(o, "UPS", "1Z999AA10123456784")); res.StatusCode != 303 {
		t.Fatalf("ship: %d %s", res.StatusCode, res.body)
	}
	shipped := ts.waitOrder(t, psid, "a shipped order", func(o *models.Order) bool { return o.Fulfilment == models.FulfilmentShipped })
	if shipped.Status != models.OrderPaid {
		t.Fatalf("shipping changed the payment status to %s", shipped.Status)
	}
	if strings.Contains(owner.page("/app/orders?view=to_ship"), o.Number()) || !strings.Contains(owner.page("/app/orders?view=shipped"), o.Number()) {
		t.Fatal("a shipped order is still to ship, or not in the Shipped view")
	}

	update := ts.waitPageMessage(t, psid, "the shipping update", func(m *messenger.Message) bool {
		return m.Attachment != nil && strings.Contains(m.Attachment.Payload.Text, "1Z999AA10123456784")
	})
	if b := buttonOf(update, "web_url"); b == nil || b.URL != "https://www.ups.com/track?tracknum=1Z999AA10123456784" {
		t.Fatalf("the update's button: %+v", update)
	}
	for _, tm := range ts.thread(t, psid) {
		if strings.Contains(string(tm.Message), "1Z999AA10123456784") && tm.MessagingType != messenger.MessagingUpdate {
			t.Fatalf("the update went as %q", tm.MessagingType)
		}
	}

	var trackerID string
	waitUntil(t, "PayPal's tracker", func() bool {
		pp, err := ts.payPalClient().GetOrder(context.Background(), o.PayPalOrderID)
		if err != nil || pp.PurchaseUnits[0].Shipping == nil {
			return false
		}
		if tr := pp.TrackerOf(o.CaptureID, "1Z999AA10123456784"); tr != nil && tr.Status == "SHIPPED" {
			trackerID = tr.ID
			return len(tr.Items) == 1 && tr.Items[0].Quantity == "1"
		}
		return false
	})
	page := owner.page(orderPage)
	for _, want := range []string{"PayPal has it", "The shopper was told in Messenger", "Shipped with UPS 1Z999AA10123456784"} {
		if !strings.Contains(page, want) {
			t.Errorf("the order page lacks %q", want)
		}
	}
	if hasTestID(page, "ship-form") {
		t.Error("a fully shipped order still offers the ship form")
	}

	// A second shipment of a fully shipped order is refused and changes nothing.
	res := owner.post(orderPage+"/ship", shipForm(o, "FEDEX", "999"))
	if res.StatusCode != 422 || !strings.Contains(res.body, "Every item of this order has shipped already") {
		t.Fatalf("a second shipment: %d", res.StatusCode)
	}

	// Delivered, then cancelled: the tracker is cancelled at PayPal and the order is to ship again.
	var shipmentID int64
	if err := ts.store.ReaderDB().QueryRow("SELECT id FROM shipments WHERE order_id = $1", o.ID).Scan(&shipmentID); err != nil {
		t.Fatal(err)
	}
	owner.post(fmt.Sprintf("%s/shipments/%d/delivered", orderPage, shipmentID), nil)
	ts.waitOrder(t, psid, "a delivered order", func(o *models.Order) bool { return o.Fulfilment == models.FulfilmentDelivered })
	owner.post(fmt.Sprintf("%s/shipments/%d/cancel", orderPage, shipmentID), nil)
	waitUntil(t, "PayPal's tracker cancelled", func() bool {
		pp, err := ts.payPalClient().GetOrder(context.Background(), o.PayPalOrderID)
		tr := pp.TrackerOf(o.CaptureID, "1Z999AA10123456784")
		return err == nil && tr != nil && tr.ID == trackerID && tr.Status == "CANCELLED"
	})
	if again := ts.orderOf(t, psid); again.Fulfilment != models.FulfilmentNone || !strings.Contains(owner.page("/app/orders?view=to_ship"), o.Number()) {
		t.Fatalf("a cancelled shipment leaves the order %q", again.Fulfilment)
	}
	if !hasTestID(owner.page(orderPage), "ship-form") {
		t.Fatal("the order to ship again has no ship form")
	}
	// PayPal keeps the cancelled tracker of that number: the parcel needs its own.
	if res := owner.post(orderPage+"/ship", shipForm(o, "UPS", "1Z999AA10123456784")); res.StatusCode != 422 ||
		!strings.Contains(res.body, "already has a shipment with this tracking number") {
		t.Fatalf("the cancelled shipment's number again: %d", res.StatusCode)
	}
}

// Bad shipments get a clear message and record nothing: no carrier name, no tracking number,
// more than was ordered, nothing at all, an unpaid order.
func TestShipmentRefusals(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)
	_, o := ts.shippableOrder(t, "Bea Refused")
	orderPage := fmt.Sprintf("/app/orders/%d", o.ID)
	line := fmt.Sprintf("quantity_%d", o.Lines[0].ID)
	for _, c := range []struct {
		change func(url.Values)
		want   string
	}{
		{func(f url.Values) { f.Set("carrier", "OTHER") }, "Name the carrier."},
		{func(f url.Values) { f.Set("carrier", "NOT_A_CARRIER") }, "Choose the carrier."},
		{func(f url.Values) { f.Set("tracking_number", "") }, "Enter the tracking number"},
		{func(f url.Values) { f.Set("tracking_number", strings.Repeat("9", 65)) }, "Enter the tracking number"},
		{func(f url.Values) { f.Set(line, "2") }, "more than is left to ship"},
		{func(f url.Values) { f.Set(line, "0") }, "Choose at least one item"},
		{func(f url.Values) { f.Set(line, "one") }, "as a whole number"},
	} {
		form := shipForm(o, "USPS", "9400111899223197428490")
		c.change(form)
		res := owner.post(orderPage+"/ship", form)
		if res.StatusCode != 422 || !strings.Contains(res.body, c.want) || !hasTestID(res.body, "ship-problem") {
			t.Errorf("%v: %d, want the message %q", form, res.StatusCode, c.want)
		}
	}
	var n int
	ts.store.ReaderDB().QueryRow("SELECT count(*) FROM shipments").Scan(&n)
	if n != 0 {
		t.Fatalf("refused shipments recorded %d rows", n)
	}

	psid := ts.newShopper(t, "Cal Unpaid")
	ts.buy(t, psid, ts.demoVariant(t, 2))
	unpaid := ts.orderOf(t, psid)
	if res := owner.post(fmt.Sprintf("/app/orders/%d/ship", unpaid.ID), shipForm(unpaid, "USPS", "1")); res.StatusCode != 422 ||
		!strings.Contains(res.body, "Only a paid order ships") {
		t.Fatalf("shipping an unpaid order: %d", res.StatusCode)
	}
}

// A carrier PayPal does not list goes as OTHER with its name; a shopper who last wrote more than
// 24 hours ago is not sent an ordinary message (Messenger would refuse it), and without an
// approved utility template nothing goes: the order says so.
func TestShipWithAnotherCarrierOutsideTheWindow(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)
	psid, o := ts.shippableOrder(t, "Dee Faraway")
	if _, err := ts.store.WriterDB().Exec("UPDATE shoppers SET last_inbound_at = $1 WHERE psid = $2", time.Now().Add(-30*time.Hour).UTC(), psid); err != nil {
		t.Fatal(err)
	}
	form := shipForm(o, "OTHER", "BB-42")
	form.Set("other_carrier", "Bob's Bike Couriers")
	if res := owner.post(fmt.Sprintf("/app/orders/%d/ship", o.ID), form); res.StatusCode != 303 {
		t.Fatalf("ship: %d %s", res.StatusCode, res.body)
	}
	waitUntil(t, "the shipment's outcome", func() bool {
		page := owner.page(fmt.Sprintf("/app/orders/%d", o.ID))
		return strings.Contains(page, "PayPal has it") && strings.Contains(page, "The shopper could not be told: The shopper last wrote more than 24 hours ago, and Meta has not approved")
	})
	pp, err := ts.payPalClient().GetOrder(context.Background(), o.PayPalOrderID)
	if err != nil || pp.TrackerOf(o.CaptureID, "BB-42") == nil {
		t.Fatalf("PayPal's order has no tracker: %v", err)
	}
	for _, tm := range ts.thread(t, psid) {
		if strings.Contains(string(tm.Message), "BB-42") {
			t.Fatal("the shopper was messaged outside the window")
		}
	}
}

// An "item not received" dispute on a shipped order offers the parcel's carrier and tracking
// number as its evidence, filled in.
func TestDisputeEvidenceOffersTheShipment(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)
	psid, o := ts.shippableOrder(t, "Eve Waiting")
	if res := owner.post(fmt.Sprintf("/app/orders/%d/ship", o.ID), shipForm(o, "FEDEX", "449044304137821")); res.StatusCode != 303 {
		t.Fatalf("ship: %d", res.StatusCode)
	}
	ts.waitOrder(t, psid, "a shipped order", func(o *models.Order) bool { return o.Fulfilment == models.FulfilmentShipped })
	d := ts.recordDispute(t, o.ShopID, "PP-D-SHIPPED", o.CustomID(), 72*time.Hour)
	admin := ts.browser(t)
	admin.signIn(demo.AdminEmail, demo.AdminPassword)
	page := admin.page(fmt.Sprintf("/admin/disputes/%d", d.ID))
	if !strings.Contains(page, `value="FedEx" data-testid="evidence-carrier"`) || !strings.Contains(page, `value="449044304137821" data-testid="evidence-tracking"`) {
		t.Fatal("the evidence form does not offer the shipment")
	}
}

// The sandbox's clock moves a conversation 30 hours back without the app knowing, as time passing
// would: the app's shipping update (UPDATE) is refused by Messenger and, without an approved
// utility template, the order says the shopper could not be told, in Messenger's words, instead
// of claiming they were.
func TestShippingUpdateRefusedOutsideTheWindow(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)
	psid, o := ts.shippableOrder(t, "Fay Later")
	var moved struct {
		Moved int    `json:"moved"`
		Last  string `json:"last_shopper_message_at"`
	}
	if code := ts.sandboxJSON(t, "POST", "/sandbox/messenger/api/clock", fmt.Sprintf(`{"page_id":%q,"psid":%q,"hours":30}`, demo.PageID, psid), &moved); code != 200 || moved.Moved == 0 {
		t.Fatalf("clock: %d %+v", code, moved)
	}
	if last, err := time.Parse(time.RFC3339, moved.Last); err != nil || time.Since(last) < 30*time.Hour {
		t.Fatalf("the shopper last wrote at %q", moved.Last)
	}
	if res := owner.post(fmt.Sprintf("/app/orders/%d/ship", o.ID), shipForm(o, "USPS", "9400111899223197428490")); res.StatusCode != 303 {
		t.Fatalf("ship: %d", res.StatusCode)
	}
	waitUntil(t, "the refusal on the order", func() bool {
		return strings.Contains(owner.page(fmt.Sprintf("/app/orders/%d", o.ID)), "The shopper could not be told: More than 24 hours have passed")
	})
	if code := ts.sandboxJSON(t, "POST", "/sandbox/messenger/api/clock", `{"psid":"nobody","hours":30}`, nil); code != 404 {
		t.Fatalf("the clock of an unknown shopper: %d", code)
	}
	if code := ts.sandboxJSON(t, "POST", "/sandbox/messenger/api/clock", fmt.Sprintf(`{"psid":%q,"hours":-1}`, psid), nil); code != 422 {
		t.Fatalf("a negative clock: %d", code)
	}
}
