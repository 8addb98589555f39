package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/app"
	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/paypal"
	"github.com/chatshop/chatshop/sandbox"
	"github.com/chatshop/chatshop/sandbox/contract"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/worker"
)

// testServer is the real server, assembled as `chatshop serve` assembles it, over a real SQLite
// file (or PostgreSQL) with the demo data, on a loopback address.
type testServer struct {
	URL   string
	echo  *echo.Echo
	store *models.Store
	cfg   *config.Config
	// signer signs PayPal deliveries this server trusts (the emulator's).
	signer  *paypal.Signer
	sandbox *sandbox.Sandbox
	// sandboxDB is the emulators' store, in the app's database.
	sandboxDB *sandboxdb.DB
	jobs      *worker.Worker
	// refusals counts refused webhook deliveries; Flush writes them for a test to read.
	refusals *models.RefusalLog
}

// testFlags make the worker and the emulators' redeliveries quick, and keep the demo shop still.
var testFlags = []string{"--addr", "127.0.0.1:0", "--worker-concurrency", "4", "--worker-poll-interval", "10ms",
	"--sandbox-webhook-retries", "20ms,50ms", "--demo-activity=false"}

func newTestServer(t *testing.T, flags ...string) *testServer {
	t.Helper()
	args := append(append([]string{"--data-dir", t.TempDir()}, testFlags...), flags...)
	cfg, _, err := config.Load("serve", args, func(string) string { return "" }, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Every request to the PayPal emulator and every answer is checked against PayPal's OpenAPI files.
	checker, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // after the app has stopped
		for _, v := range checker.Violations() {
			t.Errorf("PayPal contract: %s", v)
		}
	})
	a := startApp(t, cfg, app.Options{RetryBase: 10 * time.Millisecond,
		Wrap: func(h http.Handler) http.Handler { return checker.Handler(h, "/sandbox/paypal") }})
	return serverOf(a)
}

// serverOf is the started app as the tests reach it.
func serverOf(a *app.App) *testServer {
	ts := &testServer{URL: "http://" + a.Addr().String(), echo: a.Web, store: a.Store, cfg: a.Config, sandbox: a.Sandbox,
		sandboxDB: a.SandboxDB, jobs: a.Jobs, refusals: a.Refusals}
	if a.Sandbox != nil {
		ts.signer = a.Sandbox.PayPalSigner()
	}
	return ts
}

// startApp builds and starts the app over a test database; the test's end stops it.
func startApp(t *testing.T, cfg *config.Config, opts app.Options) *app.App {
	t.Helper()
	opts.Store = modelstest.Open(t)
	a, err := app.New(context.Background(), cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Stop)
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a
}

// browser is an HTTP client with a cookie jar that does not follow redirects, so tests see them.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
}

func (ts *testServer) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: ts.URL, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type response struct {
	*http.Response
	body string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{res, string(body)}
}

func (b *browser) get(path string) response {
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

// page is the body of a page that must answer 200: a check that something is NOT on a page
// proves nothing if the page failed.
func (b *browser) page(path string) string {
	b.t.Helper()
	res := b.get(path)
	if res.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	return res.body
}

// post submits a form the way a browser on this site does.
func (b *browser) post(path string, form url.Values) response {
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func (b *browser) signIn(email, password string) {
	b.t.Helper()
	res := b.post("/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: status %d", email, res.StatusCode)
	}
}

func (b *browser) sessionCookie() *http.Cookie {
	u, _ := url.Parse(b.base)
	for _, c := range b.client.Jar.Cookies(u) {
		if strings.HasSuffix(c.Name, "chatshop_session") {
			return c
		}
	}
	return nil
}

func hasTestID(body, id string) bool { return strings.Contains(body, `data-testid="`+id+`"`) }

func TestHealthAndReadiness(t *testing.T) {
	ts := newTestServer(t)
	b := ts.browser(t)
	if res := b.get("/healthz"); res.StatusCode != 200 {
		t.Fatalf("/healthz = %d", res.StatusCode)
	}
	if res := b.get("/readyz"); res.StatusCode != 200 {
		t.Fatalf("/readyz = %d", res.StatusCode)
	}
	stopCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ts.jobs.Stop(stopCtx); err != nil {
		t.Fatal(err)
	}
	if res := b.get("/readyz"); res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(res.body, "worker not running") {
		t.Fatalf("/readyz when not ready = %d %q", res.StatusCode, res.body)
	}
}

func TestMetricsShowGoAndHTTP(t *testing.T) {
	ts := newTestServer(t)
	b := ts.browser(t)
	b.get("/healthz")
	b.get("/no-such-page")
	body := b.get("/metrics").body
	for _, want := range []string{
		"go_goroutines ",
		"process_resident_memory_bytes ",
		`chatshop_http_requests_total{code="200",method="GET",route="/healthz"} 1`,
		`chatshop_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`chatshop_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q in:\n%s", want, body)
		}
	}
}

