package models

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"
)

// Intake makes webhook deliveries durable before they are acknowledged. Deliveries arriving while
// a commit is in progress are committed together in the next transaction (group commit). A
// committed batch is handed to a syncer, which flushes the WAL once for every batch waiting
// (SyncCommits) and only then answers them, while the committer commits the next batch.
// A stored event is its own queue entry (status pending), so an acknowledged event is always
// waiting to be processed: no separate job row is written. In a process that also processes
// events, new events are claimed for it as they are stored (under lease) and handed to its event
// loops after the commit, sparing each a claim's transaction.
type Intake struct {
	s      *Store
	stored func(claimed []ClaimedEvent) // hears of new events after a commit; may be nil
	lease  time.Duration                // the claim on new events; 0 leaves them to be claimed
	reqs   chan *intakeRequest
	synced chan []*intakeRequest // committed batches, for the syncer
	done   chan struct{}
	stop   context.CancelFunc
	closed sync.Once
	// MaxBatch bounds how many deliveries share a transaction.
	maxBatch int
	prepared *intakeStatements // the inserts, prepared on the writer by the committer
}

// ReceiveResult says what happened to a delivery's events.
type ReceiveResult struct {
	DeliveryID int64
	// New are the ids of events stored for the first time; the others were duplicates.
	New        []int64
	Duplicates int
}

type intakeRequest struct {
	ctx      context.Context
	delivery WebhookDelivery
	events   []WebhookEvent
	result   ReceiveResult
	err      error
	done     chan struct{}
}

// NewIntake starts the intake's committer; Close stops it. stored is called after each commit that
// stored new events, with those claimed for this process when lease is positive.
func (s *Store) NewIntake(stored func(claimed []ClaimedEvent), lease time.Duration) *Intake {
	ctx, cancel := context.WithCancel(context.Background())
	in := &Intake{s: s, stored: stored, lease: lease, reqs: make(chan *intakeRequest, 1024), synced: make(chan []*intakeRequest, 64),
		done: make(chan struct{}), stop: cancel, maxBatch: 256}
	go in.run(ctx)
	go in.sync()
	return in
}

// ErrIntakeClosed means the intake is shutting down; the delivery was not stored.
var ErrIntakeClosed = errors.New("models: webhook intake closed")

// Receive stores a delivery and its events durably, deduplicating events by provider and key,
// and returns once they are on disk; new events wait, as pending, for the event loops.
func (in *Intake) Receive(ctx context.Context, d WebhookDelivery, events []WebhookEvent) (ReceiveResult, error) {
	req := &intakeRequest{ctx: ctx, delivery: d, events: events, done: make(chan struct{})}
	select {
	case in.reqs <- req:
	case <-in.done:
		return ReceiveResult{}, ErrIntakeClosed
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
			return ReceiveResult{}, ErrIntakeClosed
		}
	}
}

// Close stops accepting deliveries after committing those already taken.
func (in *Intake) Close() {
	in.closed.Do(func() {
		in.stop()
		<-in.done
	})
}

