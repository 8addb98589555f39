package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/app"
	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/demo"
)

// The emulators alone (`chatshop sandbox`): on their own address, with their pages and APIs and
// nothing of the app, delivering webhooks to the app's URL.
func TestStandaloneSandboxDeliversToTheApp(t *testing.T) {
	shop := newTestServer(t)
	args := append([]string{"--data-dir", t.TempDir(), "--app-url", shop.URL}, testFlags...)
	cfg, _, err := config.Load("sandbox", args, func(string) string { return "" }, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	emulators, err := app.New(context.Background(), cfg, app.Options{Role: app.SandboxOnly, Store: shop.store})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emulators.Stop)
	if err := emulators.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srvURL := "http://" + emulators.Addr().String()

	for path, want := range map[string]int{"/sandbox/messenger": 200, "/sandbox/api/info": 200, "/app": 404, "/login": 404} {
		res, err := http.Get(srvURL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("GET %s on the standalone sandbox = %d, want %d", path, res.StatusCode, want)
		}
		if path == "/sandbox/api/info" && !strings.Contains(string(body), shop.URL+"/webhooks/messenger") {
			t.Fatalf("info does not name the app's webhook URL: %s", body)
		}
	}
	// Alone, the emulators bound request bodies as the app does: a dispute's files may be large,
	// an offer may not.
	for path, want := range map[string]int{
		"/sandbox/paypal/v1/customer/disputes/PP-D-1/make-offer":       http.StatusRequestEntityTooLarge,
		"/sandbox/paypal/v1/customer/disputes/PP-D-1/provide-evidence": http.StatusUnauthorized,
	} {
		res, err := http.Post(srvURL+path, "application/json", strings.NewReader(strings.Repeat("x", 3<<20)))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("3 MB to %s on the standalone sandbox: %d, want %d", path, res.StatusCode, want)
		}
	}
	var shopper struct{ PSID string }
	doJSON(t, http.MethodPost, srvURL+"/sandbox/messenger/api/shoppers", `{"page_id":"`+demo.PageID+`","name":"Ada"}`, "", &shopper)
	var sent struct{ MID string }
	doJSON(t, http.MethodPost, srvURL+"/sandbox/messenger/api/send", `{"page_id":"`+demo.PageID+`","psid":"`+shopper.PSID+`","text":"hello from afar"}`, "", &sent)
	waitUntil(t, "the app to store the standalone sandbox's webhook", func() bool { return shop.messengerEvents(t, "message", sent.MID) == 1 })
}
