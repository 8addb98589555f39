package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A retailer signs up a new shop and, from the overview's checklist, connects a simulated Page and
// a PayPal account through PayPal's sign-up; then takes chatshop's permissions back in PayPal and
// sees the reconnect banner on every page.
func TestNewShopConnectsPageAndPayPal(t *testing.T) {
	srv := startServer(t, "")
	// The dashboard's own address (PayPal sends the owner back to it, with the session's cookie).
	base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	p := newBrowser(t).MustPage(base + "/signup").MustWaitLoad()
	fill(p, "shop_name", "Harbor Goods")
	fill(p, "name", "Hana Harbor")
	fill(p, "email", "hana@harbor.example")
	fill(p, "password", "harbor-canvas-2016")
	clickAndWait(p, "signup-submit")
	if got := p.MustElement(`[data-testid="onboarding-checklist"]`).MustText(); !strings.Contains(got, "0 of 4 steps done") {
		t.Fatalf("a new shop's checklist says %q", got)
	}

	// The Page: from the checklist to the picker, a new simulated Page named after the shop.
	clickAndWait(p, "step-page-action")
	if got := p.MustElement(`[data-testid="field-page_name"]`).MustProperty("value").String(); got != "Harbor Goods" {
		t.Fatalf("the new Page would be named %q", got)
	}
	screenshot(t, p, "settings-messenger-connect")
	clickAndWait(p, "connect-page")
	if got := p.MustElement(`[data-testid="flash-success"]`).MustText(); !strings.Contains(got, "Harbor Goods is connected") {
		t.Fatalf("after connecting the Page: %q", got)
	}
	// The worker subscribes the app to the Page; checking the connection reads the fields back.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(p.MustElement(`[data-testid="page-fields"]`).MustText(), "messages") {
		if time.Now().After(deadline) {
			t.Fatal("the Page's webhook fields never showed")
		}
		clickAndWait(p, "check-page")
	}
	if got := p.MustElement(`[data-testid="page-token"]`).MustText(); !strings.HasPrefix(got, "EAAG…") {
		t.Fatalf("the token shows as %q", got)
	}
	screenshot(t, p, "settings-messenger-connected")

	// PayPal: Connect with PayPal, sign up on PayPal's page, come back connected.
	p.MustNavigate(base + "/app").MustWaitLoad()
	clickAndWait(p, "step-paypal-action")
	clickAndWait(p, "connect-paypal")
	if got := p.MustElement(`[data-testid="paypal-onboarding"]`).MustText(); !strings.Contains(got, "chatshop") {
		t.Fatalf("PayPal's sign-up page shows %q", got)
	}
	p.MustElement(`[data-testid="onboarding-name"]`).MustSelectAllText().MustInput("Harbor Goods LLC")
	screenshot(t, p, "paypal-signup")
	clickAndWait(p, "onboarding-submit")
	if !strings.HasSuffix(p.MustInfo().URL, "/app/settings/paypal") {
		t.Fatalf("after signing up the owner is at %s", p.MustInfo().URL)
	}
	if got := p.MustElement(`[data-testid="paypal-status"]`).MustText(); got != "Connected" {
		t.Fatalf("PayPal status %q", got)
	}
	merchant := p.MustElement(`[data-testid="paypal-merchant-id"]`).MustText()
	if len(merchant) != 13 {
		t.Fatalf("merchant id %q", merchant)
	}
	screenshot(t, p, "settings-paypal-connected")

	p.MustNavigate(base + "/app").MustWaitLoad()
	if got := p.MustElement(`[data-testid="onboarding-checklist"]`).MustText(); !strings.Contains(got, "2 of 4 steps done") {
		t.Fatalf("after both connections the checklist says %q", got)
	}

	// The seller revokes chatshop's permissions in PayPal: the banner appears on every page.
	res, err := http.Post(srv.URL+"/sandbox/paypal/api/merchants/"+merchant+"/revoke", "application/json", bytes.NewReader(nil))
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("revoke in the sandbox: %v %v", res, err)
	}
	var out map[string]string
	_ = json.NewDecoder(res.Body).Decode(&out)
	res.Body.Close()
	deadline = time.Now().Add(10 * time.Second)
	for {
		p.MustNavigate(base + "/app/products").MustWaitLoad()
		if has, _, _ := p.Has(`[data-testid="alert-paypal-reconnect"]`); has {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no reconnect banner 10s after the revocation (event %s)", out["event_id"])
		}
		time.Sleep(100 * time.Millisecond)
	}
	screenshot(t, p, "paypal-revoked-banner")
	clickAndWait(p, "alert-paypal-reconnect-action")
	if got := p.MustElement(`[data-testid="paypal-status"]`).MustText(); got != "Permissions revoked" {
		t.Fatalf("after revocation PayPal status %q", got)
	}
	p.MustElement(`[data-testid="connect-paypal"]`)
}
