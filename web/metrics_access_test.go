package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/web"
)

// liveServer is the web server in live mode with the given extra settings; only what /metrics
// needs is wired.
func liveServer(t *testing.T, extra map[string]string) *httptest.Server {
	t.Helper()
	env := map[string]string{
		"CHATSHOP_MODE": "live", "CHATSHOP_SECRET_KEY": strings.Repeat("k", 32), "CHATSHOP_BASE_URL": "https://shop.example",
		"CHATSHOP_PAYPAL_CLIENT_ID": "id", "CHATSHOP_PAYPAL_CLIENT_SECRET": "secret", "CHATSHOP_PAYPAL_WEBHOOK_ID": "WH-1", "CHATSHOP_PAYPAL_PARTNER_ID": "PARTNER123456",
		"CHATSHOP_PAYPAL_API_BASE": "https://api-m.paypal.example", "CHATSHOP_META_APP_SECRET": "s",
		"CHATSHOP_META_VERIFY_TOKEN": "v", "CHATSHOP_GRAPH_API_BASE": "https://graph.example/v21.0",
	}
	for k, v := range extra {
		env[k] = v
	}
	cfg, _, err := config.Load("serve", []string{"--data-dir", t.TempDir()}, func(k string) string { return env[k] }, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	store := modelstest.Open(t)
	refusals := store.NewRefusalLog(nil)
	t.Cleanup(refusals.Close)
	srv := httptest.NewServer(web.New(web.Deps{
		Config: cfg, Store: store, Sessions: web.NewSessionManager(store.Sessions(), cfg.BaseURL),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: web.NewRegistry(), Refusals: refusals,
		Ready: func(context.Context) error { return nil },
	}))
	t.Cleanup(srv.Close)
	return srv
}

func getMetrics(t *testing.T, srv *httptest.Server, authorization string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/metrics", nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// In live mode /metrics is not public: without a token it is not served on the main address,
// and with one it answers only the bearer of it.
func TestLiveMetricsNeedTheToken(t *testing.T) {
	if code, _ := getMetrics(t, liveServer(t, nil), ""); code != http.StatusNotFound {
		t.Fatalf("live /metrics with no token configured: %d, want 404", code)
	}
	srv := liveServer(t, map[string]string{"CHATSHOP_METRICS_TOKEN": "scrape-me"})
	for _, auth := range []string{"", "Bearer wrong", "Bearer scrape-me2", "scrape-me", "Basic c2NyYXBlLW1l"} {
		if code, body := getMetrics(t, srv, auth); code != http.StatusUnauthorized || strings.Contains(body, "go_goroutines") {
			t.Fatalf("live /metrics with Authorization %q: %d", auth, code)
		}
	}
	if code, body := getMetrics(t, srv, "Bearer scrape-me"); code != 200 || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("live /metrics with the token: %d %.200s", code, body)
	}
}
