package paypal_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/paypal"
)

// certPrefixes are PayPal's prefixes and a sandbox emulator's, as cmd/chatshop configures them.
var certPrefixes = append([]string{"http://127.0.0.1:18481/sandbox/paypal/v1/notifications/certs/"}, paypal.LiveCertPrefixes...)

func TestCanonicalCertURL(t *testing.T) {
	const live = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1a5f47cb"
	for _, tc := range []struct {
		raw, want string // want "" means refused
	}{
		{live, live},
		{"HTTPS://API.PayPal.COM/v1/notifications/certs/CERT-360caa42-fca2a594-1a5f47cb", live},
		{"https://api-m.sandbox.paypal.com/v1/notifications/certs/CERT-1.pem", "https://api-m.sandbox.paypal.com/v1/notifications/certs/CERT-1.pem"},
		{"http://127.0.0.1:18481/sandbox/paypal/v1/notifications/certs/CERT-sandbox-0a1b2c3d4e5f",
			"http://127.0.0.1:18481/sandbox/paypal/v1/notifications/certs/CERT-sandbox-0a1b2c3d4e5f"},
		{"", ""},
		{live + "%3Fn%3D1", ""},
		{live + "?n=1", ""},
		{live + "?", ""},
		{live + "#x", ""},
		{"https://api.paypal.com/v1/notifications/certs/%43ERT-1", ""}, // an encoded unreserved letter
		{"https://api.paypal.com/v1/notifications/certs/%2e%2e/evil", ""},
		{"https://api.paypal.com/v1/notifications/certs/%252e%252e/evil", ""},
		{"https://api.paypal.com/v1/notifications/certs/CERT-1%2fx", ""},
		{"https://api.paypal.com/v1/notifications/certs/CERT-1%5cx", ""},
		{"https://api.paypal.com/v1/notifications/certs/CERT-1\\x", ""},
		{"https://api.paypal.com/v1/notifications/certs/..", ""},
		{"https://api.paypal.com/v1/notifications/certs/.", ""},
		{"https://api.paypal.com/v1/notifications/certs/./CERT-1", ""},
		{"https://api.paypal.com/v1/notifications/certs//CERT-1", ""},
		{"https://api.paypal.com/v1/notifications/certs/CERT-1/", ""},
		{"https://api.paypal.com/v1/notifications/certs/a/CERT-1", ""},
		{"https://api.paypal.com/v1/notifications/certs/", ""},
		{"https://api.paypal.com/v1/notifications/certs/CERT 1", ""},
		{"https://api.paypal.com/v1/notifications/certs/CERT-1\n", ""},
		{"https://api.paypal.com/v1/notifications/certs/CERT-é", ""},
		{"https://api.paypal.com@evil.example/v1/notifications/certs/CERT-1", ""},
		{"https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1", ""},
		{"https://api.paypal.com./v1/notifications/certs/CERT-1", ""},
		{"https://api.paypal.com:443/v1/notifications/certs/CERT-1", ""},
		{"https://api.paypal.com:/v1/notifications/certs/CERT-1", ""},
		{"http://api.paypal.com/v1/notifications/certs/CERT-1", ""},
		{"http://127.0.0.1:18482/sandbox/paypal/v1/notifications/certs/CERT-1", ""},
		{"http://127.0.0.1/sandbox/paypal/v1/notifications/certs/CERT-1", ""},
		{"//api.paypal.com/v1/notifications/certs/CERT-1", ""},
		{"https:api.paypal.com/v1/notifications/certs/CERT-1", ""},
		{"file:///etc/passwd", ""},
		{live + strings.Repeat("a", 600), ""},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			got, err := paypal.CanonicalCertURL(tc.raw, certPrefixes)
			if tc.want == "" {
				if !errors.Is(err, paypal.ErrUntrustedCert) {
					t.Fatalf("CanonicalCertURL = %q, %v; want ErrUntrustedCert", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("CanonicalCertURL = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// A prefix is matched with its scheme and host in any case, and one with no host trusts nothing.
func TestCertPrefixes(t *testing.T) {
	const url = "https://api.paypal.com/v1/notifications/certs/CERT-1"
	for _, tc := range []struct {
		prefix  string
		trusted bool
	}{
		{"https://api.paypal.com/v1/notifications/certs/", true},
		{"HTTPS://API.PAYPAL.COM/v1/notifications/certs/", true},
		{"https://api.paypal.com/V1/notifications/certs/", false},
		{"https://api.paypal.com/v1/notifications/certs", false},
		{"https://api.paypal.com/v1/notifications/", false},
		{"https://", false},
		{"http://", false},
		{"", false},
	} {
		t.Run(tc.prefix, func(t *testing.T) {
			_, err := paypal.CanonicalCertURL(url, []string{tc.prefix})
			if trusted := err == nil; trusted != tc.trusted {
				t.Fatalf("trusted = %v (%v), want %v", trusted, err, tc.trusted)
			}
		})
	}
}

// FuzzCertURL: whatever the input, CanonicalCertURL refuses it or returns a URL under a trusted
// prefix with nothing a fetch could decode or resolve into another resource, in a form that is
// its own canonical form.
func FuzzCertURL(f *testing.F) {
	for _, s := range []string{
		"https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1a5f47cb",
		"HTTPS://API.PAYPAL.COM/v1/notifications/certs/CERT-1",
		"http://127.0.0.1:18481/sandbox/paypal/v1/notifications/certs/CERT-sandbox-1",
		"https://api.paypal.com/v1/notifications/certs/CERT-1%3Fn%3D1",
		"https://api.paypal.com/v1/notifications/certs/%252e%252e/x",
		"https://api.paypal.com@evil.example/v1/notifications/certs/CERT-1",
		"https://api.paypal.com/v1/notifications/certs/CERT-1#x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := paypal.CanonicalCertURL(raw, certPrefixes)
		if err != nil {
			if !errors.Is(err, paypal.ErrUntrustedCert) {
				t.Fatalf("error %v does not wrap ErrUntrustedCert", err)
			}
			return
		}
		under := false
		for _, p := range certPrefixes {
			under = under || strings.HasPrefix(got, p) && len(got) > len(p)
		}
		if !under || strings.ContainsAny(got, "%?#\\@") || strings.Contains(got, "..") {
			t.Fatalf("CanonicalCertURL(%q) = %q", raw, got)
		}
		if again, err := paypal.CanonicalCertURL(got, certPrefixes); again != got || err != nil {
			t.Fatalf("CanonicalCertURL(%q) = %q, %v; not its own canonical form", got, again, err)
		}
	})
}
