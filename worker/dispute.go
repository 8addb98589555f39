package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// disputeReported handles CUSTOMER.DISPUTE.CREATED, UPDATED and RESOLVED: the dispute record follows
// what PayPal says. An event older than what is recorded, or one that does not say which actions
// PayPal allows, may be stale: the dispute is read again from the Disputes API.
func (l *eventLoop) disputeReported(ctx context.Context, tx *models.Tx, shopID int64, e *models.WebhookEvent, ev *paypal.Event) (models.EventOutcome, error) {
	var d paypal.Dispute
	if err := json.Unmarshal(ev.Resource, &d); err != nil || d.ID == "" {
		return models.EventOutcome{}, fmt.Errorf("dispute event without a dispute: %w", errors.Join(err, errors.New("no dispute_id")))
	}
	report, err := disputeReport(&d, ev.Resource)
	if err != nil {
		return models.EventOutcome{}, err
	}
	applied, err := tx.ApplyDispute(shopID, e.ID, report)
	if errors.Is(err, models.ErrNotFound) {
		return models.EventOutcome{Status: models.EventUnmatched, ShopID: shopID}, nil
	} else if err != nil {
		return models.EventOutcome{}, err
	}
	if applied.Stale || len(d.Links) == 0 {
		if err := l.jobs.call(tx, DisputeRefreshArgs{ShopID: shopID, MerchantID: report.MerchantID, DisputeID: d.ID}); err != nil {
			return models.EventOutcome{}, err
		}
	}
	return models.EventOutcome{Status: models.EventProcessed, ShopID: shopID}, nil
}

// disputeReport puts PayPal's dispute in our units.
func disputeReport(d *paypal.Dispute, raw []byte) (models.DisputeReport, error) {
	r := models.DisputeReport{PayPalID: d.ID, Reason: d.Reason, Status: d.Status, Stage: d.Stage,
		Currency: d.Amount.CurrencyCode, Allowed: d.Actions(), Body: string(raw)}
	if len(d.DisputedTransactions) > 0 {
		t := d.DisputedTransactions[0]
		r.CaptureID, r.CustomID, r.MerchantID = t.SellerTransactionID, t.Custom, t.Seller.MerchantID
	}
	var err error
	if r.AmountMinor, err = d.Amount.Minor(); err != nil {
		return r, err
	}
	if d.Outcome != nil {
		r.Outcome = d.Outcome.OutcomeCode
		if d.Outcome.AmountRefunded != nil {
			if r.RefundedMinor, err = d.Outcome.AmountRefunded.Minor(); err != nil {
				return r, err
			}
		}
	}
	if d.SellerResponseDue != "" {
		due, err := time.Parse(time.RFC3339Nano, d.SellerResponseDue)
		if err != nil {
			return r, fmt.Errorf("dispute %s: seller_response_due_date: %w", d.ID, err)
		}
		due = due.UTC()
		r.ResponseDue = &due
	}
	r.OpenedAt, _ = time.Parse(time.RFC3339Nano, d.CreateTime)
	if r.UpdatedAt, err = time.Parse(time.RFC3339Nano, d.UpdateTime); err != nil {
		return r, fmt.Errorf("dispute %s: update_time: %w", d.ID, err)
	}
	r.OpenedAt, r.UpdatedAt = r.OpenedAt.UTC(), r.UpdatedAt.UTC()
	return r, nil
}

// DisputeRefreshArgs asks for a dispute to be read again from the Disputes API.
type DisputeRefreshArgs struct {
	ShopID     int64  `json:"shop_id"`
	MerchantID string `json:"merchant_id"`
	DisputeID  string `json:"dispute_id"`
}

// Kind names the call.
func (DisputeRefreshArgs) Kind() string { return "paypal.dispute_refresh" }

// policy bounds the retries of a read.
func (DisputeRefreshArgs) policy() callPolicy { return callPolicy{attempts: 8} }

type disputeRefreshWorker struct {
	store  *models.Store
	paypal *paypal.Client
}

func (w *disputeRefreshWorker) Work(ctx context.Context, job *Job[DisputeRefreshArgs]) error {
	return refreshDispute(ctx, w.store, w.paypal, job.Args.ShopID, job.Args.MerchantID, job.Args.DisputeID)
}

// refreshDispute reads the dispute from PayPal and records it.
func refreshDispute(ctx context.Context, store *models.Store, client *paypal.Client, shopID int64, merchantID, id string) error {
	d, err := client.GetDispute(ctx, merchantID, id)
	if err != nil {
		return err
	}
	report, err := disputeReport(d, d.Raw)
	if err != nil {
		return err
	}
	return store.ApplyDisputeRead(ctx, shopID, report)
}
