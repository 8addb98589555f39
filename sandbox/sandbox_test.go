package sandbox_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/paypal"
	"github.com/chatshop/chatshop/sandbox"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// A delivery answered with an error is delivered again on the schedule, with the same
// transmission id, until it is acknowledged; each attempt verifies.
func TestPayPalWebhooksAreRedeliveredUntilAcknowledged(t *testing.T) {
	var mu sync.Mutex
	var transmissions []string
	var certPrefix string // the emulator's, known once it has started; under mu
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		prefixes := []string{certPrefix}
		mu.Unlock()
		v := &paypal.Verifier{WebhookID: "WH-SANDBOX", TrustedCertPrefixes: prefixes,
			Fetch: func(ctx context.Context, url string) ([]byte, error) {
				res, err := http.Get(url)
				if err != nil {
					return nil, err
				}
				defer res.Body.Close()
				return io.ReadAll(res.Body)
			}}
		if err := v.Verify(r.Context(), r.Header, body); err != nil {
			t.Errorf("attempt not verifiable: %v", err)
		}
		mu.Lock()
		transmissions = append(transmissions, r.Header.Get("Paypal-Transmission-Id"))
		n := len(transmissions)
		mu.Unlock()
		if n < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer app.Close()

	box, emuURL, cfg, store := payPalEmulator(t, app.URL, 10*time.Millisecond, 10*time.Millisecond, 10*time.Millisecond)
	mu.Lock()
	certPrefix = cfg.PayPalAPIBase + "/v1/notifications/certs/"
	mu.Unlock()

	res, err := http.Post(emuURL+"/sandbox/paypal/api/webhooks", "application/json",
		strings.NewReader(`{"event_type":"PAYMENT.CAPTURE.DENIED","resource":{"id":"7NW873794T343360M","status":"DECLINED"}}`))
	if err != nil || res.StatusCode != http.StatusAccepted {
		t.Fatalf("control API: %v %v", res, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(transmissions)
		mu.Unlock()
		if n >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d attempts after 5s, want 3", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // an acknowledged delivery must not be sent again
	mu.Lock()
	defer mu.Unlock()
	if len(transmissions) != 3 || transmissions[0] != transmissions[2] {
		t.Fatalf("attempts %v; want 3 with one transmission id", transmissions)
	}

	// The signing key survives a restart: the certificate URL stays the same.
	again, err := sandbox.New(cfg, openDB(t, store), store, sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.PayPalSigner().CertURL != box.PayPalSigner().CertURL {
		t.Fatal("the signing certificate changed across a restart")
	}
}

// payPalEmulator starts the PayPal emulator delivering its webhooks to appURL, again after each
// delay of retry; its certificate and its control API's webhook route are served at emuURL.
func payPalEmulator(t *testing.T, appURL string, retry ...time.Duration) (box *sandbox.Sandbox, emuURL string, cfg *config.Config, store *models.Store) {
	t.Helper()
	e := echo.New()
	emu := httptest.NewServer(e)
	t.Cleanup(emu.Close)
	cfg = &config.Config{DataDir: t.TempDir(), BaseURL: appURL, PayPalAPIBase: emu.URL + "/sandbox/paypal", PayPalWebhookID: "WH-SANDBOX",
		PayPalClientID: "id", PayPalClientSecret: "secret"}
	store = modelstest.Open(t)
	box, err := sandbox.New(cfg, openDB(t, store), store, sandbox.Options{RetrySchedule: retry})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(box.Close)
	e.GET("/sandbox/paypal/v1/notifications/certs/:id", box.PayPalCertificate)
	e.POST("/sandbox/paypal/api/webhooks", box.SendPayPalWebhook)
	return box, emu.URL, cfg, store
}

// openDB opens the emulators' store in the app's database.
func openDB(t *testing.T, store *models.Store) *sandboxdb.DB {
	t.Helper()
	db, err := sandboxdb.Open(context.Background(), store, sandboxdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// The demo data, made by the app, names the demo Page's token and merchant's email as the
// emulators make them.
func TestDemoCredentialsAreTheEmulators(t *testing.T) {
	if got := sandbox.PageToken(demo.PageID); got != demo.PageToken {
		t.Errorf("demo Page token %q, the Graph emulator accepts %q", demo.PageToken, got)
	}
	if got := sandboxdb.MerchantEmail(demo.MerchantID); got != demo.MerchantEmail {
		t.Errorf("demo merchant email %q, the PayPal emulator says %q", demo.MerchantEmail, got)
	}
}
