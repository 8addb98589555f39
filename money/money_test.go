package money

import (
	"math"
	"testing"

	"github.com/bojanz/currency"
)

// Money.String writes every currency's amounts as bojanz/currency's en-US formatter does.
func TestMoneyStringAsTheFormatter(t *testing.T) {
	amounts := []int64{0, 1, -1, 9, 10, 99, 100, 999, 1000, 1050, 99999, 100000, 123456789, -123456789, 100000000000, math.MaxInt64, math.MinInt64 + 1}
	for _, code := range currency.GetCurrencyCodes() {
		for _, minor := range amounts {
			a, err := currency.NewAmountFromInt64(minor, code)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := (Money{Minor: minor, Currency: code}).String(), usFormatter.Format(a); got != want {
				t.Errorf("%d %s: %q, want %q", minor, code, got, want)
			}
		}
	}
	if got := (Money{Minor: 100, Currency: "XYZ"}).String(); got != "XYZ ?" {
		t.Errorf("an unknown currency: %q", got)
	}
}