func TestErrorPages(t *testing.T) {
	ts := newTestServer(t)
	ts.echo.GET("/boom", func(echo.Context) error { panic("kaboom") })
	b := ts.browser(t)

	res := b.get("/no-such-page")
	if res.StatusCode != 404 || !hasTestID(res.body, "error-page") || !strings.Contains(res.body, "Page not found") {
		t.Fatalf("404: %d %s", res.StatusCode, res.body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("404 content type %q", ct)
	}
	res = b.get("/boom")
	if res.StatusCode != 500 || !hasTestID(res.body, "error-page") || strings.Contains(res.body, "kaboom") {
		t.Fatalf("panic: %d, body shows internals or no error page: %s", res.StatusCode, res.body)
	}
	if !strings.Contains(res.body, res.Header.Get(echo.HeaderXRequestID)) {
		t.Fatal("the 500 page does not show the request id")
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/no-such-page", nil)
	req.Header.Set("Accept", "application/json")
	if res := b.do(req); res.StatusCode != 404 || !strings.Contains(res.body, `"status":404`) {
		t.Fatalf("JSON 404: %d %s", res.StatusCode, res.body)
	}
}

func TestSignInAndOut(t *testing.T) {
	ts := newTestServer(t)
	b := ts.browser(t)

	res := b.get("/app/products")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Fapp%2Fproducts" {
		t.Fatalf("signed out: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	res = b.post("/login", url.Values{"email": {"demo@chatshop.test"}, "password": {"wrong-password"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !hasTestID(res.body, "login-error") || !strings.Contains(res.body, `value="demo@chatshop.test"`) {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	res = b.post("/login", url.Values{"email": {"nobody@chatshop.test"}, "password": {"wrong-password"}})
	if !strings.Contains(res.body, "do not match an account") {
		t.Fatal("an unknown email got a different message than a wrong password")
	}
	if res := b.post("/login", url.Values{"email": {""}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty form: %d", res.StatusCode)
	}

	res = b.post("/login", url.Values{"email": {"demo@chatshop.test"}, "password": {"demo-password"}, "next": {"/app/products"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/products" {
		t.Fatalf("sign in: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	cookie := b.sessionCookie()
	if cookie == nil {
		t.Fatal("no session cookie")
	}
	setCookie := res.Header.Get("Set-Cookie")
	for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(setCookie, attr) {
			t.Errorf("session cookie %q lacks %s", setCookie, attr)
		}
	}
	res = b.get("/app/products")
	if res.StatusCode != 200 || !hasTestID(res.body, "products-table") || !strings.Contains(res.body, "Canvas Weekender Bag") {
		t.Fatalf("products page: %d", res.StatusCode)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("signed-in page Cache-Control = %q", res.Header.Get("Cache-Control"))
	}

	if res := b.post("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	// The old token is dead on the server, not just forgotten by this browser.
	thief := ts.browser(t)
	u, _ := url.Parse(ts.URL)
	thief.client.Jar.SetCookies(u, []*http.Cookie{cookie})
	if res := thief.get("/app"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a signed-out token still opens /app: %d", res.StatusCode)
	}
}

func TestSignInRenewsTheToken(t *testing.T) {
	ts := newTestServer(t)
	b := ts.browser(t)
	b.signIn("demo@chatshop.test", "demo-password")
	first := b.sessionCookie().Value
	b.post("/logout", nil)
	b.signIn("demo@chatshop.test", "demo-password")
	if b.sessionCookie().Value == first {
		t.Fatal("signing in again reused the session token")
	}
}

func TestNextRedirectStaysOnSite(t *testing.T) {
	ts := newTestServer(t)
	for _, next := range []string{"//evil.example/app", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "",
		"/\t/evil.example", "/\t\\evil.example", "/%09/evil.example", "/%2F/evil.example"} {
		t.Run(next, func(t *testing.T) {
			res := ts.browser(t).post("/login", url.Values{"email": {"demo@chatshop.test"}, "password": {"demo-password"}, "next": {next}})
			if loc := res.Header.Get("Location"); loc != "/app" {
				t.Fatalf("next=%q redirected to %q", next, loc)
			}
		})
	}
}

func TestReplayBackStaysOnSite(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.browser(t)
	admin.signIn("admin@chatshop.test", "admin-password")
	// An echo for a Page no shop has: an event the admin may replay.
	msg := `{"object":"page","entry":[{"id":"PAGE-NEW","time":1,"messaging":[{"sender":{"id":"PAGE-NEW"},"recipient":{"id":"PSID-9"},"timestamp":9,"message":{"mid":"m_back","is_echo":true,"app_id":1,"text":"hi"}}]}]}`
	if status, _ := ts.postMessenger(t, msg); status != 200 {
		t.Fatal(status)
	}
	ts.waitProcessed(t, "messenger", "mid:m_back")
	var id int64
	ts.store.ReaderDB().QueryRow("SELECT id FROM webhook_events WHERE event_key = 'mid:m_back'").Scan(&id)
	for _, tc := range []struct{ back, want string }{
		{"/admin/events?status=dead", "/admin/events?status=dead"},
		{"/\t/evil.example", "/admin/events"},
		{"/\t\\evil.example", "/admin/events"},
		{"//evil.example", "/admin/events"},
	} {
		t.Run(tc.back, func(t *testing.T) {
			res := admin.post("/admin/events/replay", url.Values{"id": {fmt.Sprint(id)}, "back": {tc.back}})
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != tc.want {
				t.Fatalf("back=%q: %d to %q, want %q", tc.back, res.StatusCode, loc, tc.want)
			}
		})
	}
}

func TestEveryAreaRendersForItsRole(t *testing.T) {
	ts := newTestServer(t)
	owner, admin := ts.browser(t), ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	admin.signIn("admin@chatshop.test", "admin-password")

	shopPages := []string{"/app", "/app/products", "/app/orders", "/app/shoppers", "/app/inbox", "/app/notifications",
		"/app/disputes", "/app/events", "/app/settings", "/app/team", "/app/audit"}
	adminPages := []string{"/admin/disputes", "/admin/shops", "/admin/events", "/admin/audit"}
	for _, path := range shopPages {
		res := owner.get(path)
		if res.StatusCode != 200 || !hasTestID(res.body, "page-title") || !hasTestID(res.body, "sidebar") {
			t.Errorf("owner %s: %d", path, res.StatusCode)
		}
		if res := admin.get(path); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/disputes" {
			t.Errorf("admin without a shop at %s: %d to %q", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	for _, path := range adminPages {
		if res := admin.get(path); res.StatusCode != 200 || !hasTestID(res.body, "page-title") {
			t.Errorf("admin %s: %d", path, res.StatusCode)
		}
		if res := owner.get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("owner %s: %d, want 403", path, res.StatusCode)
		}
	}
}

func TestCrossSitePostIsRefused(t *testing.T) {
	ts := newTestServer(t)
	b := ts.browser(t)
	b.signIn("demo@chatshop.test", "demo-password")
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/logout", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := b.do(req); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d, want 403", res.StatusCode)
	}
	if res := b.get("/app"); res.StatusCode != 200 {
		t.Fatalf("the refused POST signed the user out: %d", res.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t)
	res := ts.browser(t).get("/login")
	csp := res.Header.Get("Content-Security-Policy")
	i := strings.Index(csp, "'nonce-")
	if i < 0 {
		t.Fatalf("CSP without a nonce: %q", csp)
	}
	nonce := csp[i+len("'nonce-"):]
	nonce = nonce[:strings.Index(nonce, "'")]
	if !strings.Contains(res.body, `nonce="`+nonce+`"`) {
		t.Fatal("the page's script does not carry the CSP nonce")
	}
	if again := ts.browser(t).get("/login").Header.Get("Content-Security-Policy"); again == csp {
		t.Fatal("the nonce is the same on two requests")
	}
	for header, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "strict-origin-when-cross-origin",
	} {
		if got := res.Header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	if !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP lacks frame-ancestors: %q", csp)
	}
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain http")
	}
}

// Every response says how long the server took, up to its first byte.
func TestServerTiming(t *testing.T) {
	ts := newTestServer(t)
	ts.echo.GET("/slow", func(c echo.Context) error {
		time.Sleep(30 * time.Millisecond)
		return c.String(http.StatusOK, "done")
	})
	b := ts.browser(t)
	for path, least := range map[string]float64{"/slow": 30, "/login": 0, "/no-such-page": 0} {
		header := b.get(path).Header.Get("Server-Timing")
		ms, err := strconv.ParseFloat(strings.TrimPrefix(header, "app;dur="), 64)
		if !strings.HasPrefix(header, "app;dur=") || err != nil || ms < least || ms > least+5_000 {
			t.Errorf("%s: Server-Timing %q, want app;dur= at least %v ms", path, header, least)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	ts := newTestServer(t)
	b := ts.browser(t)
	page := b.get("/login").body
	i := strings.Index(page, `href="/static/css/app.`)
	if i < 0 {
		t.Fatal("the page links no fingerprinted stylesheet")
	}
	href := page[i+len(`href="`):]
	href = href[:strings.Index(href, `"`)]

	req, _ := http.NewRequest(http.MethodGet, ts.URL+href, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res := b.do(req)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("%s: %d cache=%q encoding=%q", href, res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("Content-Encoding"))
	}
	if res := b.get("/static/css/app.css"); res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("plain name: %d cache=%q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	for _, path := range []string{"/static/css/app.0000000000.css", "/static/../go.mod", "/static/src/app.css"} {
		if res := b.get(path); res.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", path, res.StatusCode)
		}
	}
}
