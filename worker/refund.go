package worker

import (
	"context"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// RefundArgs asks for one refund request to be carried out through PayPal.
type RefundArgs struct {
	RefundRequestID int64 `json:"refund_request_id"`
}

// Kind names the call.
func (RefundArgs) Kind() string { return "paypal.refund" }

// policy bounds the retries of a refund; each retry carries the same PayPal-Request-Id.
func (RefundArgs) policy() callPolicy { return callPolicy{attempts: 10} }

// EnqueueRefund queues a refund call in the transaction that asks for it.
func (w *Worker) EnqueueRefund(ctx context.Context, tx *models.Tx, refundRequestID int64) error {
	return w.call(tx, RefundArgs{RefundRequestID: refundRequestID})
}

type refundWorker struct {
	store  *models.Store
	paypal *paypal.Client
}

func (w *refundWorker) Work(ctx context.Context, job *Job[RefundArgs]) error {
	r, err := w.store.RefundRequestByID(ctx, job.Args.RefundRequestID)
	if err != nil {
		return err
	}
	if r.Status != "requested" {
		return nil // done already: a call made twice refunds once
	}
	amount, err := paypal.FromMinor(r.AmountMinor, r.Currency)
	if err != nil {
		return err
	}
	refund, err := w.paypal.RefundCapture(ctx, r.MerchantID, r.CaptureID, r.RequestID,
		paypal.RefundRequest{Amount: &amount, NoteToPayer: r.Reason})
	if err == nil {
		return w.store.RefundDone(ctx, r.ID, job.Attempt, refund.ID, refund.Status)
	}
	if paypal.Retryable(err) && job.Attempt < job.MaxAttempts {
		if recErr := w.store.RefundAttemptFailed(ctx, r.ID, job.Attempt, err.Error()); recErr != nil {
			return recErr
		}
		return err
	}
	if recErr := w.store.RefundFailed(ctx, r.ID, job.Attempt, refusal(err)); recErr != nil {
		return recErr
	}
	return permanent(err)
}

// refusal says in plain words why PayPal refused a refund.
func refusal(err error) string {
	words := map[string]string{
		"CAPTURE_FULLY_REFUNDED":                 "The payment was already refunded in full.",
		"REFUND_AMOUNT_EXCEEDED":                 "The refund is more than what is left of the payment.",
		"REFUND_TIME_LIMIT_EXCEEDED":             "The payment is too old to be refunded through PayPal.",
		"REFUND_FAILED_INSUFFICIENT_FUNDS":       "The PayPal account does not have enough funds for this refund.",
		"TRANSACTION_DISPUTED":                   "The payment is in a dispute; resolve it in the dispute instead.",
		"REFUND_NOT_PERMITTED_DUE_TO_CHARGEBACK": "The payment was charged back by the buyer's bank.",
	}
	if e, ok := err.(*paypal.APIError); ok {
		if w, ok := words[e.Issue()]; ok {
			return w
		}
		return "PayPal refused the refund: " + e.Message
	}
	return "PayPal refused the refund: " + err.Error()
}
