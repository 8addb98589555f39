package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/chatshop/chatshop/dispute"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// DisputeActionArgs asks for an admin's action on a dispute to be carried out through PayPal.
type DisputeActionArgs struct {
	ActionID int64 `json:"action_id"`
}

// Kind names the call.
func (DisputeActionArgs) Kind() string { return "paypal.dispute_action" }

// policy bounds the retries of an action.
func (DisputeActionArgs) policy() callPolicy { return callPolicy{attempts: 8} }

// EnqueueDisputeAction queues an action's call in the transaction that asks for it.
func (w *Worker) EnqueueDisputeAction(ctx context.Context, tx *models.Tx, actionID int64) error {
	err := w.call(tx, DisputeActionArgs{ActionID: actionID})
	return err
}

type disputeActionWorker struct {
	store  *models.Store
	paypal *paypal.Client
}

// Work sends the action; the outcome is recorded on the action and the dispute's timeline, and the
// dispute is read again so that its page shows what PayPal allows next.
func (w *disputeActionWorker) Work(ctx context.Context, job *Job[DisputeActionArgs]) error {
	work, err := w.store.DisputeActionWork(ctx, job.Args.ActionID)
	if err != nil {
		return err
	}
	if work.Action.Status != models.ActionQueued {
		return nil // done already: a call made twice acts once
	}
	d := work.Dispute
	err = w.send(ctx, work)
	if err != nil && disputeRetryable(err) && job.Attempt < job.MaxAttempts {
		if recErr := w.store.DisputeActionAttemptFailed(ctx, work.Action.ID, job.Attempt, err.Error()); recErr != nil {
			return recErr
		}
		return err
	}
	if err != nil {
		if recErr := w.store.DisputeActionFailed(ctx, work, job.Attempt, disputeRefusal(err)); recErr != nil {
			return recErr
		}
	} else if recErr := w.store.DisputeActionDone(ctx, work, job.Attempt); recErr != nil {
		return recErr
	}
	if rerr := refreshDispute(ctx, w.store, w.paypal, d.ShopID, d.MerchantID, d.PayPalID); rerr != nil {
		slog.Warn("dispute: read after action", "dispute", d.PayPalID, "err", rerr) // PayPal's webhook will bring it
	}
	if err != nil {
		return permanent(err)
	}
	return nil
}

func (w *disputeActionWorker) send(ctx context.Context, work *models.DisputeActionWork) error {
	d, in := work.Dispute, work.Action.Params()
	var amount *paypal.Money
	if in.AmountMinor > 0 {
		m, err := paypal.FromMinor(in.AmountMinor, d.Currency)
		if err != nil {
			return err
		}
		amount = &m
	}
	switch work.Action.Kind {
	case dispute.SendMessage:
		return w.paypal.SendDisputeMessage(ctx, d.MerchantID, d.PayPalID, in.Note)
	case dispute.MakeOffer:
		return w.paypal.MakeDisputeOffer(ctx, d.MerchantID, d.PayPalID, in.Note, in.OfferType, amount)
	case dispute.Escalate:
		return w.paypal.EscalateDispute(ctx, d.MerchantID, d.PayPalID, in.Note)
	case dispute.AcceptClaim:
		if in.AmountMinor >= d.AmountMinor {
			amount = nil // the whole claim
		}
		return w.paypal.AcceptDisputeClaim(ctx, d.MerchantID, d.PayPalID, in.Note, amount)
	case dispute.ProvideEvidence:
		ev := paypal.Evidence{Type: in.EvidenceType, Notes: in.Note}
		if in.TrackingNumber != "" {
			ev.Info = &paypal.EvidenceInfo{Tracking: []paypal.Tracking{{CarrierName: in.Carrier, TrackingNumber: in.TrackingNumber}}}
		}
		files := make([]paypal.File, len(work.Files))
		for i, f := range work.Files {
			files[i] = paypal.File{Name: f.Name, ContentType: f.ContentType, Data: f.Data}
		}
		return w.paypal.ProvideDisputeEvidence(ctx, d.MerchantID, d.PayPalID, []paypal.Evidence{ev}, files)
	}
	return fmt.Errorf("unknown dispute action %q", work.Action.Kind)
}

// disputeRetryable is a failure worth another try: PayPal's own, or a conflict with a change
// being made to the dispute at the same moment.
func disputeRetryable(err error) bool {
	var e *paypal.APIError
	return paypal.Retryable(err) || (errors.As(err, &e) && e.HTTPStatus == http.StatusConflict)
}

// disputeRefusal says in plain words why PayPal refused an action.
func disputeRefusal(err error) string {
	var e *paypal.APIError
	if !errors.As(err, &e) || e.Transport != nil {
		return "PayPal could not be reached: " + err.Error()
	}
	words := map[string]string{
		"ACTION_NOT_ALLOWED":    "PayPal no longer allows this action in the dispute's current stage.",
		"INVALID_EVIDENCE_FILE": "PayPal did not accept a file: only JPG, GIF, PNG or PDF, each less than 10 MB.",
		"PERMISSION_DENIED":     "The shop's PayPal account no longer lets chatshop act on its disputes.",
	}
	if w, ok := words[e.Issue()]; ok {
		return w
	}
	if len(e.Details) > 0 && e.Details[0].Description != "" {
		return e.Details[0].Description
	}
	return e.Message
}
