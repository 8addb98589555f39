package components

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words is a status code as people read it, in sentence case: PayPal's ("PARTIALLY_REFUNDED",
// "COMPLETED") and chatshop's own ("active", "under_review") become "Partially refunded",
// "Completed", "Active", "Under review". Text that is already words ("Needs a response") is left
// as it is.
func Words(code string) string {
	if code == "" || strings.ContainsRune(code, ' ') || (code != strings.ToLower(code) && code != strings.ToUpper(code)) {
		return code
	}
	s := strings.ToLower(strings.ReplaceAll(code, "_", " "))
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
