package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
)

// The chat's thread reloads itself every second, so a button found a moment ago may be gone: the
// helpers below look again until the click lands.

// tapLast taps the newest button of the thread whose test id starts with prefix (a payload kind
// such as "chat-tap-BUY:") and waits for the page it leads to. A tap that lands while the thread
// is being replaced leads nowhere; it is tried again.
func tapLast(t *testing.T, p *rod.Page, prefix string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		els, _ := p.Elements(`[data-testid^="` + prefix + `"]`)
		if len(els) == 0 {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		p.MustEval(`() => { window.beforeTap = true }`)
		if _, err := els[len(els)-1].Eval(`() => this.click()`); err == nil && navigated(p, 15*time.Second) {
			return
		}
	}
	t.Fatalf("could not tap %s in the thread: %s", prefix, p.MustElement("body").MustText())
}

// waitThread waits until the thread shows text.
func waitThread(t *testing.T, p *rod.Page, text string) {
	t.Helper()
	waitFor(t, "the thread to show "+text, func() bool {
		el, err := p.Element(`[data-testid="chat-thread"]`)
		if err != nil {
			return false
		}
		got, err := el.Text()
		return err == nil && strings.Contains(got, text)
	})
}

// startChat makes a sandbox shopper and says hi to the demo Page.
func startChat(t *testing.T, p *rod.Page, baseURL, name string) {
	t.Helper()
	p.MustNavigate(baseURL + "/sandbox/messenger").MustWaitLoad()
	p.MustElement(`[data-testid="shopper-name"]`).MustInput(name)
	clickAndWait(p, "shopper-create")
	p.MustElement(`[data-testid="chat-text"]`).MustInput("Hi!")
	clickAndWait(p, "chat-send")
	waitThread(t, p, "Welcome to Lakeside Supply Co.")
}

// chooseProduct browses, opens the last card and picks the first value of each option,
// until the Buy button shows.
func chooseProduct(t *testing.T, p *rod.Page) {
	t.Helper()
	tapLast(t, p, "chat-tap-BROWSE")
	if !appears(p, `[data-testid="chat-card"]`, 10*time.Second) {
		t.Fatal("no carousel")
	}
	tapLast(t, p, "chat-tap-PRODUCT:")
	for range 4 {
		if appears(p, `[data-testid^="chat-tap-BUY:"]`, 3*time.Second) {
			return
		}
		tapLast(t, p, "chat-tap-PICK:") // the next option's first value
	}
	t.Fatalf("no Buy button after choosing every option: %s", p.MustElement("body").MustText())
}

// payPalLink is the address of the thread's latest "Pay with PayPal" button.
func payPalLink(t *testing.T, p *rod.Page) string {
	t.Helper()
	var href string
	waitFor(t, "the Pay with PayPal button", func() bool {
		els, _ := p.Elements(`[data-testid="chat-link-web_url"]`)
		if len(els) == 0 {
			return false
		}
		h, err := els[len(els)-1].Attribute("href")
		if err != nil || h == nil {
			return false
		}
		href = *h
		return true
	})
	return href
}

// appears reports whether an element matching selector shows within d.
func appears(p *rod.Page, selector string, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if has, _, _ := p.Has(selector); has {
			return true
		}
	}
	return false
}

// The whole journey in the sandbox chat: message the Page, browse, pick a product, Buy, link PayPal
// with the Log In button (our link page, PayPal's consent, back to Messenger), confirm the one-tap
// payment and see the receipt in the thread. Then the next purchase is one tap at once.
func TestShopperLinksPayPalAndPaysWithOneTap(t *testing.T) {
	srv := startServer(t, "")
	p := newBrowser(t).CancelTimeout().Timeout(3 * time.Minute).MustPage("") // a long journey
	startChat(t, p, srv.URL, "Jordan Rivera")
	chooseProduct(t, p)
	screenshot(t, p, "chat-buy")
	tapLast(t, p, "chat-tap-BUY:")
	waitThread(t, p, "We hold it for you for 30 minutes")
	screenshot(t, p, "chat-pay-options")

	// Log In: Messenger opens our link page, which sends the shopper to PayPal's consent.
	tapLast(t, p, "chat-link-account_link")
	p.MustElement(`[data-testid="paypal-vault"]`)
	screenshot(t, p, "paypal-consent")
	clickAndWait(p, "vault-agree")
	if got := p.MustElement(`[data-testid="linking-message"]`).MustText(); !strings.Contains(got, "linked") {
		t.Fatalf("back in Messenger: %q", got)
	}
	clickAndWait(p, "linking-back")
	waitThread(t, p, "Pay with your PayPal account buyer@sandbox.chatshop.test?")
	screenshot(t, p, "chat-one-tap")

	tapLast(t, p, "chat-tap-PAY:")
	if !appears(p, `[data-testid="chat-receipt"]`, 15*time.Second) {
		t.Fatalf("no receipt in the thread: %s", p.MustElement("body").MustText())
	}
	receipt := p.MustElement(`[data-testid="chat-receipt"]`).MustText()
	if !strings.Contains(receipt, "Order #1") || !strings.Contains(receipt, "Paid with PayPal") {
		t.Fatalf("receipt shows %q", receipt)
	}
	screenshot(t, p, "chat-receipt")

	// Linked: Buy asks for the one tap straight away.
	chooseProduct(t, p)
	tapLast(t, p, "chat-tap-BUY:")
	waitFor(t, "a second confirmation", func() bool {
		return len(p.MustElements(`[data-testid^="chat-tap-PAY:"]`)) == 2
	})
}

