package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
)

// payInChat has a new sandbox shopper buy a product in the chat and pay on PayPal's page; it
// returns once the receipt is in the thread.
func payInChat(t *testing.T, p *rod.Page, baseURL, name string) {
	t.Helper()
	startChat(t, p, baseURL, name)
	chooseProduct(t, p)
	tapLast(t, p, "chat-tap-BUY:")
	waitThread(t, p, "We hold it for you for 30 minutes")
	p.MustNavigate(payPalLink(t, p)).MustWaitLoad()
	clickAndWait(p, "checkout-pay")
	clickAndWait(p, "notice-back")
	if !appears(p, `[data-testid="chat-receipt"]`, 15*time.Second) {
		t.Fatalf("no receipt in the thread: %s", p.MustElement("body").MustText())
	}
}

// testIDOf is the data-testid of the first element whose test id starts with prefix.
func testIDOf(p *rod.Page, prefix string) string {
	return *p.MustElement(`[data-testid^="` + prefix + `"]`).MustAttribute("data-testid")
}

// A buyer who paid in Messenger opens a dispute in PayPal's Resolution Center; it appears on the
// admin's open queue by itself; the admin opens it, sees the order and the chat, uploads a shipping
// label and sends it as evidence with the tracking number (confirmed first); PayPal's review ends in
// the sandbox, and the resolution arrives on the admin's open page without a reload.
func TestDisputeFromResolutionCenterToAdminResolution(t *testing.T) {
	srv := startServer(t, "")
	b := newBrowser(t).CancelTimeout().Timeout(4 * time.Minute) // a long journey
	buyer := b.MustPage("")
	payInChat(t, buyer, srv.URL, "Noah Patel")

	admin := b.MustIncognito().MustPage("")
	signIn(t, admin, srv.URL, "admin@chatshop.test", "admin-password")
	admin.MustNavigate(srv.URL + "/admin/disputes").MustWaitLoad()
	admin.MustElement(`[data-testid="empty-state"]`)
	admin.MustEval(`() => { window.openedOnce = true }`)

	buyer.MustNavigate(srv.URL + "/sandbox/paypal/resolutioncenter").MustWaitLoad()
	buyer.MustElement(`[data-testid="dispute-reason"]`).MustSelect("I didn't receive it")
	buyer.MustElement(`[data-testid="dispute-message"]`).MustInput("Still waiting after two weeks.")
	clickAndWait(buyer, testIDOf(buyer, "dispute-open-"))
	opened := buyer.MustElement(`[data-testid="dispute-opened"]`).MustText()
	disputeID := strings.Fields(strings.TrimPrefix(opened, "Case "))[0]

	if !appears(admin, `[data-testid="dispute-row"]`, 15*time.Second) {
		t.Fatal("the dispute did not appear on the admin's open queue")
	}
	if reloaded(admin) {
		t.Fatal("the queue reloaded to show the dispute")
	}
	row := admin.MustElement(`[data-testid="dispute-row"]`).MustText()
	for _, want := range []string{disputeID, "Lakeside Supply Co.", "Item not received", "Needs a response", "9 days left"} {
		if !strings.Contains(row, want) {
			t.Errorf("the queue's row lacks %q: %q", want, row)
		}
	}
	screenshot(t, admin, "admin-disputes")

	clickAndWait(admin, "dispute-link")
	for sel, want := range map[string]string{"dispute-order": "Paid", "dispute-shopper": "Noah Patel", "dispute-transcript": "Hi!",
		"dispute-messages": "Still waiting after two weeks."} {
		if got := admin.MustElement(`[data-testid="` + sel + `"]`).MustText(); !strings.Contains(got, want) {
			t.Errorf("%s shows %q, want %q", sel, got, want)
		}
	}
	label := filepath.Join(t.TempDir(), "shipping-label.png")
	if err := os.WriteFile(label, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o600); err != nil {
		t.Fatal(err)
	}
	admin.MustElement(`[data-testid="file-input"]`).MustSetFiles(label)
	clickAndWait(admin, "file-submit")
	if got := admin.MustElement(`[data-testid="evidence-file"]`).MustText(); !strings.Contains(got, "shipping-label.png") || !strings.Contains(got, "Not sent yet") {
		t.Fatalf("the uploaded file shows as %q", got)
	}

	admin.MustElement(`[data-testid="action-provide_evidence"] summary`).MustClick()
	admin.MustElement(`[data-testid="evidence-type"]`).MustSelect("Proof of shipment or delivery")
	admin.MustElement(`[data-testid="evidence-carrier"]`).MustInput("USPS")
	admin.MustElement(`[data-testid="evidence-tracking"]`).MustInput("9400111899223817403512")
	admin.MustElement(`[data-testid="provide_evidence-note"]`).MustInput("Delivered to the front porch on the 12th; signed for.")
	screenshot(t, admin, "admin-dispute-evidence")
	clickAndWait(admin, "submit-provide_evidence")
	if got := admin.MustElement(`[data-testid="confirm"]`).MustText(); !strings.Contains(got, "USPS 9400111899223817403512") || !strings.Contains(got, "1 file(s) attached") {
		t.Fatalf("the confirmation says %q", got)
	}
	clickAndWait(admin, "confirm-button")
	admin.MustEval(`() => { window.openedOnce = true }`)
	waitFor(t, "PayPal to take the evidence", func() bool {
		el, err := admin.Element(`[data-testid="dispute-status"]`)
		if err != nil {
			return false
		}
		got, err := el.Text()
		return err == nil && strings.Contains(got, "PayPal is reviewing")
	})
	if got := admin.MustElement(`[data-testid="sent-evidence"]`).MustText(); !strings.Contains(got, "USPS 9400111899223817403512") || !strings.Contains(got, "shipping-label.png") {
		t.Fatalf("PayPal's evidence shows %q", got)
	}
	screenshot(t, admin, "admin-dispute-under-review")

	buyer.MustNavigate(srv.URL + "/sandbox/paypal/resolutioncenter").MustWaitLoad()
	clickAndWait(buyer, "decide-seller-"+disputeID)
	buyer.MustElement(`[data-testid="dispute-decided"]`)

	waitFor(t, "the resolution on the admin's open page", func() bool {
		el, err := admin.Element(`[data-testid="dispute-summary"]`)
		if err != nil {
			return false
		}
		got, err := el.Text()
		return err == nil && strings.Contains(got, "Resolved, in the seller's favour")
	})
	if reloaded(admin) {
		t.Fatal("the dispute page reloaded to show the resolution")
	}
	if has, _, _ := admin.Has(`[data-testid="dispute-respond"]`); has {
		t.Fatal("a resolved dispute still offers actions")
	}
	screenshot(t, admin, "admin-dispute-resolved")
}
