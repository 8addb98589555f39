package worker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chatshop/chatshop/bot"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/money"
	"github.com/chatshop/chatshop/paypal"
)

const (
	eventMaxAttempts = 10
	claimBatch       = 32
)

// eventLoop claims due webhook events and processes them, one at a time, until stopped.
// Several loops run in a worker process; several processes may share a database.
type eventLoop struct {
	store   *models.Store
	jobs    *Worker // enqueues the provider calls an event leads to
	baseURL string  // the server's public URL, for links in the bot's messages
	metrics *Metrics
	retry   backoff
	lease   time.Duration
	poll    time.Duration
	wake    chan struct{} // shared: a signal wakes one idle loop
	handed  *handedEvents // shared: events the intake claimed for the loops
	log     *slog.Logger
}

// handedEvents are events the intake claimed for this process's loops, each to be taken while
// its lease holds (after, the event is claimed from the database again).
type handedEvents struct {
	mu     sync.Mutex
	events []handedEvent
}

type handedEvent struct {
	models.ClaimedEvent
	until time.Time
}

func (h *handedEvents) add(claimed []models.ClaimedEvent, until time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range claimed {
		h.events = append(h.events, handedEvent{c, until})
	}
}

// take takes up to n events whose lease still holds, dropping the others.
func (h *handedEvents) take(n int) []models.ClaimedEvent {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	var out []models.ClaimedEvent
	i := 0
	for ; i < len(h.events) && len(out) < n; i++ {
		if now.Before(h.events[i].until) {
			out = append(out, h.events[i].ClaimedEvent)
		}
	}
	h.events = slices.Delete(h.events, 0, i)
	return out
}

func (h *handedEvents) waiting() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.events) > 0
}

func (l *eventLoop) run(ctx context.Context) {
	for {
		claims := l.handed.take(claimBatch)
		if len(claims) < claimBatch {
			// Those of other processes, retries, and those whose lease ran out.
			more, err := l.store.ClaimEvents(ctx, claimBatch-len(claims), l.lease)
			if err != nil && ctx.Err() == nil {
				l.log.Error("claim events", "err", err)
			}
			claims = append(claims, more...)
		}
		if len(claims) == claimBatch || l.handed.waiting() {
			signal(l.wake) // more may be due: another idle loop takes them meanwhile
		}
		for _, c := range claims {
			// An event being processed finishes even when the worker is stopping.
			pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.lease)
			l.process(pctx, c)
			cancel()
		}
		if len(claims) == claimBatch {
			continue // more are waiting
		}
		select {
		case <-ctx.Done():
			return
		case <-l.wake:
		case <-time.After(l.poll):
		}
	}
}

func (l *eventLoop) process(ctx context.Context, c models.ClaimedEvent) {
	start := time.Now()
	var provider string
	err := l.store.ProcessEvent(ctx, c, time.Now().Add(l.retry.delay(c.Attempts)), c.Attempts >= eventMaxAttempts,
		func(tx *models.Tx, e *models.WebhookEvent) (models.EventOutcome, error) {
			provider = e.Provider
			out, err := l.processEvent(ctx, tx, e)
			if err == nil {
				l.metrics.processed.WithLabelValues(e.Provider, out.Status).Inc()
			}
			return out, err
		})
	if err != nil {
		l.metrics.failed.WithLabelValues(provider).Inc()
		l.log.Warn("event processing failed", "event_id", c.ID, "attempt", c.Attempts, "err", err)
		return
	}
	l.metrics.latency.Observe(time.Since(start).Seconds())
}

