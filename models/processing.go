package models

import (
	"context"
	"errors"
	"time"
)

// EventOutcome is what processing decided about an event.
type EventOutcome struct {
	Status string // processed, unmatched or ignored
	ShopID int64  // 0 when no shop owns the event
}

var errAlreadyFinal = errors.New("event already final")

func finalStatus(status string) bool {
	switch status {
	case EventProcessed, EventDead, EventUnmatched, EventIgnored:
		return true
	}
	return false
}

// ClaimedEvent is an event a processor holds a lease on, with the number of this attempt.
type ClaimedEvent struct {
	ID       int64
	Attempts int
}

// ClaimEvents leases up to limit due events: pending ones, and retrying ones whose time has come,
// that no live lease holds. Each claim counts as an attempt. A processor that dies holding a lease
// loses it when the lease expires, and the event is claimed again.
func (s *Store) ClaimEvents(ctx context.Context, limit int, lease time.Duration) ([]ClaimedEvent, error) {
	now := s.nowUTC()
	// Most polls find nothing due: a look on a reader first spares the writer a transaction
	// (four loops poll every interval, and the writer is what acknowledgements wait for).
	var due int
	if err := s.r.WithContext(ctx).Raw(`SELECT count(*) FROM (SELECT 1 FROM webhook_events
		WHERE status IN ('pending', 'retrying') AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
		  AND (locked_until IS NULL OR locked_until < ?) LIMIT 1) AS due`, now, now).Scan(&due).Error; err != nil || due == 0 {
		return nil, err
	}
	var out []ClaimedEvent
	// Not serializable on PostgreSQL: SKIP LOCKED passes over the events others are claiming.
	claim := func(tx *Tx) error {
		return tx.db.Raw(`UPDATE webhook_events SET locked_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM webhook_events
			              WHERE status IN ('pending', 'retrying')
			                AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
			                AND (locked_until IS NULL OR locked_until < ?)
			              ORDER BY id LIMIT ?`+tx.s.dialect.skipLocked()+`)
			RETURNING id, attempts`, now.Add(lease), now, now, limit).Scan(&out).Error
	}
	err := s.transactionInTurn(ctx, false, claim)
	return out, err
}

// ProcessEvent runs fn on a claimed event inside one transaction that also records the attempt
// and the outcome, so an event's effects and its "processed" mark commit together. An event
// already in a final state is left alone: processing twice has one effect. When fn or its
// transaction fails, nothing it did is kept; the attempt and its error are recorded and the event is retrying
// (due again at retryAt), or dead when last is true.
func (s *Store) ProcessEvent(ctx context.Context, claim ClaimedEvent, retryAt time.Time, last bool,
	fn func(tx *Tx, e *WebhookEvent) (EventOutcome, error)) error {
	eventID, attempt := claim.ID, claim.Attempts
	started := s.nowUTC()
	var fnErr error
	err := s.Transaction(ctx, func(tx *Tx) error {
		fnErr = nil // a try again after a serialization failure starts afresh
		var e WebhookEvent
		if err := tx.db.Take(&e, eventID).Error; err != nil {
			return translate(err)
		}
		if finalStatus(e.Status) {
			return errAlreadyFinal
		}
		if err := tx.oneAtATime(e.ShopID); err != nil {
			return err
		}
		out, err := fn(tx, &e)
		if err != nil {
			fnErr = err
			return err
		}
		now := s.nowUTC()
		updates := map[string]any{"status": out.Status, "last_error": "", "processed_at": now, "locked_until": nil, "next_attempt_at": nil}
		if out.ShopID != 0 {
			updates["shop_id"] = out.ShopID
		}
		if err := tx.db.Model(&WebhookEvent{}).Where("id = ?", eventID).Updates(updates).Error; err != nil {
			return err
		}
		return tx.db.Create(&WebhookAttempt{EventID: eventID, Attempt: attempt, StartedAt: started, DurationUS: now.Sub(started).Microseconds()}).Error
	})
	switch {
	case err == nil || errors.Is(err, errAlreadyFinal):
		return nil
	case fnErr == nil:
		// The transaction failed, not fn (the database; on PostgreSQL, a serialization failure
		// too many times): recorded alike, so that the event is tried again soon rather than
		// when its lease expires.
		fnErr = err
	}
	status := EventRetrying
	if last {
		status = EventDead
	}
	recordErr := s.Transaction(ctx, func(tx *Tx) error {
		now := s.nowUTC()
		if err := tx.db.Model(&WebhookEvent{}).Where("id = ?", eventID).
			Updates(map[string]any{"status": status, "last_error": fnErr.Error(), "locked_until": nil, "next_attempt_at": retryAt.UTC()}).Error; err != nil {
			return err
		}
		return tx.db.Create(&WebhookAttempt{EventID: eventID, Attempt: attempt, StartedAt: started,
			DurationUS: now.Sub(started).Microseconds(), Error: fnErr.Error()}).Error
	})
	return errors.Join(fnErr, recordErr)
}

// ShopForPage finds the shop a connected Facebook Page belongs to.
func (tx *Tx) ShopForPage(pageID string) (int64, error) {
	return tx.shopFor("messenger_pages", "page_id", pageID)
}

// ShopForMerchant finds the shop a PayPal merchant belongs to.
func (tx *Tx) ShopForMerchant(merchantID string) (int64, error) {
	return tx.shopFor("paypal_accounts", "merchant_id", merchantID)
}

func (tx *Tx) shopFor(table, column, value string) (int64, error) {
	if value == "" {
		return 0, ErrNotFound
	}
	var ids []int64
	if err := tx.db.Table(table).Where(column+" = ?", value).Limit(1).Pluck("shop_id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, ErrNotFound
	}
	return ids[0], nil
}
