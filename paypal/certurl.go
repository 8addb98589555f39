package paypal

import (
	"fmt"
	"net/url"
	"strings"
)

// maxCertURLLen bounds the certificate URL a delivery may name; PayPal's are under 100 bytes.
const maxCertURLLen = 512

// CanonicalCertURL returns the certificate URL raw in canonical form (scheme and host in lower
// case) if it is one plain file name directly under one of the trusted prefixes, and an error
// wrapping ErrUntrustedCert otherwise.
//
// The checks read the raw string, not a decoded path: a URL with any percent-encoding,
// backslash, space, control or non-ASCII byte, '?', '#', '@' or ".." is refused outright, so that
// no two spellings of one certificate reach the cache as different keys and no encoded dot
// segment or separator is decoded into something the fetch would follow. What follows the
// prefix must match [A-Za-z0-9._-]+ and not be "."; ports must be spelt as in the prefix.
// A prefix with no host (such as "http://") trusts nothing.
func CanonicalCertURL(raw string, trustedPrefixes []string) (string, error) {
	if raw == "" || len(raw) > maxCertURLLen {
		return "", fmt.Errorf("%w: empty or too long", ErrUntrustedCert)
	}
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`%\?#@`, c) >= 0 {
			return "", fmt.Errorf("%w: byte %#x not allowed", ErrUntrustedCert, c)
		}
	}
	if strings.Contains(raw, "..") {
		return "", fmt.Errorf("%w: dot segment", ErrUntrustedCert)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.User != nil || u.Host == "" || u.RawQuery != "" || u.ForceQuery ||
		u.Fragment != "" || u.RawPath != "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("%w: not a plain http(s) URL", ErrUntrustedCert)
	}
	// url.Parse has lower-cased the scheme; with no escapes, u.Path is the raw path.
	canonical := u.Scheme + "://" + strings.ToLower(u.Host) + u.Path
	for _, p := range trustedPrefixes {
		p = canonicalPrefix(p)
		if p != "" && strings.HasPrefix(canonical, p) && plainSegment(canonical[len(p):]) {
			return canonical, nil
		}
	}
	return "", fmt.Errorf("%w: not under a trusted prefix", ErrUntrustedCert)
}

// canonicalPrefix lower-cases a configured prefix's scheme and host, as CanonicalCertURL does the
// URL's, so "https://API.PayPal.com/..." in the configuration still matches. It returns "" for a
// prefix with no host, which must not trust every host.
func canonicalPrefix(p string) string {
	i := strings.Index(p, "://")
	if i <= 0 {
		return ""
	}
	end := len(p)
	if j := strings.IndexByte(p[i+3:], '/'); j >= 0 {
		end = i + 3 + j
	}
	if end == i+3 {
		return ""
	}
	return strings.ToLower(p[:end]) + p[end:]
}

// plainSegment reports whether s is one path segment of unreserved characters other than "."
// (".." is refused before, anywhere in the URL).
func plainSegment(s string) bool {
	if s == "" || s == "." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
