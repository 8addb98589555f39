package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chatshop/chatshop/app"
	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
)

func TestSandboxInfo(t *testing.T) {
	ts := newTestServer(t)
	res := ts.browser(t).get("/sandbox/api/info")
	var info struct {
		Pages     []struct{ ID, Name, Shop string }
		Merchants []struct {
			MerchantID string `json:"merchant_id"`
			Shop       string
		}
		Buyers []struct{ Email, Name, Country string }
		PayPal map[string]string
	}
	if err := json.Unmarshal([]byte(res.body), &info); err != nil {
		t.Fatalf("%d %s: %v", res.StatusCode, res.body, err)
	}
	if len(info.Pages) != 1 || info.Pages[0].ID != demo.PageID || info.Pages[0].Shop != "Lakeside Supply Co." {
		t.Fatalf("pages %+v", info.Pages)
	}
	if len(info.Merchants) != 1 || info.Merchants[0].MerchantID != demo.MerchantID {
		t.Fatalf("merchants %+v", info.Merchants)
	}
	if len(info.Buyers) == 0 || info.Buyers[0].Country != "US" || !strings.Contains(info.PayPal["cert_url"], "/sandbox/paypal/v1/notifications/certs/CERT-") {
		t.Fatalf("buyers %+v paypal %v", info.Buyers, info.PayPal)
	}
}

