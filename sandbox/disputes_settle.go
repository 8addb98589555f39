package sandbox

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// DisputeSendMessage is POST /v1/customer/disputes/:id/send-message {message} (INQUIRY only).
func (s *Sandbox) DisputeSendMessage(c echo.Context) error {
	return s.sellerActionHandler(actSendMessage, applySendMessage)(c)
}

// DisputeMakeOffer is POST .../make-offer {note, offer_type, offer_amount?} (INQUIRY, seller to answer).
func (s *Sandbox) DisputeMakeOffer(c echo.Context) error {
	return s.sellerActionHandler(actMakeOffer, applyMakeOffer)(c)
}

// DisputeEscalate is POST .../escalate {note}: an INQUIRY becomes a claim PayPal reviews.
func (s *Sandbox) DisputeEscalate(c echo.Context) error {
	return s.sellerActionHandler(actEscalate, applyEscalate)(c)
}

// DisputeAcceptClaim is POST .../accept-claim {note?, refund_amount?}: the buyer is refunded.
func (s *Sandbox) DisputeAcceptClaim(c echo.Context) error {
	return s.sellerActionHandler(actAcceptClaim, applyAcceptClaim)(c)
}

// DisputeProvideEvidence is POST .../provide-evidence (multipart: input {evidences} and files).
func (s *Sandbox) DisputeProvideEvidence(c echo.Context) error {
	return s.sellerActionHandler(actProvideEvidence, applyProvideEvidence)(c)
}

// DisputeRequireEvidence is PayPal's sandbox-only POST /v1/customer/disputes/:id/require-evidence
// {action: SELLER_EVIDENCE | BUYER_EVIDENCE}: PayPal asks a party for (more) evidence.
func (s *Sandbox) DisputeRequireEvidence(c echo.Context) error {
	return s.sandboxDisputeAction(c, func(d *dispute, in actionInput) []issue {
		switch in.text("action") {
		case "SELLER_EVIDENCE":
			d.Status, d.SellerResponseDueDate = "WAITING_FOR_SELLER_RESPONSE", disputeTime(time.Now().Add(sellerResponseDays*24*time.Hour))
		case "BUYER_EVIDENCE":
			d.Status, d.BuyerResponseDueDate = "WAITING_FOR_BUYER_RESPONSE", disputeTime(time.Now().Add(sellerResponseDays*24*time.Hour))
		default:
			return []issue{{Field: "/action", Value: in.text("action"), Location: "body", Issue: "INVALID_PARAMETER_VALUE",
				Description: "action must be SELLER_EVIDENCE or BUYER_EVIDENCE."}}
		}
		return nil
	})
}

// DisputeAdjudicate is PayPal's sandbox-only POST /v1/customer/disputes/:id/adjudicate
// {adjudication_outcome: BUYER_FAVOR | SELLER_FAVOR}: PayPal decides. In the buyer's favour the
// disputed amount is taken back from the seller (PAYMENT.CAPTURE.REVERSED).
func (s *Sandbox) DisputeAdjudicate(c echo.Context) error {
	return s.sandboxDisputeAction(c, func(d *dispute, in actionInput) []issue {
		return s.adjudicate(c, d, in.text("adjudication_outcome"))
	})
}

// adjudicate is PayPal's decision on an open dispute: SELLER_FAVOR or BUYER_FAVOR.
func (s *Sandbox) adjudicate(c echo.Context, d *dispute, outcome string) []issue {
	switch outcome {
	case "SELLER_FAVOR":
		d.Adjudications = append(d.Adjudications, map[string]any{"type": "PAYOUT_TO_SELLER", "adjudication_time": disputeTime(time.Now()),
			"dispute_life_cycle_stage": d.DisputeLifeCycleStage})
		if err := s.settle(c, d, "RESOLVED_SELLER_FAVOUR", nil, ""); err != nil {
			return []issue{{Issue: "INTERNAL_SERVER_ERROR", Description: err.Error()}}
		}
	case "BUYER_FAVOR":
		d.Adjudications = append(d.Adjudications, map[string]any{"type": "RECOVER_FROM_SELLER", "adjudication_time": disputeTime(time.Now()),
			"dispute_life_cycle_stage": d.DisputeLifeCycleStage})
		amount := d.DisputeAmount
		if err := s.settle(c, d, "RESOLVED_BUYER_FAVOUR", &amount, "PAYMENT.CAPTURE.REVERSED"); err != nil {
			return []issue{{Issue: "INTERNAL_SERVER_ERROR", Description: err.Error()}}
		}
	default:
		return []issue{{Field: "/adjudication_outcome", Value: outcome, Location: "body", Issue: "INVALID_PARAMETER_VALUE",
			Description: "adjudication_outcome must be BUYER_FAVOR or SELLER_FAVOR."}}
	}
	return nil
}

// sandboxDisputeAction runs one of PayPal's sandbox-only actions on an open dispute.
func (s *Sandbox) sandboxDisputeAction(c echo.Context, apply func(d *dispute, in actionInput) []issue) error {
	d, row, err := s.loadDispute(c, c.Param("id"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return payPalIssues(c, http.StatusNotFound, notFound("dispute_id", c.Param("id"), "path"))
	} else if err != nil {
		return err
	}
	if d.Status == "RESOLVED" {
		return payPalIssues(c, http.StatusUnprocessableEntity, []issue{{Field: "dispute_id", Value: d.DisputeID, Location: "path",
			Issue: "ACTION_NOT_ALLOWED", Description: "The dispute is resolved."}})
	}
	in, bad := readActionInput(c)
	if bad != nil {
		return payPalIssues(c, http.StatusBadRequest, bad)
	}
	if bad := apply(d, in); bad != nil {
		return payPalIssues(c, http.StatusUnprocessableEntity, bad)
	}
	return s.commitDispute(c, row, d)
}

// settle resolves the dispute with the outcome; with an amount, that much goes back to the buyer
// from the capture, and the merchant gets the capture event (refunded when the seller accepted,
// reversed when PayPal decided).
func (s *Sandbox) settle(c echo.Context, d *dispute, outcome string, amount *paypalMoney, captureEvent string) error {
	now := time.Now()
	d.Status, d.SellerResponseDueDate, d.BuyerResponseDueDate = "RESOLVED", "", ""
	d.DisputeOutcome = &struct {
		OutcomeCode    string       `json:"outcome_code"`
		AmountRefunded *paypalMoney `json:"amount_refunded,omitempty"`
	}{OutcomeCode: outcome, AmountRefunded: amount}
	if amount == nil {
		return nil
	}
	d.MoneyMovements = append(d.MoneyMovements, map[string]any{"affected_party": "SELLER", "amount": amount,
		"initiated_time": disputeTime(now), "type": "DEBIT", "reason": "DISPUTE_SETTLEMENT"})
	ctx := c.Request().Context()
	captureID := d.DisputedTransactions[0].SellerTransactionID
	capt, err := s.dir.SandboxCaptureByID(ctx, captureID)
	if err != nil {
		return err
	}
	v, _ := minor(*amount)
	v = min(v, capt.AmountMinor-capt.RefundedMinor)
	if v <= 0 {
		return nil
	}
	_, ok, err := s.takeBack(ctx, capt, v, refund{NoteToPayer: "Dispute " + d.DisputeID}, captureEvent)
	if err == nil && !ok {
		err = errDisputeChanged
	}
	return err
}
