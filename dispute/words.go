// Package dispute is PayPal's dispute vocabulary: the seller actions, reasons, stages, statuses
// and outcomes, and the words people read for them on the timeline, the feed and the pages.
package dispute

import (
	"strings"

	"github.com/chatshop/chatshop/money"
)

// Seller actions of the Disputes API, by their link rel.
const (
	AcceptClaim     = "accept_claim"
	ProvideEvidence = "provide_evidence"
	SendMessage     = "send_message"
	MakeOffer       = "make_offer"
	Escalate        = "escalate"
)

// Actions are the seller actions, in the order the console offers them.
var Actions = []string{ProvideEvidence, SendMessage, MakeOffer, Escalate, AcceptClaim}

// Resolved is the status of a settled dispute.
const Resolved = "RESOLVED"

var reasons = map[string]string{
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

// Reasons are PayPal's reasons, in the order filters offer them.
var Reasons = []string{"MERCHANDISE_OR_SERVICE_NOT_RECEIVED", "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED", "UNAUTHORISED",
	"CREDIT_NOT_PROCESSED", "DUPLICATE_TRANSACTION", "INCORRECT_AMOUNT", "PAYMENT_BY_OTHER_MEANS", "CANCELED_RECURRING_BILLING",
	"PROBLEM_WITH_REMITTANCE", "OTHER"}

var statuses = map[string]string{
	"OPEN":                        "Needs a response",
	"WAITING_FOR_SELLER_RESPONSE": "Needs a response",
	"WAITING_FOR_BUYER_RESPONSE":  "Waiting for the buyer",
	"UNDER_REVIEW":                "PayPal is reviewing",
	"RESOLVED":                    "Resolved",
	"OTHER":                       "Other",
}

var stages = map[string]string{
	"INQUIRY":         "Inquiry",
	"CHARGEBACK":      "Claim",
	"PRE_ARBITRATION": "Pre-arbitration",
	"ARBITRATION":     "Arbitration",
}

// Stages are PayPal's life-cycle stages, in order.
var Stages = []string{"INQUIRY", "CHARGEBACK", "PRE_ARBITRATION", "ARBITRATION"}

var outcomes = map[string]string{
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

// ReasonText names a dispute reason for people.
func ReasonText(reason string) string { return wordsOr(reasons, reason) }

// StatusText names a dispute status for people.
func StatusText(status string) string { return wordsOr(statuses, status) }

// StageText names a dispute stage for people.
func StageText(stage string) string { return wordsOr(stages, stage) }

// OutcomeText says how a resolved dispute ended.
func OutcomeText(outcome string) string { return wordsOr(outcomes, outcome) }

// Summary says where a dispute is, in a few words: "Claim, PayPal is reviewing" or "Resolved, in
// the buyer's favour ($12.00 refunded)".
func Summary(stage, status, outcome string, refunded money.Money) string {
	if status != Resolved {
		return StageText(stage) + ", " + MidSentence(StatusText(status))
	}
	s := "Resolved"
	if outcome != "" {
		s += ", " + OutcomeText(outcome)
	}
	if refunded.Minor > 0 {
		s += " (" + refunded.String() + " refunded)"
	}
	return s
}

// MidSentence puts words in the middle of a sentence: "Needs a response" → "needs a response";
// PayPal keeps its capitals.
func MidSentence(s string) string {
	if s == "" || strings.HasPrefix(s, "PayPal") {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

var actionNames = map[string]string{
	ProvideEvidence: "Provide evidence",
	SendMessage:     "Send a message",
	MakeOffer:       "Make an offer",
	Escalate:        "Escalate to PayPal",
	AcceptClaim:     "Accept the claim",
}

// ActionText names a seller action for people.
func ActionText(kind string) string { return wordsOr(actionNames, kind) }
