package models

import (
	"context"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// EventFilter narrows an event log listing.
type EventFilter struct {
	Provider string
	Status   string
	Type     string
	From, To time.Time // received within [From, To); zero means open
	Before   int64     // keyset cursor: events with a smaller id
	Limit    int
}

// EventPage is one page of the event log, newest first.
type EventPage struct {
	Events     []WebhookEvent
	NextBefore int64
}

// EventDetail is an event with the delivery that brought it and every processing attempt.
type EventDetail struct {
	Event    WebhookEvent
	Delivery WebhookDelivery
	Attempts []WebhookAttempt
}

func listEvents(q *gorm.DB, f EventFilter) (EventPage, error) {
	if f.Provider != "" {
		q = q.Where("provider = ?", f.Provider)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Type != "" {
		q = q.Where("event_type = ?", f.Type)
	}
	if !f.From.IsZero() {
		q = q.Where("received_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("received_at < ?", f.To.UTC())
	}
	events, next, err := keysetPage(q.Omit("payload"), f.Before, f.Limit, func(e *WebhookEvent) int64 { return e.ID })
	return EventPage{Events: events, NextBefore: next}, err
}

// ListEvents lists the shop's webhook events.
func (d *ShopData) ListEvents(ctx context.Context, f EventFilter) (EventPage, error) {
	return listEvents(d.s.r.WithContext(ctx).Model(&WebhookEvent{}).Where("shop_id = ?", d.shopID), f)
}

// ListAllEvents lists the events of every shop, unmatched ones included, for admins.
func (s *Store) ListAllEvents(ctx context.Context, f EventFilter) (EventPage, error) {
	return listEvents(s.r.WithContext(ctx).Model(&WebhookEvent{}), f)
}

func eventDetail(q *gorm.DB, db *gorm.DB, id int64) (*EventDetail, error) {
	var d EventDetail
	if err := q.Take(&d.Event, id).Error; err != nil {
		return nil, translate(err)
	}
	if err := db.Take(&d.Delivery, d.Event.DeliveryID).Error; err != nil {
		return nil, translate(err)
	}
	if err := db.Where("event_id = ?", id).Order("id").Find(&d.Attempts).Error; err != nil {
		return nil, err
	}
	return &d, nil
}

// Event returns one of the shop's events with its delivery and attempts.
func (d *ShopData) Event(ctx context.Context, id int64) (*EventDetail, error) {
	db := d.s.r.WithContext(ctx)
	return eventDetail(db.Where("shop_id = ?", d.shopID), db, id)
}

// EventDetail returns any event with its delivery and attempts, for admins.
func (s *Store) EventDetail(ctx context.Context, id int64) (*EventDetail, error) {
	db := s.r.WithContext(ctx)
	return eventDetail(db, db, id)
}

// Replayable reports whether an event may be processed again: dead letters, and events that no
// shop owned or that were not acted on (a Page or merchant connected since, a feature added).
func Replayable(status string) bool {
	return status == EventDead || status == EventUnmatched || status == EventIgnored
}

func replay(ctx context.Context, s *Store, scope *int64, ids []int64, actor Actor) (int, error) {
	var replayed []int64
	err := s.Transaction(ctx, func(tx *Tx) error {
		scoped := func() *gorm.DB {
			q := tx.db.Model(&WebhookEvent{}).Where("id IN ?", ids)
			if scope != nil {
				q = q.Where("shop_id = ?", *scope)
			}
			return q
		}
		var found int64
		if err := scoped().Count(&found).Error; err != nil {
			return err
		}
		if len(ids) == 0 || int(found) != len(slices.Compact(slices.Sorted(slices.Values(ids)))) {
			return ErrNotFound // an id of another shop, or of nothing: change nothing
		}
		if err := scoped().Where("status IN ?", []string{EventDead, EventUnmatched, EventIgnored}).Pluck("id", &replayed).Error; err != nil {
			return err
		}
		if len(replayed) == 0 {
			return nil
		}
		if err := tx.db.Model(&WebhookEvent{}).Where("id IN ?", replayed).
			Updates(map[string]any{"status": EventPending, "last_error": "", "next_attempt_at": nil, "locked_until": nil}).Error; err != nil {
			return err
		}
		shopID := int64(0)
		if scope != nil {
			shopID = *scope
		}
		e := actor.event(nil, AuditWebhookReplayed, "", "")
		if shopID != 0 {
			e.ShopID = &shopID
		}
		e.Detail, e.CreatedAt = pluralEvents(len(replayed)), tx.now()
		return tx.db.Create(&e).Error
	})
	return len(replayed), err
}

func pluralEvents(n int) string {
	if n == 1 {
		return "1 event"
	}
	return strconv.Itoa(n) + " events"
}

// ReplayEvents queues the shop's replayable events among ids to be processed again; it returns how many.
func (d *ShopData) ReplayEvents(ctx context.Context, ids []int64, actor Actor) (int, error) {
	id := d.shopID
	return replay(ctx, d.s, &id, ids, actor)
}

// ReplayAnyEvents queues replayable events of any shop to be processed again, for admins.
func (s *Store) ReplayAnyEvents(ctx context.Context, ids []int64, actor Actor) (int, error) {
	return replay(ctx, s, nil, ids, actor)
}
