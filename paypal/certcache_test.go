package paypal_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/chatshop/chatshop/paypal"
)

// servingVerifier verifies vector v's deliveries with a Fetch that, like PayPal, serves the
// certificate whatever follows its URL, and counts the fetches.
func servingVerifier(t *testing.T, v vector, fetches *atomic.Int64) *paypal.Verifier {
	cert := read(t, v.cert)
	return &paypal.Verifier{WebhookID: v.webhookID, TrustedCertPrefixes: paypal.LiveCertPrefixes,
		Now: func() time.Time { return v.now },
		Fetch: func(context.Context, string) ([]byte, error) {
			fetches.Add(1)
			return cert, nil
		}}
}

// mixedCase spells s with its letters' case taken from the bits of i.
func mixedCase(s string, i int) string {
	b := []byte(s)
	for j := range b {
		if i>>(j%16)&1 == 1 && 'a' <= b[j] && b[j] <= 'z' {
			b[j] -= 'a' - 'A'
		}
	}
	return string(b)
}

// Ten thousand spellings of forged certificate URLs are refused without a fetch, and the ones
// that only change the case of the scheme and host are one URL: one fetch, one cache entry.
func TestForgedCertURLVariantsFetchAtMostOnce(t *testing.T) {
	v := vectors[2]
	body := read(t, v.body)
	var fetches atomic.Int64
	ver := servingVerifier(t, v, &fetches)
	const certs = "https://api.paypal.com/v1/notifications/certs/"
	for _, kind := range []struct {
		name string
		url  func(i int) string
		want error
	}{
		{"encoded query", func(i int) string { return fmt.Sprintf("%s%%3Fn%%3D%d", v.certURL, i) }, paypal.ErrUntrustedCert},
		{"double-encoded query", func(i int) string { return fmt.Sprintf("%s%%253Fn%%253D%d", v.certURL, i) }, paypal.ErrUntrustedCert},
		{"encoded dot segments", func(i int) string { return fmt.Sprintf("%s%%2e%%2e/%%2E%%2E/evil-%d", certs, i) }, paypal.ErrUntrustedCert},
		{"double-encoded dot segments", func(i int) string { return fmt.Sprintf("%s%%252e%%252e/evil-%d", certs, i) }, paypal.ErrUntrustedCert},
		{"encoded slash", func(i int) string { return fmt.Sprintf("%sCERT-1%%2f%d", certs, i) }, paypal.ErrUntrustedCert},
		{"encoded backslash", func(i int) string { return fmt.Sprintf("%sCERT-1%%5c%d", certs, i) }, paypal.ErrUntrustedCert},
		{"fragment", func(i int) string { return fmt.Sprintf("%s#%d", v.certURL, i) }, paypal.ErrUntrustedCert},
		{"userinfo", func(i int) string {
			return fmt.Sprintf("https://api.paypal.com@evil-%d.example/v1/notifications/certs/CERT-1", i)
		}, paypal.ErrUntrustedCert},
		{"look-alike host", func(i int) string {
			return fmt.Sprintf("https://api.paypal.com.evil-%d.example/v1/notifications/certs/CERT-1", i)
		}, paypal.ErrUntrustedCert},
		{"case of scheme and host", func(i int) string {
			return mixedCase("https://api.paypal.com", i) + strings.TrimPrefix(v.certURL, "https://api.paypal.com")
		}, nil},
	} {
		t.Run(kind.name, func(t *testing.T) {
			for i := range 1000 {
				h := v.headers()
				h.Set(paypal.HeaderCertURL, kind.url(i))
				if err := ver.Verify(context.Background(), h, body); !errors.Is(err, kind.want) {
					t.Fatalf("%s: Verify = %v, want %v", kind.url(i), err, kind.want)
				}
				if n := ver.CachedCerts(); n > paypal.CertCacheSize {
					t.Fatalf("after %s the cache holds %d certificates, more than %d", kind.url(i), n, paypal.CertCacheSize)
				}
			}
		})
	}
	if n := fetches.Load(); n != 1 {
		t.Fatalf("10,000 URLs, 9,000 forged and 1,000 spellings of one, made %d fetches, want 1", n)
	}
}

// Concurrent first requests for one URL fetch it once, and its result, a certificate or a
// failure, is used until it expires.
func TestOneFetchPerCertificateURL(t *testing.T) {
	v := vectors[2]
	body := read(t, v.body)
	cert := read(t, v.cert)
	for _, tc := range []struct {
		name  string
		serve bool // whether the fetch gets the certificate or fails
		want  error
		ttl   time.Duration
	}{
		{"certificate", true, nil, paypal.CertTTL},
		{"failure", false, paypal.ErrCertInvalid, paypal.CertFailureTTL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				now := v.now
				var fetches atomic.Int64
				release := make(chan struct{})
				ver := &paypal.Verifier{WebhookID: v.webhookID, TrustedCertPrefixes: paypal.LiveCertPrefixes,
					Now: func() time.Time { return now },
					Fetch: func(context.Context, string) ([]byte, error) {
						fetches.Add(1)
						<-release
						if tc.serve {
							return cert, nil
						}
						return nil, errors.New("dial tcp: lookup api.paypal.com on 10.0.0.2:53: no such host")
					}}
				errs := make([]error, 100)
				var wg sync.WaitGroup
				for i := range errs {
					wg.Go(func() { errs[i] = ver.Verify(context.Background(), v.headers(), body) })
				}
				synctest.Wait() // every caller is blocked: in the fetch, or waiting for it
				n := fetches.Load()
				close(release)
				wg.Wait()
				if n != 1 {
					t.Fatalf("%d concurrent callers made %d fetches, want 1", len(errs), n)
				}
				for _, err := range errs {
					if !errors.Is(err, tc.want) {
						t.Fatalf("Verify = %v, want %v", err, tc.want)
					}
				}
				for _, step := range []struct {
					after   time.Duration
					fetches int64
				}{{tc.ttl - time.Second, 1}, {time.Second, 2}} {
					now = now.Add(step.after)
					if err := ver.Verify(context.Background(), v.headers(), body); !errors.Is(err, tc.want) {
						t.Fatalf("Verify = %v, want %v", err, tc.want)
					}
					if n := fetches.Load(); n != step.fetches {
						t.Fatalf("%s after the first fetch: %d fetches, want %d", now.Sub(v.now), n, step.fetches)
					}
				}
			})
		})
	}
}

