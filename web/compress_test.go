package web_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
)

// getGzipped requests path accepting gzip, as browsers do, and returns the response with its body
// as sent on the wire.
func (b *browser) getGzipped(path string) response {
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	req.Header.Set("Accept-Encoding", "gzip") // set by hand, so the client leaves the body compressed
	return b.do(req)
}

func gunzip(t *testing.T, body string) string {
	t.Helper()
	r, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("gzip stream: %v", err)
	}
	return string(plain)
}

func TestPagesAreCompressed(t *testing.T) {
	ts := newTestServer(t)
	b := ts.browser(t)

	for path, want := range map[string]struct {
		status int
		testID string
	}{"/login": {200, "login-form"}, "/no-such-page": {404, "error-page"}} {
		res := b.getGzipped(path)
		if res.StatusCode != want.status || res.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: %d, encoding %q", path, res.StatusCode, res.Header.Get("Content-Encoding"))
		}
		if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: Vary %q, caches would mix the encodings", path, res.Header.Get("Vary"))
		}
		if page := gunzip(t, res.body); !hasTestID(page, want.testID) || !strings.HasSuffix(strings.TrimSpace(page), "</html>") {
			t.Errorf("%s: the page decompressed is not whole: %.200s", path, page)
		}
	}

	// The metrics endpoint compresses its own output: compressed once, not twice.
	if res := b.getGzipped("/metrics"); res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(gunzip(t, res.body), "go_goroutines ") {
		t.Errorf("metrics: encoding %q, or not readable after one gunzip", res.Header.Get("Content-Encoding"))
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/login", nil)
	req.Header.Set("Accept-Encoding", "identity")
	if res := b.do(req); res.Header.Get("Content-Encoding") != "" || !hasTestID(res.body, "login-form") {
		t.Errorf("a client that accepts no gzip got encoding %q", res.Header.Get("Content-Encoding"))
	}
}
