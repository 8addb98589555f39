package dispute_test

import (
	"testing"

	"github.com/chatshop/chatshop/dispute"
	"github.com/chatshop/chatshop/money"
)

func TestSummary(t *testing.T) {
	usd := func(minor int64) money.Money { return money.Money{Minor: minor, Currency: "USD"} }
	for _, tc := range []struct {
		stage, status, outcome string
		refunded               money.Money
		want                   string
	}{
		{"CHARGEBACK", "UNDER_REVIEW", "", usd(0), "Claim, PayPal is reviewing"},
		{"INQUIRY", "WAITING_FOR_SELLER_RESPONSE", "", usd(0), "Inquiry, needs a response"},
		{"CHARGEBACK", dispute.Resolved, "RESOLVED_BUYER_FAVOUR", usd(1200), "Resolved, in the buyer's favour ($12.00 refunded)"},
		{"INQUIRY", dispute.Resolved, "", usd(0), "Resolved"},
		{"NEW_STAGE", "NEW_STATUS", "", usd(0), "new stage, new status"}, // codes PayPal adds later read as words,
	} {
		if got := dispute.Summary(tc.stage, tc.status, tc.outcome, tc.refunded); got != tc.want {
			t.Errorf("Summary(%s, %s, %s) = %q, want %q", tc.stage, tc.status, tc.outcome, got, tc.want)
		}
	}
}
