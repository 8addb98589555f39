package e2e

import (
	"strings"
	"testing"

	"github.com/go-rod/rod"
)

// signIn fills the login form as a person would.
func signIn(t *testing.T, p *rod.Page, baseURL, email, password string) {
	t.Helper()
	p.MustNavigate(baseURL + "/login").MustWaitLoad()
	p.MustElement(`[data-testid="field-email"]`).MustInput(email)
	p.MustElement(`[data-testid="field-password"]`).MustInput(password)
	// Wait for the navigation the submit starts, not for "load" of the page already loaded.
	clickAndWait(p, "login-submit")
}

// The first journey: open /login, sign in as the demo owner, see the overview, browse, sign out.
func TestDemoOwnerSignsIn(t *testing.T) {
	srv := startServer(t, "")
	b := newBrowser(t)
	p := b.MustPage(srv.URL + "/app").MustWaitLoad()

	if !strings.HasSuffix(p.MustInfo().URL, "/login") {
		t.Fatalf("signed-out /app went to %s, want /login", p.MustInfo().URL)
	}
	screenshot(t, p, "login")

	// A wrong password keeps the user on the form with a generic message.
	signIn(t, p, srv.URL, "demo@chatshop.test", "not-the-password")
	if got := p.MustElement(`[data-testid="login-error"]`).MustText(); !strings.Contains(got, "do not match") {
		t.Fatalf("login error = %q", got)
	}
	if got := p.MustElement(`[data-testid="field-email"]`).MustProperty("value").String(); got != "demo@chatshop.test" {
		t.Fatalf("email field kept %q, want what was typed", got)
	}

	signIn(t, p, srv.URL, "demo@chatshop.test", "demo-password")
	p.MustElement(`[data-testid="page-title"]`)
	if got := p.MustElement(`[data-testid="page-title"]`).MustText(); !strings.Contains(got, "Welcome back, Dana") {
		t.Fatalf("overview title = %q", got)
	}
	if got := p.MustElement(`[data-testid="shop-name"]`).MustText(); got != "Lakeside Supply Co." {
		t.Fatalf("shop name = %q", got)
	}
	if got := p.MustElement(`[data-testid="stat-active-products-value"]`).MustText(); got != "6" {
		t.Fatalf("active products = %q, want the 6 of the demo catalog", got)
	}
	screenshot(t, p, "overview")

	clickAndWait(p, "nav-products")
	if n := len(p.MustElements(`[data-testid="product-row"]`)); n != 8 {
		t.Fatalf("products listed = %d, want 8", n)
	}
	screenshot(t, p, "products")

	clickAndWait(p, "nav-orders")
	p.MustElement(`[data-testid="empty-state"]`)
	screenshot(t, p, "orders")

	p.MustElement(`[data-testid="user-menu"] summary`).MustClick()
	clickAndWait(p, "logout")
	if got := p.MustElement(`[data-testid="login-notice"]`).MustText(); !strings.Contains(got, "signed out") {
		t.Fatalf("after sign-out the page says %q", got)
	}
	p.MustNavigate(srv.URL + "/app/products").MustWaitLoad()
	if !strings.Contains(p.MustInfo().URL, "/login?next=") {
		t.Fatalf("after sign-out /app/products went to %s, want the login page", p.MustInfo().URL)
	}
}

// A phone-width screenshot of the overview, for judging the responsive layout.
func TestOverviewOnAPhone(t *testing.T) {
	srv := startServer(t, "")
	b := newBrowser(t)
	p := b.MustPage("").MustSetViewport(390, 844, 2, true)
	signIn(t, p, srv.URL, "demo@chatshop.test", "demo-password")
	p.MustElement(`[data-testid="page-title"]`)
	if p.MustElement(`[data-testid="sidebar"]`).MustVisible() {
		t.Fatal("the sidebar shows on a phone; it should fold into the menu button")
	}
	screenshot(t, p, "overview-phone")
}
