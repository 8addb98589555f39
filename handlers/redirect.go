package handlers

import (
	"net/url"
	"strings"
)

// safeNext is next if it is a path on this site (see localPath), else the dashboard. It vets
// every redirect target a request may carry: next after sign-in, back after a replay.
func safeNext(next string) string {
	if !localPath(next) {
		return "/app"
	}
	return next
}

// localPath reports whether target, sent as a Location, keeps the browser on this site. Browsers
// read more than RFC 3986 says: they drop tabs and newlines anywhere in a URL and read \ as /,
// so "/\t/evil.example" and "/\\evil.example" both lead to evil.example. The test is on the raw
// bytes and on the path decoded, for code that later uses the decoded path.
func localPath(target string) bool {
	if !strings.HasPrefix(target, "/") || len(target) > 1 && (target[1] == '/' || target[1] == '\\') {
		return false
	}
	if unsafeBytes(target) {
		return false
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	p := u.Path
	return !unsafeBytes(p) && !strings.HasPrefix(p, "//") && strings.HasPrefix(p, "/")
}

// unsafeBytes reports whether s has a control character (which browsers drop or choke on) or a
// backslash (which they read as a slash).
func unsafeBytes(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b == 0x7f || b == '\\' {
			return true
		}
	}
	return false
}
