package models

import (
	"context"
	"errors"
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

// ProcessEvent runs fn on an event inside one transaction that also records the attempt and the
// outcome, so an event's effects and its "processed" mark commit together. An event already in a
// final state is left alone: a job that runs twice has one effect. When fn fails, nothing it did
// is kept; the attempt and its error are recorded and the event is retrying, or dead after the
// last attempt.
func (s *Store) ProcessEvent(ctx context.Context, eventID int64, attempt int, lastAttempt bool,
	fn func(tx *Tx, e *WebhookEvent) (EventOutcome, error)) error {
	started := s.nowUTC()
	var fnErr error
	err := s.Transaction(ctx, func(tx *Tx) error {
		var e WebhookEvent
		if err := tx.db.Take(&e, eventID).Error; err != nil {
			return translate(err)
		}
		if finalStatus(e.Status) {
			return errAlreadyFinal
		}
		out, err := fn(tx, &e)
		if err != nil {
			fnErr = err
			return err
		}
		now := s.nowUTC()
		updates := map[string]any{"status": out.Status, "attempts": attempt, "last_error": "", "processed_at": now}
		if out.ShopID != 0 {
			updates["shop_id"] = out.ShopID
		}
		if err := tx.db.Model(&WebhookEvent{}).Where("id = ?", eventID).Updates(updates).Error; err != nil {
			return err
		}
		return tx.db.Create(&WebhookAttempt{EventID: eventID, Attempt: attempt, StartedAt: started, DurationUS: now.Sub(started).Microseconds()}).Error
	})
	switch {
	case errors.Is(err, errAlreadyFinal):
		return nil
	case fnErr == nil:
		return err
	}
	status := EventRetrying
	if lastAttempt {
		status = EventDead
	}
	recordErr := s.Transaction(ctx, func(tx *Tx) error {
		now := s.nowUTC()
		if err := tx.db.Model(&WebhookEvent{}).Where("id = ?", eventID).
			Updates(map[string]any{"status": status, "attempts": attempt, "last_error": fnErr.Error()}).Error; err != nil {
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
