package models

import (
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
