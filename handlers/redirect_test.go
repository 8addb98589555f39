package handlers

import (
	"net/url"
	"strings"
	"testing"
)

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct {
		next, want string
	}{
		{"/app/products", "/app/products"},
		{"/", "/"},
		{"/app?x=//evil", "/app?x=//evil"}, // a query may hold anything: it is no host
		{"/app#frag", "/app#frag"},
		{"/app/orders?status=paid&q=a%20b", "/app/orders?status=paid&q=a%20b"},
		{"", "/app"},
		{"app", "/app"},
		{"//evil", "/app"},
		{"//evil.example/app", "/app"},
		{"/\\evil", "/app"},
		{"/\t/evil.example", "/app"},  // browsers drop the tab and read //evil.example
		{"/\t\\evil.example", "/app"}, // and read \ as /
		{"/%09/evil.example", "/app"}, // a tab once decoded
		{"/%2F/evil.example", "/app"},
		{"/%2fevil.example", "/app"},
		{"/%5Cevil.example", "/app"},
		{"/app\r\nSet-Cookie: x=1", "/app"},
		{"/app\x7f", "/app"},
		{"/app\\..\\", "/app"},
		{"https://evil", "/app"},
		{"https:/evil", "/app"},
		{"javascript:alert(1)", "/app"},
		{" /app", "/app"},
		{"/app%zz", "/app"}, // not a URL
	} {
		t.Run(tc.next, func(t *testing.T) {
			if got := safeNext(tc.next); got != tc.want {
				t.Fatalf("safeNext(%q) = %q, want %q", tc.next, got, tc.want)
			}
		})
	}
}

// FuzzSafeNext checks that whatever a request carries, the redirect is the dashboard or the
// input itself, and a path on this site by the browsers' reading of it.
func FuzzSafeNext(f *testing.F) {
	for _, seed := range []string{"/app", "/app?x=//evil", "/\t/evil.example", "/\t\\evil.example", "/%09/evil.example",
		"//evil", "/\\evil", "https://evil", "/%2F%2Fevil", "/app#frag", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got != "/app" && got != next {
			t.Fatalf("safeNext(%q) = %q: neither the input nor /app", next, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" {
			t.Fatalf("safeNext(%q) = %q: parses with scheme %q, host %q, error %v", next, got, u.Scheme, u.Host, err)
		}
		if !strings.HasPrefix(got, "/") || len(got) > 1 && (got[1] == '/' || got[1] == '\\') {
			t.Fatalf("safeNext(%q) = %q: not a path starting with one /", next, got)
		}
		if strings.HasPrefix(u.Path, "//") {
			t.Fatalf("safeNext(%q) = %q: its path decodes to %q", next, got, u.Path)
		}
		for _, s := range []string{got, u.Path} {
			if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
				t.Fatalf("safeNext(%q) = %q: a control character or backslash in %q", next, got, s)
			}
		}
	})
}
