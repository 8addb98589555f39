package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/connect"
	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/sandbox"
)

var pageIDRE = regexp.MustCompile(`data-testid="page-id">(\d+)<`)

// connectNewPage connects a new simulated Page through the settings page and returns its id.
func connectNewPage(t *testing.T, owner *browser, name string) string {
	t.Helper()
	res := owner.post("/app/settings/messenger/connect", url.Values{"page_id": {"new"}, "page_name": {name}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("connect page: %d %s", res.StatusCode, res.body)
	}
	m := pageIDRE.FindStringSubmatch(owner.get("/app/settings/messenger").body)
	if m == nil {
		t.Fatal("no Page id on the settings page")
	}
	return m[1]
}

// connectPayPal goes through Connect with PayPal as the owner's browser would: the referral, the
// sandbox's sign-up page (granting, or not, the permissions), and back. It returns the final
// response of the return handler and the merchant id PayPal gave the seller.
func connectPayPal(t *testing.T, owner *browser, grant bool) (response, string) {
	t.Helper()
	res := owner.get("/app/settings/paypal/connect")
	action, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || err != nil || !strings.Contains(action.Path, "/sandbox/paypal/bizsignup/partner/entry") {
		t.Fatalf("connect with PayPal: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if page := owner.get(action.RequestURI()); page.StatusCode != 200 {
		t.Fatalf("PayPal's sign-up page: %d", page.StatusCode)
	}
	form := url.Values{"referral": {action.Query().Get("referralToken")}, "legal_name": {"Harbor Goods LLC"},
		"email": {"hana@harbor.example"}, "email_confirmed": {"1"}}
	if grant {
		form.Set("grant", "1")
	}
	res = owner.post("/sandbox/paypal/bizsignup/complete", form)
	back, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || err != nil || back.Path != "/app/settings/paypal/return" {
		t.Fatalf("PayPal's return: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	return owner.get(back.RequestURI()), back.Query().Get("merchantIdInPayPal")
}

// A new shop connects a simulated Page and a PayPal account from its settings; the checklist on
// its overview follows.
func TestNewShopConnectsPageAndPayPal(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	owner := ts.signUp(t, "Harbor Goods", "hana@harbor.example")
	if home := owner.get("/app"); !strings.Contains(home.body, "0 of 4 steps done") {
		t.Fatal("a new shop's checklist does not start at 0 of 4")
	}

	// The Page: a new simulated Page, never another shop's.
	page := owner.get("/app/settings/messenger")
	if !hasTestID(page.body, "pick-page-new") || hasTestID(page.body, "pick-page-"+demo.PageID) {
		t.Fatal("the picker does not offer a new Page, or offers the demo shop's")
	}
	if res := owner.post("/app/settings/messenger/connect", url.Values{}); res.StatusCode != http.StatusUnprocessableEntity || !hasTestID(res.body, "error-page_id") {
		t.Fatalf("connect without a Page: %d", res.StatusCode)
	}
	pageID := connectNewPage(t, owner, "Harbor Goods")
	waitUntil(t, "the app to be subscribed to the Page", func() bool {
		return strings.Contains(owner.get("/app/settings/messenger").body, "message_reads")
	})
	body := owner.get("/app/settings/messenger").body
	token := sandbox.PageToken(pageID)
	if !strings.Contains(body, "Connected") || !strings.Contains(body, "EAAG…") || strings.Contains(body, token) {
		t.Fatal("the Page is not shown connected with its token masked")
	}
	var sealed string
	ts.store.ReaderDB().QueryRow("SELECT token_sealed FROM messenger_pages WHERE page_id = $1", pageID).Scan(&sealed)
	if sealed == "" || strings.Contains(sealed, token) {
		t.Fatalf("the token is not sealed at rest: %q", sealed)
	}
	fields, err := connect.GraphClient(ts.cfg).SubscribedFields(ctx, pageID, token)
	if err != nil || !slices.Equal(fields, messenger.PageFields) {
		t.Fatalf("the sandbox's subscription: %v %v", fields, err)
	}
	// A shopper's message reaches the shop: the Page shows its last event.
	var shopper struct{ PSID string }
	ts.sandboxJSON(t, "POST", "/sandbox/messenger/api/shoppers", `{"page_id":"`+pageID+`","name":"Ada Shopper","locale":"en_US"}`, &shopper)
	ts.sandboxJSON(t, "POST", "/sandbox/messenger/api/send", `{"page_id":"`+pageID+`","psid":"`+shopper.PSID+`","text":"hi"}`, nil)
	waitUntil(t, "the Page's first event", func() bool {
		return !strings.Contains(owner.get("/app/settings/messenger").body, "None yet")
	})

	// PayPal: Partner Referrals, the seller signs up and grants, back to the dashboard.
	res, merchant := connectPayPal(t, owner, true)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/settings/paypal" {
		t.Fatalf("return handler: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	settings := owner.get("/app/settings/paypal")
	if !hasTestID(settings.body, "flash-success") || !strings.Contains(settings.body, merchant) || !strings.Contains(settings.body, "Harbor Goods LLC") {
		t.Fatal("the PayPal account is not shown connected")
	}
	key := ts.waitEventOfType(t, "MERCHANT.ONBOARDING.COMPLETED", merchant)
	if status := ts.waitProcessed(t, "paypal", key); status != models.EventProcessed {
		t.Fatalf("onboarding event: %s", status)
	}

	// Countries: at least one, only known ones.
	if res := owner.post("/app/settings/countries", url.Values{}); res.StatusCode != http.StatusUnprocessableEntity || !hasTestID(res.body, "error-countries") {
		t.Fatalf("no countries: %d", res.StatusCode)
	}
	if res := owner.post("/app/settings/countries", url.Values{"countries": {"US", "CA", "XX"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save countries: %d", res.StatusCode)
	}
	if home := owner.get("/app"); !strings.Contains(home.body, "3 of 4 steps done") || !strings.Contains(home.body, "US, CA") {
		t.Fatal("the checklist does not count the Page, PayPal and the countries")
	}
}

// A seller who takes chatshop's permissions back in PayPal: the worker marks the account revoked,
// every page shows the banner (owners get the way to fix it), and the shop cannot take payments
// until it connects PayPal again.
func TestRevokedConsentShowsTheBanner(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)
	staff := ts.join(t, invite(t, owner, "sam@lakeside.example", "staff"), "Sam Staff")
	shop := ts.demoShop(t)

	if code := ts.sandboxJSON(t, "POST", "/sandbox/paypal/api/merchants/"+demo.MerchantID+"/revoke", "", nil); code != http.StatusOK {
		t.Fatalf("revoke: %d", code)
	}
	key := ts.waitEventOfType(t, "MERCHANT.PARTNER-CONSENT.REVOKED", demo.MerchantID)
	if status := ts.waitProcessed(t, "paypal", key); status != models.EventProcessed {
		t.Fatalf("revocation event: %s", status)
	}
	for _, path := range []string{"/app", "/app/products", "/app/settings", "/app/team"} {
		if res := owner.get(path); !hasTestID(res.body, "alert-paypal-reconnect") || !strings.Contains(res.body, `href="/app/settings/paypal"`) {
			t.Fatalf("%s: no reconnect banner for the owner", path)
		}
	}
	if res := staff.get("/app/orders"); !hasTestID(res.body, "alert-paypal-reconnect") || !strings.Contains(res.body, "Ask a shop owner") {
		t.Fatal("staff do not see the banner")
	}
	conns, _ := shop.Connections(context.Background())
	if conns.PaymentsReady() {
		t.Fatal("a shop whose consent was revoked can still take payments")
	}
	if res := owner.get("/app/settings/paypal"); !strings.Contains(res.body, "Permissions revoked") || !hasTestID(res.body, "connect-paypal") {
		t.Fatal("the PayPal settings do not offer to connect again")
	}

	// Connecting again clears the banner.
	if res, _ := connectPayPal(t, owner, true); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reconnect: %d", res.StatusCode)
	}
	if res := owner.get("/app"); hasTestID(res.body, "alert-paypal-reconnect") {
		t.Fatal("the banner stays after reconnecting")
	}
}

// A Page token Meta stops accepting (190) flips the Page to "needs reconnect" with the banner;
// picking the Page again with a new token fixes it.
func TestRevokedPageTokenNeedsReconnect(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)
	if res := owner.post("/app/settings/messenger/check", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("check: %d", res.StatusCode)
	}
	if body := owner.get("/app/settings/messenger").body; !hasTestID(body, "flash-success") || !strings.Contains(body, "messaging_postbacks") {
		t.Fatal("a working token does not check out")
	}

	ts.sandboxJSON(t, "POST", "/sandbox/messenger/api/pages/"+demo.PageID+"/token", `{"revoked":true}`, nil)
	owner.post("/app/settings/messenger/check", nil)
	body := owner.get("/app/settings/messenger").body
	if !strings.Contains(body, "Needs reconnect") || !hasTestID(body, "page-problem") || !hasTestID(body, "pick-page-"+demo.PageID) {
		t.Fatal("an invalid token does not ask for a reconnect of the same Page")
	}
	if res := owner.get("/app/products"); !hasTestID(res.body, "alert-page-reconnect") {
		t.Fatal("no reconnect banner")
	}

	if res := owner.post("/app/settings/messenger/connect", url.Values{"page_id": {demo.PageID}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reconnect: %d %s", res.StatusCode, res.body)
	}
	waitUntil(t, "the Page to be healthy again", func() bool {
		body := owner.get("/app/settings/messenger").body
		return strings.Contains(body, "message_reads") && !hasTestID(body, "alert-page-reconnect")
	})
}

// The return from PayPal is only a hint: a query naming another shop, another shop's seller, or
// permissions not granted connects nothing.
func TestPayPalReturnIsConfirmedWithPayPal(t *testing.T) {
	ts := newTestServer(t)
	demoShop := ts.demoShop(t)
	harbor := ts.signUp(t, "Harbor Goods", "hana@harbor.example")
	refused := func(query url.Values) {
		t.Helper()
		res := harbor.get("/app/settings/paypal/return?" + query.Encode())
		page := harbor.get("/app/settings/paypal")
		if res.StatusCode != http.StatusSeeOther || !hasTestID(page.body, "flash-error") || hasTestID(page.body, "paypal-account") {
			t.Fatalf("return %v: %d, connected anyway or no error", query, res.StatusCode)
		}
	}
	// The demo shop's return, replayed by Harbor.
	refused(url.Values{"merchantId": {models.TrackingID(demoShop.ShopID())}, "merchantIdInPayPal": {demo.MerchantID},
		"permissionsGranted": {"true"}, "consentStatus": {"true"}})

	var harborID int64
	ts.store.ReaderDB().QueryRow("SELECT id FROM shops WHERE name = 'Harbor Goods'").Scan(&harborID)
	// Harbor's tracking id with the demo shop's seller: PayPal says the seller is not Harbor's.
	refused(url.Values{"merchantId": {models.TrackingID(harborID)}, "merchantIdInPayPal": {demo.MerchantID},
		"permissionsGranted": {"true"}, "consentStatus": {"true"}})

	if res, _ := connectPayPal(t, harbor, false); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return without permissions: %d", res.StatusCode)
	}
	if page := harbor.get("/app/settings/paypal"); !strings.Contains(page.body, "did not grant") || hasTestID(page.body, "paypal-account") {
		t.Fatal("a seller who did not grant the permissions was connected")
	}
}

// In live mode a Page is connected with its id and an access token, checked with the Graph API
// before it is kept. The Graph API here is the emulator of another server.
func TestLivePageConnectionChecksTheToken(t *testing.T) {
	meta := newTestServer(t)
	type simulated struct {
		ID, Name    string
		AccessToken string `json:"access_token"`
	}
	var harbor, other simulated
	meta.sandboxJSON(t, "POST", "/sandbox/messenger/api/pages", `{"name":"Harbor Goods"}`, &harbor)
	meta.sandboxJSON(t, "POST", "/sandbox/messenger/api/pages", `{"name":"Someone Else"}`, &other)
	live := newLiveTestServer(t, "CHATSHOP_BASE_URL", "http://shop.example",
		"CHATSHOP_GRAPH_API_BASE", meta.URL+"/sandbox/graph/v21.0", "CHATSHOP_META_APP_SECRET", meta.cfg.MetaAppSecret)
	owner := live.signUp(t, "Harbor Goods", "hana@harbor.example")

	if page := owner.get("/app/settings/messenger"); !hasTestID(page.body, "page-token-form") || hasTestID(page.body, "simulated-pages") {
		t.Fatal("live mode does not ask for a Page id and token")
	}
	refused := func(form url.Values, field, words string) {
		t.Helper()
		res := owner.post("/app/settings/messenger/connect", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !hasTestID(res.body, "error-"+field) || !strings.Contains(res.body, words) {
			t.Fatalf("%v: %d, no %q on %s", form, res.StatusCode, words, field)
		}
		if strings.Contains(res.body, form.Get("access_token")) && form.Get("access_token") != "" {
			t.Fatal("the refused token is shown back")
		}
	}
	refused(url.Values{"page_id": {"my page"}, "access_token": {harbor.AccessToken}}, "page_id", "a number")
	refused(url.Values{"page_id": {harbor.ID}}, "access_token", "Paste the Page access token")
	refused(url.Values{"page_id": {harbor.ID}, "access_token": {"EAAGnotatoken"}}, "access_token", "Meta does not accept")
	refused(url.Values{"page_id": {harbor.ID}, "access_token": {other.AccessToken}}, "access_token", "belongs to the Page Someone Else")

	res := owner.post("/app/settings/messenger/connect", url.Values{"page_id": {harbor.ID}, "access_token": {harbor.AccessToken}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("connect: %d %s", res.StatusCode, res.body)
	}
	waitUntil(t, "the live server's worker to subscribe the app", func() bool {
		return strings.Contains(owner.get("/app/settings/messenger").body, "message_reads")
	})
}

// A seller who signs up on PayPal but never comes back to the dashboard: PayPal's
// MERCHANT.ONBOARDING.COMPLETED names the shop by its tracking id, and the worker records the
// account and confirms it with merchant-integrations.
func TestOnboardingWebhookConnectsASellerWhoNeverCameBack(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.signUp(t, "Harbor Goods", "hana@harbor.example")
	res := owner.get("/app/settings/paypal/connect")
	action, _ := url.Parse(res.Header.Get("Location"))
	seller := ts.browser(t) // PayPal's page, in a browser that never returns to chatshop
	seller.post("/sandbox/paypal/bizsignup/complete", url.Values{"referral": {action.Query().Get("referralToken")},
		"legal_name": {"Harbor Goods LLC"}, "email": {"hana@harbor.example"}, "grant": {"1"}, "email_confirmed": {"1"}})
	waitUntil(t, "the account to be connected by the webhook", func() bool {
		page := owner.get("/app/settings/paypal").body
		return strings.Contains(page, "Harbor Goods LLC") && strings.Contains(page, ">Connected<")
	})
	var audit int
	ts.store.ReaderDB().QueryRow("SELECT count(*) FROM audit_events WHERE actor_email = 'PayPal' AND action = $1", models.AuditConnectionChanged).Scan(&audit)
	if audit != 1 {
		t.Fatalf("%d audit entries from PayPal, want the onboarding's", audit)
	}
}
