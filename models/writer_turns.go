package models

import (
	"context"
	"slices"
	"sync"
)

// writerTurns orders the transactions waiting for SQLite's one writer connection, first come
// first served, except that the intake's commits, which every webhook acknowledgement waits for, go
// before the others. database/sql hands a freed connection to one of its waiters at random: with
// the worker's event loops and jobs queued for the writer, an intake commit waited for several of
// their transactions (docs/benchmarks.md, session 10).
// The intake has one committer, so the other transactions still get a turn between its batches.
//
// Statements outside a transaction, and the job queue's own fetches and completions, take the
// connection without a turn; they still queue for it in the pool.
type writerTurns struct {
	mu             sync.Mutex
	held           bool
	intake, others []chan struct{}
}

// take waits for the writer's turn; urgent turns (the intake's) are given before the others.
func (w *writerTurns) take(ctx context.Context, urgent bool) error {
	w.mu.Lock()
	if !w.held {
		w.held = true
		w.mu.Unlock()
		return nil
	}
	turn := make(chan struct{})
	if urgent {
		w.intake = append(w.intake, turn)
	} else {
		w.others = append(w.others, turn)
	}
	w.mu.Unlock()
	select {
	case <-turn:
		return nil
	case <-ctx.Done():
		w.mu.Lock()
		waiting := w.leave(turn)
		w.mu.Unlock()
		if !waiting {
			w.give() // the turn came as ctx ended: pass it on
		}
		return ctx.Err()
	}
}

// leave takes turn out of the queues; false if it is no longer there (it was given).
func (w *writerTurns) leave(turn chan struct{}) bool {
	for _, q := range []*[]chan struct{}{&w.intake, &w.others} {
		if i := slices.Index(*q, turn); i >= 0 {
			*q = slices.Delete(*q, i, i+1)
			return true
		}
	}
	return false
}

// give ends the current turn and hands the writer to the next waiter, an urgent one first.
func (w *writerTurns) give() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, q := range []*[]chan struct{}{&w.intake, &w.others} {
		if len(*q) > 0 {
			next := (*q)[0]
			*q = (*q)[1:]
			close(next)
			return
		}
	}
	w.held = false
}

// writerTurn runs fn in a turn of the writer; on PostgreSQL, whose writes have a pool, at once.
func (s *Store) writerTurn(ctx context.Context, urgent bool, fn func() error) error {
	if s.dialect.postgres {
		return fn()
	}
	if err := s.turns.take(ctx, urgent); err != nil {
		return err
	}
	defer s.turns.give()
	return fn()
}

// WriterTurn runs fn, which writes through WriterDB, in a turn of SQLite's writer, after the
// transactions waiting before it; on PostgreSQL, at once. The emulators' transactions take it.
func (s *Store) WriterTurn(ctx context.Context, fn func() error) error {
	return s.writerTurn(ctx, false, fn)
}
