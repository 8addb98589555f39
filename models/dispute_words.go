package models

import (
	"strings"

	"github.com/chatshop/chatshop/money"
)

// Words for PayPal's dispute codes, shared by the timeline, the feed and the pages.

var disputeReasons = map[string]string{
	"MERCHANDISE_OR_SERVICE_NOT_RECEIVED":     "Item not received",
	"MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED": "Not as described",
	"UNAUTHORISED":               "Unauthorised payment",
	"CREDIT_NOT_PROCESSED":       "Refund not processed",
	"DUPLICATE_TRANSACTION":      "Charged twice",
	"INCORRECT_AMOUNT":           "Wrong amount charged",
	"PAYMENT_BY_OTHER_MEANS":     "Paid by other means",
	"CANCELED_RECURRING_BILLING": "Cancelled recurring billing",
	"PROBLEM_WITH_REMITTANCE":    "Problem with remittance",
	"OTHER":                      "Other",
}

// DisputeReasons are PayPal's reasons, in the order filters offer them.
var DisputeReasons = []string{"MERCHANDISE_OR_SERVICE_NOT_RECEIVED", "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED", "UNAUTHORISED",
	"CREDIT_NOT_PROCESSED", "DUPLICATE_TRANSACTION", "INCORRECT_AMOUNT", "PAYMENT_BY_OTHER_MEANS", "CANCELED_RECURRING_BILLING",
	"PROBLEM_WITH_REMITTANCE", "OTHER"}

var disputeStatuses = map[string]string{
	"OPEN":                        "Needs a response",
	"WAITING_FOR_SELLER_RESPONSE": "Needs a response",
	"WAITING_FOR_BUYER_RESPONSE":  "Waiting for the buyer",
	"UNDER_REVIEW":                "PayPal is reviewing",
	"RESOLVED":                    "Resolved",
	"OTHER":                       "Other",
}

var disputeStages = map[string]string{
	"INQUIRY":         "Inquiry",
	"CHARGEBACK":      "Claim",
	"PRE_ARBITRATION": "Pre-arbitration",
	"ARBITRATION":     "Arbitration",
}

// DisputeStages are PayPal's life-cycle stages, in order.
var DisputeStages = []string{"INQUIRY", "CHARGEBACK", "PRE_ARBITRATION", "ARBITRATION"}

var disputeOutcomes = map[string]string{
	"RESOLVED_BUYER_FAVOUR":  "in the buyer's favour",
	"RESOLVED_SELLER_FAVOUR": "in the seller's favour",
	"RESOLVED_WITH_PAYOUT":   "with a payout to the buyer",
	"CANCELED_BY_BUYER":      "cancelled by the buyer",
	"ACCEPTED":               "the seller accepted the claim",
	"DENIED":                 "denied",
	"NONE":                   "with no outcome",
}

func wordsOr(words map[string]string, code string) string {
	if w, ok := words[code]; ok {
		return w
	}
	return strings.ReplaceAll(strings.ToLower(code), "_", " ")
}

// DisputeReasonText names a dispute reason for people.
func DisputeReasonText(reason string) string { return wordsOr(disputeReasons, reason) }

// DisputeStatusText names a dispute status for people.
func DisputeStatusText(status string) string { return wordsOr(disputeStatuses, status) }

// DisputeStageText names a dispute stage for people.
func DisputeStageText(stage string) string { return wordsOr(disputeStages, stage) }

// DisputeOutcomeText says how a resolved dispute ended.
func DisputeOutcomeText(outcome string) string { return wordsOr(disputeOutcomes, outcome) }

// DisputeSummary says where the dispute is, in a few words: "Claim, PayPal is reviewing" or
// "Resolved in the seller's favour".
func DisputeSummary(d *Dispute) string {
	if !d.Open() {
		s := "Resolved"
		if d.Outcome != "" {
			s += ", " + DisputeOutcomeText(d.Outcome)
		}
		if d.RefundedMinor > 0 {
			s += " (" + money.Money{Minor: d.RefundedMinor, Currency: d.Currency}.String() + " refunded)"
		}
		return s
	}
	return DisputeStageText(d.Stage) + ", " + lowerFirst(DisputeStatusText(d.Status))
}

// lowerFirst puts words in the middle of a sentence: "Needs a response" → "needs a response";
// PayPal keeps its capitals.
func lowerFirst(s string) string {
	if s == "" || strings.HasPrefix(s, "PayPal") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

var disputeActionNames = map[string]string{
	ActProvideEvidence: "Provide evidence",
	ActSendMessage:     "Send a message",
	ActMakeOffer:       "Make an offer",
	ActEscalate:        "Escalate to PayPal",
	ActAcceptClaim:     "Accept the claim",
}

// DisputeActionText names a seller action for people.
func DisputeActionText(kind string) string { return wordsOr(disputeActionNames, kind) }
