package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/sandbox"
	"github.com/chatshop/chatshop/web"
)

// The emulators alone (`chatshop sandbox`): on their own address, with their pages and APIs and
// nothing of the app, delivering webhooks to the app's URL.
func TestStandaloneSandboxDeliversToTheApp(t *testing.T) {
	app := newTestServer(t)
	cfg := *app.cfg
	srv := httptest.NewUnstartedServer(nil)
	cfg.BaseURL, cfg.PayPalAPIBase, cfg.GraphAPIBase = "", "", ""
	cfg.ResolveBaseURL(srv.Listener.Addr())
	box, err := sandbox.New(&cfg, app.sandboxDB, app.store, sandbox.Options{AppURL: app.URL, RetrySchedule: []time.Duration{20 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = web.NewSandboxServer(cfg.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)), box)
	srv.Start()
	t.Cleanup(func() { srv.Close(); box.Close() })

	for path, want := range map[string]int{"/sandbox/messenger": 200, "/sandbox/api/info": 200, "/app": 404, "/login": 404} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("GET %s on the standalone sandbox = %d, want %d", path, res.StatusCode, want)
		}
		if path == "/sandbox/api/info" && !strings.Contains(string(body), app.URL+"/webhooks/messenger") {
			t.Fatalf("info does not name the app's webhook URL: %s", body)
		}
	}
	var shopper struct{ PSID string }
	doJSON(t, http.MethodPost, srv.URL+"/sandbox/messenger/api/shoppers", `{"page_id":"`+models.DemoPageID+`","name":"Ada"}`, "", &shopper)
	var sent struct{ MID string }
	doJSON(t, http.MethodPost, srv.URL+"/sandbox/messenger/api/send", `{"page_id":"`+models.DemoPageID+`","psid":"`+shopper.PSID+`","text":"hello from afar"}`, "", &sent)
	waitUntil(t, "the app to store the standalone sandbox's webhook", func() bool { return app.messengerEvents(t, "message", sent.MID) == 1 })
}
