package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// The buyer's address on PayPal comes back with the payment: PayPal's order carries it as
// purchase_units[].shipping, the order keeps it, and the order page, the packing slip and the
// orders export show it. Before the payment there is none, and no packing slip.
func TestPaidOrderKnowsWhereToShip(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)

	psid := ts.newShopper(t, "Camille Tremblay")
	variant := ts.demoVariant(t, 2)
	ts.buy(t, psid, variant)
	unpaid := ts.orderOf(t, psid)
	if page := owner.page(fmt.Sprintf("/app/orders/%d", unpaid.ID)); !hasTestID(page, "order-no-ship-to") || hasTestID(page, "packing-slip-link") {
		t.Fatal("an unpaid order shows an address or a packing slip")
	}
	if res := owner.get(fmt.Sprintf("/app/orders/%d/packing-slip", unpaid.ID)); res.StatusCode != 404 {
		t.Fatalf("packing slip of an unpaid order: %d", res.StatusCode)
	}

	back := ts.approve(t, unpaid.PayPalOrderID, "buyer.ca@sandbox.chatshop.test")
	ts.browser(t).get(pathOf(back))
	// The capture's webhook may pay the order before the capture's answer, which names the address, is applied.
	paid := ts.waitOrder(t, psid, "a paid order with an address", func(o *models.Order) bool {
		return o.Status == models.OrderPaid && !o.ShipTo.Empty()
	})
	want := models.ShippingAddress{Name: "Camille Tremblay", Line1: "1250 Rue Sainte-Catherine", City: "Montréal", Region: "QC",
		PostalCode: "H3B 1K6", Country: "CA"}
	if paid.ShipTo != want {
		t.Fatalf("the order ships to %+v, want %+v", paid.ShipTo, want)
	}
	pp, err := ts.payPalClient().GetOrder(context.Background(), paid.PayPalOrderID)
	if err != nil || pp.PurchaseUnits[0].Shipping == nil || pp.PurchaseUnits[0].Shipping.Address.PostalCode != "H3B 1K6" {
		t.Fatalf("PayPal's order: %+v %v", pp, err)
	}

	page := owner.page(fmt.Sprintf("/app/orders/%d", paid.ID))
	for _, line := range []string{"Camille Tremblay", "1250 Rue Sainte-Catherine", "Montréal QC H3B 1K6"} {
		if !strings.Contains(page, line) || !hasTestID(page, "order-ship-to") {
			t.Fatalf("the order page lacks %q", line)
		}
	}
	slip := owner.page(fmt.Sprintf("/app/orders/%d/packing-slip", paid.ID))
	if !hasTestID(slip, "packing-slip-address") || !strings.Contains(slip, "Montréal QC H3B 1K6") || !strings.Contains(slip, paid.Number()) ||
		strings.Contains(slip, paid.Total().String()) {
		t.Fatal("the packing slip lacks the address or the order number, or shows the price")
	}
	export := owner.page("/app/orders/export")
	if !strings.Contains(export, "Ship to postal code") || !strings.Contains(export, "Camille Tremblay,1250 Rue Sainte-Catherine,,Montréal,QC,H3B 1K6,CA") {
		t.Fatalf("the export lacks the address:\n%s", export)
	}
}

// A one-tap payment with the linked PayPal account brings the buyer's address too.
func TestOneTapPaymentKnowsWhereToShip(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Jordan Rivera")
	variant := ts.demoVariant(t, 2)
	ts.tap(t, psid, fmt.Sprintf("BUY:%d", variant))
	pay := ts.waitPageMessage(t, psid, "the pay button", func(m *messenger.Message) bool { return buttonOf(m, "account_link") != nil })
	ts.linkPayPal(t, psid, buttonOf(pay, "account_link").URL)
	ts.waitPageMessage(t, psid, "the one-tap confirmation", func(m *messenger.Message) bool {
		return m.Attachment != nil && strings.Contains(m.Attachment.Payload.Text, "Pay with your PayPal account")
	})
	ts.tap(t, psid, fmt.Sprintf("PAY:%d", ts.orderOf(t, psid).ID))
	paid := ts.waitOrder(t, psid, "a paid order with an address", func(o *models.Order) bool {
		return o.Status == models.OrderPaid && !o.ShipTo.Empty()
	})
	if paid.PaidWith != models.PaidWithVault || paid.ShipTo.PostalCode != "95131" || paid.ShipTo.Name != "Jordan Rivera" {
		t.Fatalf("one-tap order %+v", paid)
	}
}
