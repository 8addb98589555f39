package models

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bojanz/currency"
)

// Money is an amount in integer minor units (cents for USD) with its ISO 4217 currency code.
// PayPal's decimal strings are converted at the edge, never stored.
type Money struct {
	Minor    int64
	Currency string
}

var usFormatter = currency.NewFormatter(currency.NewLocale("en-US"))

// String formats the amount for people, e.g. "$1,234.50".
func (m Money) String() string {
	a, err := currency.NewAmountFromInt64(m.Minor, m.Currency)
	if err != nil {
		return m.Currency + " ?"
	}
	return usFormatter.Format(a)
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
