package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/models"
)

// signUp creates a shop through the form and returns its owner's browser, signed in.
func (ts *testServer) signUp(t *testing.T, shopName, email string) *browser {
	t.Helper()
	b := ts.browser(t)
	res := b.post("/signup", url.Values{"shop_name": {shopName}, "name": {"Owner of " + shopName}, "email": {email}, "password": {"lakeside-canvas-42"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app" {
		t.Fatalf("signup %s: %d %s", email, res.StatusCode, res.body)
	}
	return b
}

var inviteLinkRE = regexp.MustCompile(`data-testid="invite-link"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*data-testid="invite-link"`)

// invite creates an invite as owner and returns the token of its link.
func invite(t *testing.T, owner *browser, email, role string) string {
	t.Helper()
	res := owner.post("/app/team/invites", url.Values{"email": {email}, "role": {role}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite %s: %d", email, res.StatusCode)
	}
	page := owner.get("/app/team").body
	m := inviteLinkRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the team page does not show the new invite link")
	}
	link := m[1] + m[2]
	u, _ := url.Parse(owner.base)
	prefix := "http://localhost:" + u.Port() + "/invite/"
	if !strings.HasPrefix(link, prefix) {
		t.Fatalf("invite link %q is not on this server", link)
	}
	if strings.Contains(owner.page("/app/team"), link) {
		t.Fatal("the invite link is shown a second time")
	}
	return strings.TrimPrefix(link, prefix)
}

// join accepts an invite with a new account and returns the new member's browser.
func (ts *testServer) join(t *testing.T, token, name string) *browser {
	t.Helper()
	b := ts.browser(t)
	res := b.post("/invite/"+token, url.Values{"name": {name}, "password": {"staff-member-pass-9"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("join: %d %s", res.StatusCode, res.body)
	}
	return b
}

func TestSignup(t *testing.T) {
	ts := newTestServer(t)
	b := ts.browser(t)
	if res := b.get("/signup"); res.StatusCode != 200 || !hasTestID(res.body, "signup-form") {
		t.Fatalf("GET /signup: %d", res.StatusCode)
	}
	for _, tc := range []struct {
		name      string
		form      url.Values
		wantField string
	}{
		{"empty", url.Values{}, "error-shop_name"},
		{"bad email", url.Values{"shop_name": {"S"}, "name": {"N"}, "email": {"not-an-email"}, "password": {"lakeside-canvas-42"}}, "error-email"},
		{"short password", url.Values{"shop_name": {"S"}, "name": {"N"}, "email": {"n@example.com"}, "password": {"short"}}, "error-password"},
		{"common password", url.Values{"shop_name": {"S"}, "name": {"N"}, "email": {"n@example.com"}, "password": {"password123"}}, "error-password"},
		{"taken email", url.Values{"shop_name": {"S"}, "name": {"N"}, "email": {"DEMO@chatshop.test"}, "password": {"lakeside-canvas-42"}}, "error-email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := b.post("/signup", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity || !hasTestID(res.body, tc.wantField) {
				t.Fatalf("%d, want 422 with %s", res.StatusCode, tc.wantField)
			}
			if v := tc.form.Get("shop_name"); v != "" && !strings.Contains(res.body, `value="`+v+`"`) {
				t.Fatal("the form lost what was typed")
			}
		})
	}
	var shopsBefore int64
	ts.store.ReaderDB().QueryRow("SELECT count(*) FROM shops").Scan(&shopsBefore)
	if shopsBefore != 1 {
		t.Fatalf("invalid signups created shops: %d", shopsBefore)
	}

	owner := ts.signUp(t, "Harbor Goods", "hana@harbor.example")
	res := owner.get("/app")
	if res.StatusCode != 200 || !strings.Contains(res.body, "Harbor Goods") || !hasTestID(res.body, "flash-success") {
		t.Fatalf("after signup /app: %d", res.StatusCode)
	}
	if strings.Contains(owner.page("/app/products"), "Canvas Weekender Bag") {
		t.Fatal("the new shop sees the demo shop's products")
	}
}

func TestSignupIsThrottledPerAddress(t *testing.T) {
	ts := newTestServer(t)
	b := ts.browser(t)
	form := func(email string) url.Values {
		return url.Values{"shop_name": {"Shop of " + email}, "name": {"N"}, "email": {email}, "password": {"lakeside-canvas-42"}}
	}
	// A taken email is answered before hashing, so a flood of them spends none of the address's signups.
	for i := range 12 {
		if res := b.post("/signup", form("demo@chatshop.test")); res.StatusCode != http.StatusUnprocessableEntity || !hasTestID(res.body, "error-email") {
			t.Fatalf("taken email, attempt %d: %d, want 422", i+1, res.StatusCode)
		}
	}
	for i := range 10 {
		ts.signUp(t, fmt.Sprintf("Shop %d", i), fmt.Sprintf("owner%d@shops.example", i))
	}
	res := b.post("/signup", form("eleventh@shops.example"))
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !hasTestID(res.body, "signup-error") ||
		!strings.Contains(res.body, "Too many signups from your network") || !strings.Contains(res.body, `value="eleventh@shops.example"`) {
		t.Fatalf("the 11th signup from one address in an hour: %d retry-after=%q, want 429 with the form and a message", res.StatusCode, res.Header.Get("Retry-After"))
	}
	var shops int64
	ts.store.ReaderDB().QueryRow("SELECT count(*) FROM shops").Scan(&shops)
	if shops != 11 {
		t.Fatalf("%d shops, want the demo shop and 10 signups", shops)
	}
}

func TestPasswordGuessingIsThrottled(t *testing.T) {
	ts := newTestServer(t)
	attacker := ts.browser(t)
	for i := range 5 {
		res := attacker.post("/login", url.Values{"email": {"demo@chatshop.test"}, "password": {fmt.Sprintf("guess-%d", i)}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %d", i, res.StatusCode)
		}
	}
	// Now even the right password is refused from this address (the pair of account and address
	// is locked) until the window passes; the store's tests show other addresses are not.
	res := ts.browser(t).post("/login", url.Values{"email": {"demo@chatshop.test"}, "password": {"demo-password"}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(res.body, "Too many sign-in attempts") {
		t.Fatalf("after 5 failures: %d retry-after=%q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	// Another account is not locked by it.
	admin := ts.browser(t)
	admin.signIn("admin@chatshop.test", "admin-password")

	// The owner sees the attack in the shop's audit log.
	owner := ts.browser(t)
	if _, err := ts.store.WriterDB().Exec("DELETE FROM login_attempts"); err != nil { // the window passing
		t.Fatal(err)
	}
	owner.signIn("demo@chatshop.test", "demo-password")
	audit := owner.get("/app/audit?action=" + models.AuditSignInFailed).body
	if n := strings.Count(audit, `data-testid="audit-row"`); n != 5 {
		t.Fatalf("audit shows %d failed sign-ins, want 5", n)
	}
	if !strings.Contains(owner.get("/app/audit?action="+models.AuditSignInThrottled).body, `data-testid="audit-row"`) {
		t.Fatal("the throttled attempt is not in the audit log")
	}
}

func TestSignOutEverywhereAndPasswordChange(t *testing.T) {
	ts := newTestServer(t)
	laptop, phone := ts.browser(t), ts.browser(t)
	laptop.signIn("demo@chatshop.test", "demo-password")
	phone.signIn("demo@chatshop.test", "demo-password")

	if res := laptop.post("/account/password", url.Values{"current_password": {"wrong"}, "new_password": {"lakeside-canvas-42"}}); res.StatusCode != 422 || !hasTestID(res.body, "error-current_password") {
		t.Fatalf("wrong current password: %d", res.StatusCode)
	}
	if res := laptop.post("/account/password", url.Values{"current_password": {"demo-password"}, "new_password": {"iloveyou"}}); res.StatusCode != 422 || !hasTestID(res.body, "error-new_password") {
		t.Fatalf("common new password: %d", res.StatusCode)
	}
	if res := laptop.post("/account/password", url.Values{"current_password": {"demo-password"}, "new_password": {"lakeside-canvas-42"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password: %d", res.StatusCode)
	}
	if res := laptop.get("/app"); res.StatusCode != 200 {
		t.Fatalf("the session that changed the password was ended: %d", res.StatusCode)
	}
	if res := phone.get("/app"); res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "reason=expired") {
		t.Fatalf("the other session survived the password change: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := phone.post("/login", url.Values{"email": {"demo@chatshop.test"}, "password": {"demo-password"}}); res.StatusCode != 422 {
		t.Fatalf("the old password still works: %d", res.StatusCode)
	}
	phone.signIn("demo@chatshop.test", "lakeside-canvas-42")

	if res := phone.post("/account/sign-out-everywhere", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", res.StatusCode)
	}
	for name, b := range map[string]*browser{"laptop": laptop, "phone": phone} {
		if res := b.get("/app"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s still signed in after signing out everywhere: %d", name, res.StatusCode)
		}
	}
}

func TestAccountPasswordGuessesEndTheSession(t *testing.T) {
	ts := newTestServer(t)
	stolen, phone := ts.browser(t), ts.browser(t)
	stolen.signIn("demo@chatshop.test", "demo-password")
	phone.signIn("demo@chatshop.test", "demo-password")
	for i := range 4 {
		res := stolen.post("/account/password", url.Values{"current_password": {fmt.Sprintf("guess-%d", i)}, "new_password": {"lakeside-canvas-42"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !hasTestID(res.body, "error-current_password") {
			t.Fatalf("wrong current password %d: %d, want 422", i+1, res.StatusCode)
		}
	}
	res := stolen.post("/account/password", url.Values{"current_password": {"guess-4"}, "new_password": {"lakeside-canvas-42"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?reason=password_guesses" {
		t.Fatalf("the 5th wrong current password: %d to %q, want the session ended", res.StatusCode, res.Header.Get("Location"))
	}
	// The 6th, with the right password, is refused: the session is gone.
	res = stolen.post("/account/password", url.Values{"current_password": {"demo-password"}, "new_password": {"lakeside-canvas-42"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("the right password after 5 wrong ones: %d to %q, want /login", res.StatusCode, res.Header.Get("Location"))
	}
	for name, b := range map[string]*browser{"the guessing session": stolen, "another session": phone} {
		if res := b.get("/app"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("%s still opens /app: %d", name, res.StatusCode)
		}
	}
	if _, err := ts.store.Authenticate(context.Background(), "demo@chatshop.test", "demo-password"); err != nil {
		t.Fatalf("the password changed: %v", err)
	}
	if res := ts.browser(t).get("/login?reason=password_guesses"); !hasTestID(res.body, "login-notice") {
		t.Fatal("the sign-in page does not say why the session ended")
	}
	for action, want := range map[string]int{models.AuditPasswordCheckFailed: 5, models.AuditSignedOutAfterGuesses: 1} {
		var n int
		ts.store.ReaderDB().QueryRow("SELECT count(*) FROM audit_events WHERE action = '" + action + "'").Scan(&n)
		if n != want {
			t.Errorf("%d %s events, want %d", n, action, want)
		}
	}
}

func TestAccountPasswordCheckIsThrottled(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	// Guesses at sign-in from the same address lock the pair of account and address, which the
	// current password on /account is checked under too.
	guesser := ts.browser(t)
	for i := range 5 {
		guesser.post("/login", url.Values{"email": {"demo@chatshop.test"}, "password": {fmt.Sprintf("guess-%d", i)}})
	}
	res := owner.post("/account/password", url.Values{"current_password": {"demo-password"}, "new_password": {"lakeside-canvas-42"}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !hasTestID(res.body, "error-current_password") ||
		!strings.Contains(res.body, "Too many wrong passwords") {
		t.Fatalf("/account under the throttle: %d retry-after=%q, want 429", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if _, err := ts.store.Authenticate(context.Background(), "demo@chatshop.test", "demo-password"); err != nil {
		t.Fatalf("the password changed: %v", err)
	}
	if res := owner.get("/app"); res.StatusCode != http.StatusOK {
		t.Fatalf("a refused check ended the session: %d", res.StatusCode)
	}
}

func TestTeamInvitesAndStaffAccess(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")

	if res := owner.post("/app/team/invites", url.Values{"email": {"nope"}, "role": {"staff"}}); res.StatusCode != 422 || !hasTestID(res.body, "error-email") {
		t.Fatalf("bad invite email: %d", res.StatusCode)
	}
	if res := owner.post("/app/team/invites", url.Values{"email": {"a@b.example"}, "role": {"admin"}}); res.StatusCode != 422 {
		t.Fatalf("bad role: %d", res.StatusCode)
	}
	token := invite(t, owner, "sam@lakeside.example", "staff")
	if res := ts.browser(t).get("/invite/" + token); res.StatusCode != 200 || !hasTestID(res.body, "invite-form") || !strings.Contains(res.body, "sam@lakeside.example") {
		t.Fatalf("invite page: %d", res.StatusCode)
	}
	if res := ts.browser(t).post("/invite/"+token, url.Values{"name": {"Sam"}, "password": {"password1"}}); res.StatusCode != 422 {
		t.Fatalf("joining with a common password: %d", res.StatusCode)
	}
	staff := ts.join(t, token, "Sam Staff")
	if res := ts.browser(t).post("/invite/"+token, url.Values{"name": {"Eve"}, "password": {"staff-member-pass-9"}}); res.StatusCode != http.StatusGone || !hasTestID(res.body, "invite-unusable") {
		t.Fatalf("reusing an invite: %d", res.StatusCode)
	}
	if res := ts.browser(t).get("/invite/not-a-token"); res.StatusCode != 404 {
		t.Fatalf("unknown invite: %d", res.StatusCode)
	}

	home := staff.get("/app")
	if home.StatusCode != 200 || !strings.Contains(home.body, "Lakeside Supply Co.") {
		t.Fatalf("staff /app: %d", home.StatusCode)
	}
	for _, id := range []string{"nav-team", "nav-settings", "nav-audit", "nav-events"} {
		if hasTestID(home.body, id) {
			t.Errorf("staff navigation shows %s", id)
		}
	}
	for _, path := range []string{"/app/team", "/app/settings", "/app/audit", "/app/events"} {
		if res := staff.get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("staff GET %s: %d, want 403", path, res.StatusCode)
		}
	}
	if res := staff.post("/app/team/invites", url.Values{"email": {"friend@x.example"}, "role": {"owner"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("staff invited someone: %d", res.StatusCode)
	}
	for _, path := range []string{"/app/products", "/app/orders", "/app/inbox", "/account"} {
		if res := staff.get(path); res.StatusCode != 200 {
			t.Errorf("staff GET %s: %d, want 200", path, res.StatusCode)
		}
	}

	staffUser, _ := ts.store.UserByEmail(context.Background(), "sam@lakeside.example")
	rolePath := fmt.Sprintf("/app/team/members/%d/role", staffUser.ID)
	owner.post(rolePath, url.Values{"role": {"owner"}})
	if res := staff.get("/app/team"); res.StatusCode != 200 {
		t.Fatalf("promoted staff cannot open the team page: %d", res.StatusCode)
	}
	owner.post(rolePath, url.Values{"role": {"staff"}})

	demoUser, _ := ts.store.UserByEmail(context.Background(), "demo@chatshop.test")
	owner.post(fmt.Sprintf("/app/team/members/%d/role", demoUser.ID), url.Values{"role": {"staff"}})
	if !hasTestID(owner.get("/app/team").body, "flash-error") {
		t.Fatal("demoting the last owner gave no error")
	}

	if res := owner.post(fmt.Sprintf("/app/team/members/%d/remove", staffUser.ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.StatusCode)
	}
	if res := staff.get("/app"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a removed member still opens the shop: %d", res.StatusCode)
	}
}

func TestExistingAccountJoinsAnotherShop(t *testing.T) {
	ts := newTestServer(t)
	other := ts.signUp(t, "Harbor Goods", "hana@harbor.example")
	token := invite(t, other, "demo@chatshop.test", "staff")
	b := ts.browser(t)
	if res := b.get("/invite/" + token); !strings.Contains(res.body, "already have a chatshop account") {
		t.Fatal("the invite page does not ask the existing account's password")
	}
	if res := b.post("/invite/"+token, url.Values{"password": {"wrong-password"}}); res.StatusCode != 422 {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	if res := b.post("/invite/"+token, url.Values{"password": {"demo-password"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("join with existing account: %d", res.StatusCode)
	}
	if res := b.get("/app"); !strings.Contains(res.body, "Harbor Goods") {
		t.Fatal("after joining, the dashboard is not the new shop")
	}
}

func TestRevokedInvite(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	token := invite(t, owner, "late@lakeside.example", "staff")
	inv, _, _ := ts.store.InviteByToken(context.Background(), token)
	owner.post(fmt.Sprintf("/app/team/invites/%d/revoke", inv.ID), nil)
	if res := ts.browser(t).get("/invite/" + token); !hasTestID(res.body, "invite-unusable") {
		t.Fatal("a revoked invite still shows its form")
	}
}

func TestHTTPSCookiesAndHSTS(t *testing.T) {
	ts := newTestServer(t, "--base-url", "https://shop.example")
	res := ts.browser(t).post("/login", url.Values{"email": {"demo@chatshop.test"}, "password": {"demo-password"}})
	cookie := res.Header.Get("Set-Cookie")
	if !strings.HasPrefix(cookie, "__Host-chatshop_session=") || !strings.Contains(cookie, "Secure") || strings.Contains(cookie, "Domain=") {
		t.Fatalf("cookie over https: %q", cookie)
	}
	if hsts := res.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Fatalf("HSTS = %q", hsts)
	}
}

func TestBodyLimit(t *testing.T) {
	ts := newTestServer(t)
	big := url.Values{"email": {"demo@chatshop.test"}, "password": {strings.Repeat("x", 3<<20)}}
	if res := ts.browser(t).post("/login", big); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 3 MB form: %d, want 413", res.StatusCode)
	}
	// An emulator route that takes no files has the same limit; one that takes them, its own.
	for path, want := range map[string]int{
		"/sandbox/messenger/api/send":                                  http.StatusRequestEntityTooLarge,
		"/sandbox/paypal/v1/customer/disputes/PP-D-1/provide-evidence": http.StatusUnauthorized, // past the limit, to the token check
	} {
		if res := ts.browser(t).post(path, big); res.StatusCode != want {
			t.Errorf("a 3 MB form to %s: %d, want %d", path, res.StatusCode, want)
		}
	}
	// An upload takes more than a form: a 3 MB body reaches the image upload's handler.
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	if res := owner.post("/app/products/1/images", big); res.StatusCode == http.StatusRequestEntityTooLarge {
		t.Fatalf("a 3 MB upload: %d", res.StatusCode)
	}
}
