package e2e

import (
	"strings"
	"testing"

	"github.com/go-rod/rod"
)

func fill(p *rod.Page, field, value string) {
	p.MustElement(`[data-testid="field-` + field + `"]`).MustInput(value)
}

func navShows(p *rod.Page, key string) bool {
	has, _, err := p.Has(`[data-testid="sidebar"] [data-testid="nav-` + key + `"]`)
	return err == nil && has
}

// A retailer signs up a new shop, invites a staff member, and the staff account sees only what it may.
func TestSignupInviteStaff(t *testing.T) {
	srv := startServer(t, "")
	b := newBrowser(t)

	owner := b.MustPage(srv.URL + "/login").MustWaitLoad()
	clickAndWait(owner, "signup-link")
	// A too-common password is refused and what was typed is kept.
	fill(owner, "shop_name", "Harbor Goods")
	fill(owner, "name", "Hana Harbor")
	fill(owner, "email", "hana@harbor.example")
	fill(owner, "password", "password123")
	clickAndWait(owner, "signup-submit")
	if got := owner.MustElement(`[data-testid="error-password"]`).MustText(); !strings.Contains(got, "too common") {
		t.Fatalf("password error = %q", got)
	}
	if got := owner.MustElement(`[data-testid="field-shop_name"]`).MustProperty("value").String(); got != "Harbor Goods" {
		t.Fatalf("shop name kept as %q", got)
	}
	screenshot(t, owner, "signup-error")
	fill(owner, "password", "harbor-canvas-2016")
	clickAndWait(owner, "signup-submit")
	if got := owner.MustElement(`[data-testid="shop-name"]`).MustText(); got != "Harbor Goods" {
		t.Fatalf("after signup the shop is %q", got)
	}
	owner.MustElement(`[data-testid="flash-success"]`)

	clickAndWait(owner, "nav-team")
	fill(owner, "email", "sam@harbor.example")
	owner.MustElement(`[data-testid="role-staff"]`).MustClick()
	clickAndWait(owner, "invite-create")
	link := owner.MustElement(`[data-testid="invite-link"]`).MustProperty("value").String()
	if !strings.Contains(link, "/invite/") {
		t.Fatalf("invite link %q", link)
	}
	screenshot(t, owner, "team")

	// The teammate opens the link in their own browser session.
	staffBrowser := b.MustIncognito()
	staff := staffBrowser.MustPage(link).MustWaitLoad()
	if got := staff.MustElement(`[data-testid="invite-form"]`).MustText(); !strings.Contains(got, "Your name") {
		t.Fatalf("invite form: %q", got)
	}
	screenshot(t, staff, "invite")
	fill(staff, "name", "Sam Staff")
	fill(staff, "password", "sam-staffs-the-inbox")
	clickAndWait(staff, "invite-submit")
	if got := staff.MustElement(`[data-testid="shop-name"]`).MustText(); got != "Harbor Goods" {
		t.Fatalf("staff landed in %q", got)
	}
	for _, key := range []string{"inbox", "orders", "products"} {
		if !navShows(staff, key) {
			t.Errorf("staff navigation lacks %s", key)
		}
	}
	for _, key := range []string{"team", "settings", "audit", "events"} {
		if navShows(staff, key) {
			t.Errorf("staff navigation shows %s", key)
		}
	}
	screenshot(t, staff, "staff-overview")
	// The link points at the server's public URL (localhost); the staff session lives on that host.
	staffBase := link[:strings.Index(link, "/invite/")]
	staff.MustNavigate(staffBase + "/app/team").MustWaitLoad()
	if got := staff.MustElement(`[data-testid="error-page"]`).MustText(); !strings.Contains(got, "Only the shop's owners") {
		t.Fatalf("staff on /app/team sees %q", got)
	}

	// The owner sees the new member and the trail in the audit log.
	owner.MustNavigate(srv.URL + "/app/team").MustWaitLoad()
	if n := len(owner.MustElements(`[data-testid="member-row"]`)); n != 2 {
		t.Fatalf("team shows %d members, want 2", n)
	}
	clickAndWait(owner, "nav-audit")
	actions := owner.MustElement(`[data-testid="audit-table"]`).MustText()
	for _, want := range []string{"Shop created", "Invited a teammate", "Joined the team"} {
		if !strings.Contains(actions, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
	screenshot(t, owner, "audit")
}
