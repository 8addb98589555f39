package e2e

import (
	"strings"
	"testing"
	"time"
)

// After the payment: the retailer sets a shipping rate; a shopper pays on PayPal's page; the
// retailer finds the order in the To ship queue with the buyer's address and the shipping
// charged, records the parcel with the carrier and the tracking number; PayPal takes the tracker,
// and the shopper's thread shows the update with the carrier's link.
func TestRetailerShipsAPaidOrder(t *testing.T) {
	srv := startServer(t, "")
	b := newBrowser(t).CancelTimeout().Timeout(3 * time.Minute) // a long journey
	// The retailer charges $4.00 to ship to the United States.
	owner := openAsOwner(t, b, srv.URL, "/app/settings/shipping")
	owner.MustElement(`[data-testid="shipping-rate-US"]`).MustInput("4.00")
	clickAndWait(owner, "shipping-save")
	screenshot(t, owner, "settings-shipping")

	p := b.MustPage("")
	startChat(t, p, srv.URL, "Jordan Rivera")
	chooseProduct(t, p)
	tapLast(t, p, "chat-tap-BUY:")
	waitThread(t, p, "We hold it for you for 30 minutes")
	p.MustNavigate(payPalLink(t, p)).MustWaitLoad()
	clickAndWait(p, "checkout-pay")
	clickAndWait(p, "notice-back")
	if !appears(p, `[data-testid="chat-receipt"]`, 15*time.Second) {
		t.Fatalf("no receipt in the thread: %s", p.MustElement("body").MustText())
	}
	chat := p.MustInfo().URL

	owner.MustNavigate(srv.URL + "/app/orders?view=to_ship").MustWaitLoad()
	screenshot(t, owner, "orders-to-ship")
	clickAndWait(owner, "order-link")
	if got := owner.MustElement(`[data-testid="order-ship-to"]`).MustText(); !strings.Contains(got, "2211 North First Street") {
		t.Fatalf("the order ships to %q", got)
	}
	if got := owner.MustElement(`[data-testid="order-shipping"]`).MustText(); got != "$4.00" {
		t.Fatalf("the order charged %q for shipping", got)
	}
	owner.MustElement(`[data-testid="ship-carrier"]`).MustSelect("UPS")
	owner.MustElement(`[data-testid="ship-tracking"]`).MustInput("1Z999AA10123456784")
	screenshot(t, owner, "order-ship-form")
	clickAndWait(owner, "ship-submit")
	if got := owner.MustElement(`[data-testid="order-fulfilment"]`).MustText(); got != "Shipped" {
		t.Fatalf("the order's fulfilment reads %q", got)
	}
	waitFor(t, "PayPal to take the tracker", func() bool {
		owner.MustReload().MustWaitLoad()
		has, el, _ := owner.Has(`[data-testid="shipment-paypal"]`)
		return has && strings.Contains(el.MustText(), "PayPal has it")
	})
	screenshot(t, owner, "order-shipped")

	p.MustNavigate(chat).MustWaitLoad()
	waitThread(t, p, "1Z999AA10123456784")
	if !appears(p, `[data-testid="chat-link-web_url"][href^="https://www.ups.com/track"]`, 10*time.Second) {
		t.Fatalf("the update has no tracking link: %s", p.MustElement(`[data-testid="chat-thread"]`).MustText())
	}
	screenshot(t, p, "chat-shipped")
}