func (in *Intake) run(ctx context.Context) {
	defer close(in.synced)
	defer func() {
		if in.prepared != nil {
			in.prepared.delivery.Close()
			in.prepared.event.Close()
		}
	}()
	for {
		var first *intakeRequest
		select {
		case first = <-in.reqs:
		case <-ctx.Done():
			return
		}
		batch := []*intakeRequest{first}
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
// bad delivery cannot fail the others. The stored requests go to the syncer.
func (in *Intake) commit(batch []*intakeRequest) {
	if err := in.prepare(); err != nil {
		for _, r := range batch {
			r.err = err
			close(r.done)
		}
		return
	}
	if len(batch) > 1 {
		err := in.s.UrgentTransaction(context.Background(), func(tx *Tx) error {
			st, err := in.statements(tx)
			if err != nil {
				return err
			}
			for _, r := range batch {
				if err := st.store(r, in.s.nowUTC(), in.lease); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			in.wake(batch)
			in.synced <- batch
			return
		}
	}
	stored := batch[:0:0]
	for _, r := range batch {
		r.result = ReceiveResult{}
		r.err = in.s.UrgentTransaction(r.ctx, func(tx *Tx) error {
			st, err := in.statements(tx)
			if err != nil {
				return err
			}
			return st.store(r, in.s.nowUTC(), in.lease)
		})
		if r.err != nil {
			close(r.done)
			continue
		}
		in.wake([]*intakeRequest{r})
		stored = append(stored, r)
	}
	if len(stored) > 0 {
		in.synced <- stored
	}
}

// sync answers committed batches once they are on disk: one flush for every batch committed
// before it began. A failed flush fails the batches (the provider delivers them again; their
// events, committed, are then duplicates).
func (in *Intake) sync() {
	defer close(in.done)
	for batch := range in.synced {
		waiting := [][]*intakeRequest{batch}
	more:
		for {
			select {
			case b, ok := <-in.synced:
				if !ok {
					break more
				}
				waiting = append(waiting, b)
			default:
				break more
			}
		}
		err := in.s.SyncCommits()
		for _, b := range waiting {
			for _, r := range b {
				if err != nil {
					r.result, r.err = ReceiveResult{}, err
				}
				close(r.done)
			}
		}
	}
}

func (in *Intake) wake(batch []*intakeRequest) {
	if in.stored == nil {
		return
	}
	var claimed []ClaimedEvent
	stored := false
	for _, r := range batch {
		stored = stored || len(r.result.New) > 0
		if in.lease > 0 {
			for _, id := range r.result.New {
				claimed = append(claimed, ClaimedEvent{ID: id, Attempts: 1})
			}
		}
	}
	if stored {
		in.stored(claimed)
	}
}

// intakeStatements are the two inserts of a delivery and its events, prepared once on the writer:
// at thousands of deliveries a second the committer is the one goroutine every acknowledgement
// waits for, and building each insert through the ORM, or preparing it for each batch, cost it
// more than the disk did.
type intakeStatements struct {
	delivery, event *sql.Stmt
	// returning: the inserts answer the new row's id with RETURNING (PostgreSQL). On SQLite they
	// do not: run as queries (database/sql's rows, a goroutine watching the request's context,
	// SQLite's table of the returned rows) they took the committer twice the CPU, and the
	// connection's last rowid and change count say the same.
	returning bool
}

// prepare prepares the intake's inserts on the writer, once; the committer calls it before it
// begins a transaction, which holds the writer's only connection.
func (in *Intake) prepare() error {
	if in.prepared != nil {
		return nil
	}
	returning := ""
	if in.s.dialect.postgres {
		returning = " RETURNING id"
	}
	delivery, err := in.s.writeSQL.Prepare(Numbered(`INSERT INTO webhook_deliveries
		(provider, headers, body, remote_addr, verified, rejection, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)` + returning))
	if err != nil {
		return err
	}
	event, err := in.s.writeSQL.Prepare(Numbered(`INSERT INTO webhook_events
		(provider, event_key, event_type, account_ref, shop_id, delivery_id, payload, status, received_at, attempts, locked_until)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider, event_key) DO NOTHING` + returning))
	if err != nil {
		delivery.Close()
		return err
	}
	in.prepared = &intakeStatements{delivery: delivery, event: event, returning: returning != ""}
	return nil
}

// statements are the prepared inserts bound to tx.
func (in *Intake) statements(tx *Tx) (*intakeStatements, error) {
	if in.prepared == nil {
		return nil, errors.New("models: the intake's inserts are not prepared")
	}
	return &intakeStatements{delivery: tx.SQL().Stmt(in.prepared.delivery), event: tx.SQL().Stmt(in.prepared.event),
		returning: in.prepared.returning}, nil
}

// store keeps the request's delivery and its events new to chatshop (pending), counting the others
// as duplicates; with a lease, the new events are claimed (their first attempt).
func (st *intakeStatements) store(r *intakeRequest, now time.Time, lease time.Duration) error {
	ctx := r.ctx
	if err := ctx.Err(); err != nil {
		return err
	}
	d := r.delivery
	deliveryID, _, err := st.insert(ctx, st.delivery, d.Provider, d.Headers, d.Body, d.RemoteAddr, d.Verified, d.Rejection, now)
	if err != nil {
		return err
	}
	r.result = ReceiveResult{DeliveryID: deliveryID}
	attempts, lockedUntil := 0, (*time.Time)(nil)
	if lease > 0 {
		until := now.Add(lease)
		attempts, lockedUntil = 1, &until
	}
	for _, e := range r.events {
		id, inserted, err := st.insert(ctx, st.event, d.Provider, e.EventKey, e.EventType, e.AccountRef, e.ShopID, deliveryID, e.Payload, EventPending, now,
			attempts, lockedUntil)
		if err != nil {
			return err
		}
		if !inserted {
			r.result.Duplicates++
			continue
		}
		r.result.New = append(r.result.New, id)
	}
	return nil
}

// insert runs one of the inserts and says the new row's id, or that the row was already there.
func (st *intakeStatements) insert(ctx context.Context, stmt *sql.Stmt, args ...any) (id int64, inserted bool, err error) {
	if st.returning {
		err := stmt.QueryRowContext(ctx, args...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		return id, err == nil, err
	}
	res, err := stmt.ExecContext(ctx, args...)
	if err != nil {
		return 0, false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, false, err
	}
	id, err = res.LastInsertId()
	return id, err == nil, err
}
