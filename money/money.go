// Package money is amounts in a currency's minor units: how they read (US English, for now) and
// how they are parsed from and written as PayPal's decimal strings.
package money

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/bojanz/currency"
)

// Money is an amount in integer minor units (cents for USD) with its ISO 4217 currency code.
// PayPal's decimal strings are converted at the edge, never stored.
type Money struct {
	Minor    int64
	Currency string
}

var usFormatter = currency.NewFormatter(currency.NewLocale("en-US"))

// String formats the amount for people as en-US writes it, e.g. "$1,234.50", "-CHF 3.00".
func (m Money) String() string {
	f, ok := usFormatOf(m.Currency)
	if !ok {
		return m.Currency + " ?"
	}
	b := make([]byte, 0, 24)
	minor := uint64(m.Minor)
	if m.Minor < 0 {
		b, minor = append(b, '-'), uint64(-m.Minor)
	}
	b = append(b, f.symbol...)
	whole, fraction := minor/f.scale, minor%f.scale
	digits := strconv.FormatUint(whole, 10)
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, digits[i])
	}
	if f.decimals > 0 {
		b = append(b, '.')
		frac := strconv.FormatUint(fraction, 10)
		for range f.decimals - len(frac) {
			b = append(b, '0')
		}
		b = append(b, frac...)
	}
	return string(b)
}

// usFormat is how en-US writes a currency's amounts: its symbol before the digits (with a space
// after letters, as in "CHF 3.00") and its number of decimals.
type usFormat struct {
	symbol   string
	decimals int
	scale    uint64 // 10^decimals
}

// usFormats keeps each currency's usFormat, learnt from bojanz/currency's formatter once: its
// Format builds a string replacer on every call, which was a twentieth of the server's CPU on
// the product list.
var usFormats sync.Map // currency code → usFormat

func usFormatOf(code string) (usFormat, bool) {
	if f, ok := usFormats.Load(code); ok {
		return f.(usFormat), true
	}
	decimals, ok := currency.GetDigits(code)
	if !ok {
		return usFormat{}, false
	}
	one, err := currency.NewAmountFromInt64(1, code)
	if err != nil {
		return usFormat{}, false
	}
	// The smallest amount, written: the symbol, then "1" for a currency without decimals or
	// "0.0…1".
	written := usFormatter.Format(one)
	at := strings.IndexAny(written, "01")
	if at < 0 {
		return usFormat{}, false
	}
	f := usFormat{symbol: written[:at], decimals: int(decimals), scale: 1}
	for range decimals {
		f.scale *= 10
	}
	usFormats.Store(code, f)
	return f, true
}

// ParseAmount reads a decimal amount typed by a person ("19.99", "20") in minor units of the
// currency. More decimals than the currency has, or anything but a plain number, is an error.
func ParseAmount(s, code string) (int64, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "$"))
	a, err := currency.NewAmount(s, code)
	if err != nil || strings.ContainsAny(s, "eE") {
		return 0, fmt.Errorf("%q is not an amount; write it like 19.99", s)
	}
	digits, _ := currency.GetDigits(code)
	if !a.RoundTo(digits, currency.RoundHalfUp).Equal(a) {
		return 0, fmt.Errorf("%s has at most %d decimals", code, digits)
	}
	return a.Int64()
}

// DecimalString writes minor units as the plain decimal a form shows ("19.99").
func DecimalString(minor int64, code string) string {
	a, err := currency.NewAmountFromInt64(minor, code)
	if err != nil {
		return strconv.FormatInt(minor, 10)
	}
	return a.Number()
}