// The control API wraps any resource in PayPal's envelope, signs it with the emulator's
// certificate and delivers it to the app, which verifies and processes it.
func TestSandboxDeliversSignedPayPalEvents(t *testing.T) {
	ts := newTestServer(t)
	owner, _ := ts.store.UserByEmail(context.Background(), demo.OwnerEmail)
	ms, _ := ts.store.MembershipsOf(context.Background(), owner.ID)
	shop := ts.store.ForShop(ms[0].ShopID)

	resource := `{"id":"4X931852VJ0937413","status":"COMPLETED","amount":{"currency_code":"USD","value":"28.00"},"payee":{"merchant_id":"` + demo.MerchantID + `"}}`
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/sandbox/paypal/api/webhooks", strings.NewReader(`{"event_type":"PAYMENT.CAPTURE.COMPLETED","resource":`+resource+`}`))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		EventID string `json:"event_id"`
	}
	json.NewDecoder(res.Body).Decode(&out)
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted || !strings.HasPrefix(out.EventID, "WH-") || len(out.EventID) != 38 {
		t.Fatalf("control API: %d %+v", res.StatusCode, out)
	}
	if s := ts.waitProcessed(t, "paypal", out.EventID); s != models.EventProcessed {
		t.Fatalf("event %s", s)
	}
	p, err := shop.PaymentByCapture(context.Background(), "4X931852VJ0937413")
	if err != nil || p.AmountMinor != 2800 || p.Status != "COMPLETED" {
		t.Fatalf("payment %+v %v", p, err)
	}
	var headers string
	ts.store.ReaderDB().QueryRow("SELECT d.headers FROM webhook_deliveries d JOIN webhook_events e ON e.delivery_id = d.id WHERE e.event_key = $1", out.EventID).Scan(&headers)
	for _, h := range []string{"Paypal-Transmission-Id", "Paypal-Transmission-Sig", "Paypal-Cert-Url", "Paypal-Auth-Algo", "Paypal-Auth-Version"} {
		if !strings.Contains(headers, h) {
			t.Errorf("the delivery lacks %s", h)
		}
	}
	if res := ts.browser(t).post("/sandbox/paypal/api/webhooks", url.Values{"x": {"y"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a malformed control request: %d", res.StatusCode)
	}
}

func TestSandboxOAuthAndVerifyEndpoint(t *testing.T) {
	ts := newTestServer(t)
	token := func(id, secret string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, ts.cfg.PayPalAPIBase+"/v1/oauth2/token", strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(id, secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var tok struct {
			AccessToken string `json:"access_token"`
			ExpiresIn   int    `json:"expires_in"`
		}
		json.NewDecoder(res.Body).Decode(&tok)
		return res.StatusCode, tok.AccessToken
	}
	if status, _ := token(ts.cfg.PayPalClientID, "wrong"); status != 401 {
		t.Fatalf("wrong secret: %d", status)
	}
	status, tok := token(ts.cfg.PayPalClientID, ts.cfg.PayPalClientSecret)
	if status != 200 || tok == "" {
		t.Fatalf("token: %d", status)
	}
	body := []byte(`{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{}}`)
	h, _ := ts.signer.Headers(body, "tx-verify", timeNow())
	verify := func(bearer string, event []byte) (int, string) {
		req := map[string]any{"auth_algo": h.Get("Paypal-Auth-Algo"), "cert_url": h.Get("Paypal-Cert-Url"), "transmission_id": h.Get("Paypal-Transmission-Id"),
			"transmission_sig": h.Get("Paypal-Transmission-Sig"), "transmission_time": h.Get("Paypal-Transmission-Time"),
			"webhook_id": ts.cfg.PayPalWebhookID, "webhook_event": json.RawMessage(event)}
		b, _ := json.Marshal(req)
		r, _ := http.NewRequest(http.MethodPost, ts.cfg.PayPalAPIBase+"/v1/notifications/verify-webhook-signature", strings.NewReader(string(b)))
		r.Header.Set("Authorization", "Bearer "+bearer)
		r.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(out)
	}
	if status, out := verify(tok, body); status != 200 || !strings.Contains(out, `"SUCCESS"`) {
		t.Fatalf("valid: %d %s", status, out)
	}
	if _, out := verify(tok, []byte(`{"id":"WH-2","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{}}`)); !strings.Contains(out, `"FAILURE"`) {
		t.Fatalf("tampered: %s", out)
	}
	if status, out := verify("not-a-token", body); status != 401 || !strings.Contains(out, "AUTHENTICATION_FAILURE") {
		t.Fatalf("no token: %d %s", status, out)
	}
}

// In live mode the emulators do not exist: no route, and no table in the database the live
// assembly made.
func TestNoSandboxInLiveMode(t *testing.T) {
	ts := newLiveTestServer(t)
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'sandbox%'"
	if ts.store.Postgres() {
		q = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'sandbox%'"
	}
	var n int
	if err := ts.store.ReaderDB().QueryRow(q).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the live database has %d sandbox tables (%v)", n, err)
	}
	for route, rule := range routeRules {
		if rule.access != sandboxOnly {
			continue
		}
		method, path, _ := strings.Cut(route, " ")
		req, _ := http.NewRequest(method, ts.URL+fillPath(path, 1), nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("live %s: %d, want 404", route, res.StatusCode)
		}
	}
}

func timeNow() time.Time { return time.Now() }

// newLiveTestServer is the server configured for live mode: real provider settings (or those of
// overrides, as environment variable and value pairs), no emulators, a worker for the jobs its
// pages enqueue.
func newLiveTestServer(t *testing.T, overrides ...string) *testServer {
	t.Helper()
	env := map[string]string{
		"CHATSHOP_MODE": "live", "CHATSHOP_SECRET_KEY": strings.Repeat("k", 32), "CHATSHOP_BASE_URL": "https://shop.example",
		"CHATSHOP_PAYPAL_CLIENT_ID": "id", "CHATSHOP_PAYPAL_CLIENT_SECRET": "secret", "CHATSHOP_PAYPAL_WEBHOOK_ID": "WH1", "CHATSHOP_PAYPAL_PARTNER_ID": "PARTNER123456",
		"CHATSHOP_PAYPAL_API_BASE": "https://api-m.paypal.com", "CHATSHOP_META_APP_SECRET": "s", "CHATSHOP_META_VERIFY_TOKEN": "v",
		"CHATSHOP_GRAPH_API_BASE": "https://graph.facebook.com/v21.0",
	}
	for i := 0; i+1 < len(overrides); i += 2 {
		env[overrides[i]] = overrides[i+1]
	}
	args := append([]string{"--data-dir", t.TempDir()}, testFlags...)
	cfg, _, err := config.Load("serve", args, func(k string) string { return env[k] }, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	return serverOf(startApp(t, cfg, app.Options{RetryBase: 10 * time.Millisecond}))
}
