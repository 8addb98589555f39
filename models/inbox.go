package models

import (
	"context"
	"errors"
	"sync"

	"gorm.io/gorm/clause"
)

// Inbox makes webhook deliveries durable before they are acknowledged. Deliveries arriving while
// a commit is in progress are committed together in the next transaction (group commit), so
// SQLite's synchronous=FULL costs one disk flush per batch instead of one per delivery.
// A stored event is its own queue entry (status pending), so an acknowledged event is always
// waiting to be processed: no separate job row is written.
type Inbox struct {
	s      *Store
	stored func() // wakes the event processors after a commit; may be nil
	reqs   chan *inboxRequest
	done   chan struct{}
	stop   context.CancelFunc
	closed sync.Once
	// MaxBatch bounds how many deliveries share a transaction.
	maxBatch int
}

// ReceiveResult says what happened to a delivery's events.
type ReceiveResult struct {
	DeliveryID int64
	// New are the ids of events stored for the first time; the others were duplicates.
	New        []int64
	Duplicates int
}

type inboxRequest struct {
	ctx      context.Context
	delivery WebhookDelivery
	events   []WebhookEvent
	result   ReceiveResult
	err      error
	done     chan struct{}
}

// NewInbox starts the inbox's committer; Close stops it. stored is called after each commit that
// stored new events, to wake whatever processes them.
func (s *Store) NewInbox(stored func()) *Inbox {
	ctx, cancel := context.WithCancel(context.Background())
	in := &Inbox{s: s, stored: stored, reqs: make(chan *inboxRequest, 1024), done: make(chan struct{}), stop: cancel, maxBatch: 256}
	go in.run(ctx)
	return in
}

// ErrInboxClosed means the inbox is shutting down; the delivery was not stored.
var ErrInboxClosed = errors.New("models: inbox closed")

// Receive stores a delivery and its events durably, deduplicating events by provider and key,
// and returns once they are on disk; new events wait, as pending, for the event loops.
func (in *Inbox) Receive(ctx context.Context, d WebhookDelivery, events []WebhookEvent) (ReceiveResult, error) {
	req := &inboxRequest{ctx: ctx, delivery: d, events: events, done: make(chan struct{})}
	select {
	case in.reqs <- req:
	case <-in.done:
		return ReceiveResult{}, ErrInboxClosed
	case <-ctx.Done():
		return ReceiveResult{}, ctx.Err()
	}
	select {
	case <-req.done:
		return req.result, req.err
	case <-in.done:
		// The committer finishes the batch it holds before closing done; a request still
		// queued was not stored.
		select {
		case <-req.done:
			return req.result, req.err
		default:
			return ReceiveResult{}, ErrInboxClosed
		}
	}
}

// Close stops accepting deliveries after committing those already taken.
func (in *Inbox) Close() {
	in.closed.Do(func() {
		in.stop()
		<-in.done
	})
}

func (in *Inbox) run(ctx context.Context) {
	defer close(in.done)
	for {
		var first *inboxRequest
		select {
		case first = <-in.reqs:
		case <-ctx.Done():
			return
		}
		batch := []*inboxRequest{first}
	drain:
		for len(batch) < in.maxBatch {
			select {
			case r := <-in.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		in.commit(batch)
	}
}

// commit stores a batch in one transaction; if that fails, each request is retried alone so one
// bad delivery cannot fail the others.
func (in *Inbox) commit(batch []*inboxRequest) {
	if len(batch) > 1 {
		err := in.s.DurableTransaction(context.Background(), func(tx *Tx) error {
			for _, r := range batch {
				if err := in.store(tx, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			in.wake(batch)
			for _, r := range batch {
				close(r.done)
			}
			return
		}
	}
	for _, r := range batch {
		r.result = ReceiveResult{}
		r.err = in.s.DurableTransaction(r.ctx, func(tx *Tx) error { return in.store(tx, r) })
		if r.err == nil {
			in.wake([]*inboxRequest{r})
		}
		close(r.done)
	}
}

func (in *Inbox) wake(batch []*inboxRequest) {
	if in.stored == nil {
		return
	}
	for _, r := range batch {
		if len(r.result.New) > 0 {
			in.stored()
			return
		}
	}
}

func (in *Inbox) store(tx *Tx, r *inboxRequest) error {
	ctx := r.ctx
	if err := ctx.Err(); err != nil {
		return err
	}
	now := in.s.nowUTC()
	d := r.delivery
	d.ID, d.ReceivedAt = 0, now
	if err := tx.db.Create(&d).Error; err != nil {
		return err
	}
	r.result = ReceiveResult{DeliveryID: d.ID}
	for _, e := range r.events {
		e.ID, e.DeliveryID, e.ReceivedAt, e.Status, e.Provider = 0, d.ID, now, EventPending, d.Provider
		res := tx.db.Clauses(clause.OnConflict{DoNothing: true}).Create(&e)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			r.result.Duplicates++
			continue
		}
		r.result.New = append(r.result.New, e.ID)
	}
	return nil
}

// RecordRejected keeps a delivery whose signature failed, for the event log; it is never processed.
// Its body is capped, since anyone can send one.
func (s *Store) RecordRejected(ctx context.Context, d WebhookDelivery) error {
	const maxKept = 64 << 10
	if len(d.Body) > maxKept {
		d.Body = d.Body[:maxKept]
	}
	d.ID, d.Verified, d.ReceivedAt = 0, false, s.nowUTC()
	return s.w.WithContext(ctx).Create(&d).Error
}
