package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func getMetrics(t *testing.T, srv *testServer, authorization string) (int, string) {
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
	if code, _ := getMetrics(t, newLiveTestServer(t), ""); code != http.StatusNotFound {
		t.Fatalf("live /metrics with no token configured: %d, want 404", code)
	}
	srv := newLiveTestServer(t, "CHATSHOP_METRICS_TOKEN", "scrape-me")
	for _, auth := range []string{"", "Bearer wrong", "Bearer scrape-me2", "scrape-me", "Basic c2NyYXBlLW1l"} {
		if code, body := getMetrics(t, srv, auth); code != http.StatusUnauthorized || strings.Contains(body, "go_goroutines") {
			t.Fatalf("live /metrics with Authorization %q: %d", auth, code)
		}
	}
	if code, body := getMetrics(t, srv, "Bearer scrape-me"); code != 200 || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("live /metrics with the token: %d %.200s", code, body)
	}
}