// processEvent routes an event to its shop and applies it. Events of Pages and merchants that
// no shop has connected are kept as unmatched.
func (l *eventLoop) processEvent(ctx context.Context, tx *models.Tx, e *models.WebhookEvent) (models.EventOutcome, error) {
	switch e.Provider {
	case models.ProviderPayPal:
		return l.processPayPal(ctx, tx, e)
	case models.ProviderMessenger:
		return l.processMessenger(ctx, tx, e)
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

func (l *eventLoop) processPayPal(ctx context.Context, tx *models.Tx, e *models.WebhookEvent) (models.EventOutcome, error) {
	ev, err := paypal.ParseEvent(e.Payload)
	if err != nil {
		return models.EventOutcome{}, fmt.Errorf("read the PayPal event: %w", err)
	}
	if ev.EventType == "MERCHANT.ONBOARDING.COMPLETED" {
		return l.merchantOnboarded(ctx, tx, ev)
	}
	shopID, err := tx.ShopForMerchant(e.AccountRef)
	if errors.Is(err, models.ErrNotFound) {
		return models.EventOutcome{Status: models.EventUnmatched}, nil
	} else if err != nil {
		return models.EventOutcome{}, fmt.Errorf("find the shop of merchant %s: %w", e.AccountRef, err)
	}
	if ev.EventType == "MERCHANT.PARTNER-CONSENT.REVOKED" {
		return models.EventOutcome{Status: models.EventProcessed, ShopID: shopID}, tx.ConsentRevoked(shopID, e.AccountRef)
	}
	if ev.EventType == "CHECKOUT.ORDER.APPROVED" {
		return l.orderApproved(ctx, tx, shopID, ev)
	}
	if strings.HasPrefix(ev.EventType, "CUSTOMER.DISPUTE.") {
		return l.disputeReported(ctx, tx, shopID, e, ev)
	}
	pc, ok := ev.PaymentChange()
	kind, known := paymentKinds[ev.EventType]
	if !ok || !known {
		// An event chatshop does not act on: kept, not processed.
		return models.EventOutcome{Status: models.EventIgnored, ShopID: shopID}, nil
	}
	minor, err := pc.Amount.Minor()
	if err != nil && pc.Amount.Value != "" {
		return models.EventOutcome{}, fmt.Errorf("read the amount: %w", err)
	}
	change := models.PaymentChange{CaptureID: pc.CaptureID, PayPalOrderID: pc.OrderID, AmountMinor: minor,
		Currency: pc.Amount.CurrencyCode, RefundID: pc.RefundID, Reversal: ev.EventType == "PAYMENT.CAPTURE.REVERSED"}
	if pc.RefundID == "" {
		change.CaptureStatus = pc.Status
	}
	if err := tx.ApplyPaymentChange(shopID, e.ID, change, kind); err != nil {
		return models.EventOutcome{}, fmt.Errorf("record the payment of capture %s: %w", pc.CaptureID, err)
	}
	return models.EventOutcome{Status: models.EventProcessed, ShopID: shopID}, l.orderPayment(ctx, tx, shopID, ev, change)
}

// orderApproved captures the order a shopper approved on PayPal's page, in case they never come
// back to /pay/return (the call is the same one the return asks for).
func (l *eventLoop) orderApproved(ctx context.Context, tx *models.Tx, shopID int64, ev *paypal.Event) (models.EventOutcome, error) {
	o, err := tx.FindOrder(shopID, models.OrderRef{CustomID: ev.CustomID(), PayPalOrderID: ev.ResourceID()})
	if errors.Is(err, models.ErrNotFound) || (err == nil && o.PayPalOrderID != ev.ResourceID()) {
		return models.EventOutcome{Status: models.EventIgnored, ShopID: shopID}, nil // a payment taken outside Messenger
	} else if err != nil {
		return models.EventOutcome{}, fmt.Errorf("find the order of PayPal order %s: %w", ev.ResourceID(), err)
	}
	if o.Status == models.OrderPending {
		if err := l.jobs.call(tx, CaptureOrderArgs{OrderID: o.ID}); err != nil {
			return models.EventOutcome{}, fmt.Errorf("queue the capture of order %d: %w", o.ID, err)
		}
	}
	return models.EventOutcome{Status: models.EventProcessed, ShopID: shopID}, nil
}

// orderPayment moves the shop's order on by a capture event, and tells the shopper: the receipt,
// PayPal's review, its refusal, or a refund.
func (l *eventLoop) orderPayment(ctx context.Context, tx *models.Tx, shopID int64, ev *paypal.Event, c models.PaymentChange) error {
	o, err := tx.FindOrder(shopID, models.OrderRef{CustomID: ev.CustomID(), PayPalOrderID: c.PayPalOrderID, CaptureID: c.CaptureID})
	if errors.Is(err, models.ErrNotFound) {
		return nil // a payment taken outside Messenger
	} else if err != nil {
		return fmt.Errorf("find the order of capture %s: %w", c.CaptureID, err)
	}
	switch {
	case c.Reversal:
		return nil // a chargeback is the retailer's business, through the dispute
	case c.RefundID != "":
		sh, err := tx.ShopperOf(o.ShopperID)
		if err != nil {
			return fmt.Errorf("find the shopper of order %d: %w", o.ID, err)
		}
		amount := money.Money{Minor: c.AmountMinor, Currency: cmp.Or(c.Currency, o.Currency)}
		_, err = l.jobs.tell(ctx, tx, sh, "refund:"+c.RefundID, bot.Refunded(o, amount), bot.RefundIssued, amount.String(), o.Number())
		return err
	}
	err = l.jobs.settle(ctx, tx, o, models.CaptureOutcome{PayPalOrderID: c.PayPalOrderID, CaptureID: c.CaptureID, Status: c.CaptureStatus})
	if errors.Is(err, models.ErrNotFound) {
		return nil // a capture of another PayPal order with the same custom_id
	} else if err != nil {
		return fmt.Errorf("settle order %d: %w", o.ID, err)
	}
	return nil
}

// merchantOnboarded handles MERCHANT.ONBOARDING.COMPLETED: the seller the shop sent to PayPal (its
// tracking id) finished signing up. The account is recorded, and its status read from PayPal, even
// when the seller never came back to the dashboard.
func (l *eventLoop) merchantOnboarded(ctx context.Context, tx *models.Tx, ev *paypal.Event) (models.EventOutcome, error) {
	merchantID, trackingID := ev.MerchantID(), ev.TrackingID()
	shopID, ok := models.ShopOfTracking(trackingID)
	if !ok || merchantID == "" {
		return models.EventOutcome{Status: models.EventUnmatched}, nil
	}
	if err := tx.MerchantOnboarded(shopID, merchantID, trackingID); errors.Is(err, models.ErrNotFound) {
		return models.EventOutcome{Status: models.EventUnmatched}, nil
	} else if err != nil {
		return models.EventOutcome{}, fmt.Errorf("record merchant %s: %w", merchantID, err)
	}
	if err := l.jobs.call(tx, MerchantStatusArgs{ShopID: shopID, MerchantID: merchantID}); err != nil {
		return models.EventOutcome{}, fmt.Errorf("queue the status read of merchant %s: %w", merchantID, err)
	}
	return models.EventOutcome{Status: models.EventProcessed, ShopID: shopID}, nil
}
