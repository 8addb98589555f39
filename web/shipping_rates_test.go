package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// The owner sets a flat rate for the United States; a shopper there buys (the bot's tests show the
// rate before Buy): the order
// and PayPal's order carry it (amount.breakdown.shipping), and the receipt's summary and the
// order page show it. A bad amount saves nothing.
func TestShippingRates(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)
	if res := owner.post("/app/settings/shipping", url.Values{"rate_US": {"5.00"}, "free_US": {"five"}}); res.StatusCode != 422 ||
		!strings.Contains(res.body, "Nothing was saved") {
		t.Fatalf("a bad amount: %d", res.StatusCode)
	}
	if n := countRows(t, ts, "shipping_rates"); n != 0 {
		t.Fatalf("a refused form saved %d rates", n)
	}
	if res := owner.post("/app/settings/shipping", url.Values{"rate_US": {"5.00"}, "free_US": {"1000.00"}}); res.StatusCode != 303 {
		t.Fatalf("save: %d", res.StatusCode)
	}
	if page := owner.page("/app/settings/shipping"); !strings.Contains(page, `value="5.00"`) || !strings.Contains(page, `value="1000.00"`) {
		t.Fatal("the rates do not show again")
	}

	psid := ts.newShopper(t, "Jo Shipping")
	ts.say(t, psid, `"text":"hi"`, true)
	waitUntil(t, "the shopper's country from their locale", func() bool {
		var country string
		ts.store.ReaderDB().QueryRow("SELECT country FROM shoppers WHERE psid = $1", psid).Scan(&country)
		return country == "US"
	})
	variant := ts.demoVariant(t, 2)
	ts.buy(t, psid, variant)
	unpaid := ts.orderOf(t, psid)
	if unpaid.ShippingMinor != 500 || unpaid.TotalMinor != unpaid.ItemsMinor()+500 {
		t.Fatalf("the order's shipping %d of %d", unpaid.ShippingMinor, unpaid.TotalMinor)
	}
	ts.waitPageMessage(t, psid, "the order with its shipping", func(m *messenger.Message) bool {
		return m.Attachment != nil && strings.Contains(m.Attachment.Payload.Text, unpaid.Total().String()+" with $5.00 shipping")
	})
	pp, err := ts.payPalClient().GetOrder(context.Background(), unpaid.PayPalOrderID)
	if err != nil || pp.PurchaseUnits[0].Amount.Value != strings.TrimPrefix(unpaid.Total().String(), "$") {
		t.Fatalf("PayPal's order: %+v %v", pp, err)
	}
	ts.browser(t).get(pathOf(ts.approve(t, unpaid.PayPalOrderID, "")))
	paid := ts.waitOrderStatus(t, psid, models.OrderPaid)
	receipt := ts.waitPageMessage(t, psid, "the receipt", func(m *messenger.Message) bool {
		return m.Attachment != nil && m.Attachment.Payload.TemplateType == "receipt"
	})
	if s := receipt.Attachment.Payload.Summary; s.ShippingCost != 5 || s.TotalCost != float64(paid.TotalMinor)/100 {
		t.Fatalf("the receipt's summary: %+v", s)
	}
	if page := owner.page(fmt.Sprintf("/app/orders/%d", paid.ID)); !strings.Contains(page, `data-testid="order-shipping">$5.00`) {
		t.Fatal("the order page lacks the shipping")
	}
}