// A shopper who does not link pays on PayPal's approval page, comes back to the shop's page and
// finds the receipt in the thread.
func TestShopperPaysOnPayPalsPage(t *testing.T) {
	srv := startServer(t, "")
	b := newBrowser(t).CancelTimeout().Timeout(3 * time.Minute) // a long journey
	// The owner has the payment notifications open in their own browser session, before anyone pays.
	feed := openAsOwner(t, b, srv.URL, "/app/notifications")
	feed.MustElement(`[data-testid="empty-state"]`)

	p := b.MustPage("")
	startChat(t, p, srv.URL, "Camille Tremblay")
	chooseProduct(t, p)
	tapLast(t, p, "chat-tap-BUY:")
	waitThread(t, p, "We hold it for you for 30 minutes")

	// "Pay with PayPal" opens PayPal's page in a new tab; the test opens it in this one.
	p.MustNavigate(payPalLink(t, p)).MustWaitLoad()
	total := p.MustElement(`[data-testid="checkout-total"]`).MustText()
	screenshot(t, p, "paypal-checkout")
	clickAndWait(p, "checkout-pay")
	notice := p.MustElement(`[data-testid="shopper-notice"]`).MustText()
	if !strings.Contains(notice, "Lakeside") && !strings.Contains(notice, total) {
		t.Fatalf("back from PayPal: %q (total %s)", notice, total)
	}
	screenshot(t, p, "pay-return")
	clickAndWait(p, "notice-back")
	if !appears(p, `[data-testid="chat-receipt"]`, 15*time.Second) {
		t.Fatalf("no receipt in the thread: %s", p.MustElement("body").MustText())
	}
	if got := p.MustElement(`[data-testid="chat-receipt"]`).MustText(); !strings.Contains(got, total) {
		t.Fatalf("receipt shows %q, PayPal charged %s", got, total)
	}
	chat := p.MustInfo().URL

	// The payment appeared on the owner's open feed by itself, linked to its order.
	if !appears(feed, `[data-testid="notification-row"]`, 15*time.Second) {
		t.Fatal("the payment did not appear on the open notifications page")
	}
	if reloaded(feed) {
		t.Fatal("the notifications page reloaded to show the payment")
	}
	if got := feed.MustElement(`[data-testid="notification-row"]`).MustText(); !strings.Contains(got, "Payment received") || !strings.Contains(got, "Camille Tremblay") {
		t.Fatalf("the feed shows %q", got)
	}
	screenshot(t, feed, "notifications-live")

	// The retailer finds the order in the dashboard and refunds part of it; the shopper hears.
	signIn(t, p, srv.URL, "demo@chatshop.test", "demo-password")
	p.MustNavigate(srv.URL + "/app/shoppers").MustWaitLoad()
	if got := p.MustElement(`[data-testid="shopper-row"]`).MustText(); !strings.Contains(got, "Camille Tremblay") || !strings.Contains(got, total) {
		t.Errorf("the shoppers page shows %q", got)
	}
	p.MustNavigate(srv.URL + "/app/orders").MustWaitLoad()
	p.MustElement(`[data-testid="order-search"]`).MustInput("camille")
	clickAndWait(p, "order-search-submit")
	screenshot(t, p, "orders")
	clickAndWait(p, "status-paid")
	if n := len(p.MustElements(`[data-testid="order-row"]`)); n != 1 {
		t.Fatalf("Camille's paid orders: %d rows", n)
	}
	clickAndWait(p, "order-link")
	p.MustElement(`[data-testid="refund-amount"]`).MustSelectAllText().MustInput("5.00")
	p.MustElement(`[data-testid="refund-reason"]`).MustInput("Sorry about the scuff")
	clickAndWait(p, "refund-submit")
	if got := p.MustElement(`[data-testid="confirm"]`).MustText(); !strings.Contains(got, "Refund $5.00 through PayPal?") || !strings.Contains(got, "Sorry about the scuff") {
		t.Fatalf("the refund's confirmation says %q", got)
	}
	screenshot(t, p, "refund-confirm")
	clickAndWait(p, "confirm-button")
	if !appears(p, `[data-testid="refund-row"]`, 5*time.Second) {
		t.Fatal("no refund on the order page")
	}
	screenshot(t, p, "order-refunded")
	p.MustNavigate(chat).MustWaitLoad()
	waitThread(t, p, "We refunded $5.00")
}