// certURLs are n distinct certificate URLs under PayPal's prefix.
func certURLs(n int) []string {
	urls := make([]string, n)
	for i := range urls {
		urls[i] = fmt.Sprintf("https://api.paypal.com/v1/notifications/certs/CERT-%d", i)
	}
	return urls
}

// The cache keeps at most CertCacheSize entries, the most recently used, and when it is full
// of failures it keeps the certificate PayPal signs with.
func TestCertCacheIsBounded(t *testing.T) {
	v := vectors[2]
	body := read(t, v.body)
	cert := read(t, v.cert)
	forged := certURLs(100)
	type check struct {
		url     string
		fetches int64 // counted from the start
	}
	for _, tc := range []struct {
		name  string
		serve func(url string) bool
		warm  []string
		then  []check
	}{
		{"certificates", func(string) bool { return true }, forged,
			[]check{{forged[99], 100}, {forged[0], 101}}},
		{"failures", func(url string) bool { return url == v.certURL }, append([]string{v.certURL}, forged...),
			[]check{{v.certURL, 101}, {forged[99], 101}, {forged[0], 102}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fetches atomic.Int64
			ver := &paypal.Verifier{WebhookID: v.webhookID, TrustedCertPrefixes: paypal.LiveCertPrefixes,
				Now: func() time.Time { return v.now },
				Fetch: func(_ context.Context, url string) ([]byte, error) {
					fetches.Add(1)
					if !tc.serve(url) {
						return nil, errors.New("404 Not Found")
					}
					return cert, nil
				}}
			verify := func(url string) {
				h := v.headers()
				h.Set(paypal.HeaderCertURL, url)
				want := paypal.ErrCertInvalid
				if tc.serve(url) {
					want = nil
				}
				if err := ver.Verify(context.Background(), h, body); !errors.Is(err, want) {
					t.Fatalf("%s: Verify = %v, want %v", url, err, want)
				}
				if n := ver.CachedCerts(); n > paypal.CertCacheSize {
					t.Fatalf("the cache holds %d certificates, more than %d", n, paypal.CertCacheSize)
				}
			}
			for _, url := range tc.warm {
				verify(url)
			}
			for _, c := range tc.then {
				verify(c.url)
				if n := fetches.Load(); n != c.fetches {
					t.Fatalf("after %s again: %d fetches, want %d", c.url, n, c.fetches)
				}
			}
		})
	}
}

// When every cache entry is being fetched, a new URL is refused rather than fetched: the
// fetches in flight are bounded too.
func TestFetchesInFlightAreBounded(t *testing.T) {
	v := vectors[2]
	body := read(t, v.body)
	cert := read(t, v.cert)
	synctest.Test(t, func(t *testing.T) {
		var fetches atomic.Int64
		release := make(chan struct{})
		ver := &paypal.Verifier{WebhookID: v.webhookID, TrustedCertPrefixes: paypal.LiveCertPrefixes,
			Now: func() time.Time { return v.now },
			Fetch: func(context.Context, string) ([]byte, error) {
				fetches.Add(1)
				<-release
				return cert, nil
			}}
		urls := certURLs(paypal.CertCacheSize + 1)
		errs := make([]error, len(urls))
		var wg sync.WaitGroup
		for i, url := range urls[:paypal.CertCacheSize] {
			h := v.headers()
			h.Set(paypal.HeaderCertURL, url)
			wg.Go(func() { errs[i] = ver.Verify(context.Background(), h, body) })
		}
		synctest.Wait() // the cache is full of fetches in flight
		last := len(urls) - 1
		h := v.headers()
		h.Set(paypal.HeaderCertURL, urls[last])
		wg.Go(func() { errs[last] = ver.Verify(context.Background(), h, body) })
		synctest.Wait()
		n := fetches.Load()
		close(release)
		wg.Wait()
		if n != paypal.CertCacheSize {
			t.Fatalf("%d fetches in flight, want %d", n, paypal.CertCacheSize)
		}
		if !errors.Is(errs[last], paypal.ErrCertInvalid) {
			t.Fatalf("a URL past the cache's size: Verify = %v, want ErrCertInvalid", errs[last])
		}
		for _, err := range errs[:last] {
			if err != nil {
				t.Fatalf("Verify = %v", err)
			}
		}
		if err := ver.Verify(context.Background(), h, body); err != nil {
			t.Fatalf("once the fetches are done, the URL refused before: Verify = %v", err)
		}
	})
}
