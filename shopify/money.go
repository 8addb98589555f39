package shopify

import (
	"regexp"
	"strconv"
	"strings"
)

// maxDigits bounds the digits of an amount, far below int64 overflow.
const maxDigits = 15

var thousands = regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$`)

// splitDecimal splits a plain decimal number like "19.99" or "-3" into sign,
// integer digits and fraction digits. A comma is taken as the decimal
// separator only when that is unambiguous: no dot, one comma, and 1 to
// commaFrac digits after it (a thousands separator is followed by 3). On
// failure it returns a phrase for a message, e.g. "is not a number".
func splitDecimal(s string, commaFrac int) (neg bool, whole, frac, msg string) {
	s = strings.TrimSpace(s)
	if thousands.MatchString(s) {
		return false, "", "", "is not a number: write it without thousands separators, e.g. 1234.50"
	}
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	whole, frac, dot := strings.Cut(s, ".")
	if !dot && strings.Count(s, ",") == 1 {
		w, f, _ := strings.Cut(s, ",")
		if len(f) >= 1 && len(f) <= commaFrac {
			whole, frac = w, f
		}
	}
	if whole+frac == "" || !digits(whole) || !digits(frac) {
		if strings.ContainsAny(s, "$€£¥₹") {
			return false, "", "", "is not a number: leave out the currency symbol"
		}
		return false, "", "", "is not a number"
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > maxDigits {
		return false, "", "", "is too large"
	}
	return neg, whole, frac, ""
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseMinor converts a decimal amount like "19.99" to minor units of a
// currency with the given decimals, exactly. Negative amounts and more
// decimals than the currency has are refused with a message phrase.
func parseMinor(s string, decimals int) (int64, string) {
	neg, whole, frac, msg := splitDecimal(s, min(decimals, 2))
	if msg != "" {
		return 0, msg
	}
	if len(frac) > decimals {
		if strings.Trim(frac[decimals:], "0") != "" {
			if decimals == 0 {
				return 0, "must be a whole number: the currency has no cents"
			}
			return 0, "has more than " + strconv.Itoa(decimals) + " decimals"
		}
		frac = frac[:decimals]
	}
	frac += strings.Repeat("0", decimals-len(frac))
	n, err := strconv.ParseInt("0"+whole+frac, 10, 64)
	if err != nil {
		return 0, "is too large"
	}
	if neg && n != 0 {
		return 0, "cannot be negative"
	}
	return n, ""
}

// formatMinor writes minor units as a decimal with exactly decimals digits.
func formatMinor(n int64, decimals int) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	s := strconv.FormatInt(n, 10)
	if decimals <= 0 {
		return sign + s
	}
	if len(s) <= decimals {
		s = strings.Repeat("0", decimals-len(s)+1) + s
	}
	return sign + s[:len(s)-decimals] + "." + s[len(s)-decimals:]
}

// parseGrams reads a weight in grams, rounding decimals half up.
func parseGrams(s string) (int64, string) {
	neg, whole, frac, msg := splitDecimal(s, 2)
	if msg != "" {
		return 0, msg
	}
	n, err := strconv.ParseInt("0"+whole, 10, 64)
	if err != nil {
		return 0, "is too large"
	}
	if frac != "" && frac[0] >= '5' {
		n++
	}
	if neg && n != 0 {
		return 0, "cannot be negative"
	}
	return n, ""
}
