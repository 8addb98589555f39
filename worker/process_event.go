package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// ProcessEventArgs asks for one stored webhook event to be processed.
type ProcessEventArgs struct {
	EventID int64 `json:"event_id"`
}

// Kind names the job in the queue.
func (ProcessEventArgs) Kind() string { return "webhook.process" }

// InsertOpts bounds the retries of an event before it becomes a dead letter.
func (ProcessEventArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: eventMaxAttempts}
}

const eventMaxAttempts = 10

// EnqueueEvents inserts the processing jobs of newly stored events in the inbox's transaction.
func (w *Worker) EnqueueEvents(ctx context.Context, tx *models.Tx, ids []int64) error {
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: ProcessEventArgs{EventID: id}}
	}
	if _, err := w.client.InsertManyTx(ctx, tx.SQL(), params); err != nil {
		return fmt.Errorf("worker: enqueue events: %w", err)
	}
	return nil
}

type processEventWorker struct {
	river.WorkerDefaults[ProcessEventArgs]
	store   *models.Store
	metrics *Metrics
}

func (w *processEventWorker) Work(ctx context.Context, job *river.Job[ProcessEventArgs]) error {
	start := time.Now()
	var provider string
	err := w.store.ProcessEvent(ctx, job.Args.EventID, job.Attempt, job.Attempt >= job.MaxAttempts,
		func(tx *models.Tx, e *models.WebhookEvent) (models.EventOutcome, error) {
			provider = e.Provider
			out, err := processEvent(tx, e)
			if err == nil {
				w.metrics.processed.WithLabelValues(e.Provider, out.Status).Inc()
			}
			return out, err
		})
	if err != nil {
		w.metrics.failed.WithLabelValues(provider).Inc()
		return err
	}
	w.metrics.latency.Observe(time.Since(start).Seconds())
	return nil
}

// processEvent routes an event to its shop and applies it. Events of Pages and merchants that
// no shop has connected are kept as unmatched.
func processEvent(tx *models.Tx, e *models.WebhookEvent) (models.EventOutcome, error) {
	switch e.Provider {
	case models.ProviderPayPal:
		return processPayPal(tx, e)
	case models.ProviderMessenger:
		shopID, err := tx.ShopForPage(e.AccountRef)
		if errors.Is(err, models.ErrNotFound) {
			return models.EventOutcome{Status: models.EventUnmatched}, nil
		} else if err != nil {
			return models.EventOutcome{}, err
		}
		// The shop's bot, inbox and account linking act on these events (shopper-journey work).
		return models.EventOutcome{Status: models.EventIgnored, ShopID: shopID}, nil
	}
	return models.EventOutcome{}, fmt.Errorf("unknown provider %q", e.Provider)
}

// paymentKinds names the payment notification of each capture event.
var paymentKinds = map[string]string{
	"PAYMENT.CAPTURE.COMPLETED": "captured",
	"PAYMENT.CAPTURE.PENDING":   "pending",
	"PAYMENT.CAPTURE.DENIED":    "denied",
	"PAYMENT.CAPTURE.DECLINED":  "denied",
	"PAYMENT.CAPTURE.REFUNDED":  "refunded",
	"PAYMENT.CAPTURE.REVERSED":  "reversed",
}

func processPayPal(tx *models.Tx, e *models.WebhookEvent) (models.EventOutcome, error) {
	ev, err := paypal.ParseEvent(e.Payload)
	if err != nil {
		return models.EventOutcome{}, err
	}
	shopID, err := tx.ShopForMerchant(e.AccountRef)
	if errors.Is(err, models.ErrNotFound) {
		return models.EventOutcome{Status: models.EventUnmatched}, nil
	} else if err != nil {
		return models.EventOutcome{}, err
	}
	pc, ok := ev.PaymentChange()
	kind, known := paymentKinds[ev.EventType]
	if !ok || !known {
		// Orders, disputes and onboarding events are acted on by the checkout, disputes and
		// connection work; until then they are kept, not processed.
		return models.EventOutcome{Status: models.EventIgnored, ShopID: shopID}, nil
	}
	minor, err := pc.Amount.Minor()
	if err != nil && pc.Amount.Value != "" {
		return models.EventOutcome{}, err
	}
	change := models.PaymentChange{CaptureID: pc.CaptureID, PayPalOrderID: pc.OrderID, AmountMinor: minor,
		Currency: pc.Amount.CurrencyCode, RefundID: pc.RefundID, Reversal: ev.EventType == "PAYMENT.CAPTURE.REVERSED"}
	if pc.RefundID == "" {
		change.CaptureStatus = pc.Status
	}
	if err := tx.ApplyPaymentChange(shopID, e.ID, change, kind); err != nil {
		return models.EventOutcome{}, err
	}
	return models.EventOutcome{Status: models.EventProcessed, ShopID: shopID}, nil
}
