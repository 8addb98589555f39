package models

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/chatshop/chatshop/live"
)

// Tx is a write transaction. Jobs enqueued with its SQL handle commit or roll back with it.
type Tx struct {
	db *gorm.DB
	s  *Store
	// changes are told to live pages once the transaction commits.
	changes []live.Change
	// touched are shops changed in ways no live page hears of, but that figures kept for a
	// while must not outlive (see memo).
	touched []int64
	// called is set when the transaction queued a call, and claimed lists those it claimed for
	// this process: the worker hears of them after the commit.
	called  bool
	claimed []ClaimedCall
}

// changed notes a change that live dashboard pages hear of after the commit.
func (tx *Tx) changed(shopID int64, kind string) {
	c := live.Change{ShopID: shopID, Kind: kind}
	if !slices.Contains(tx.changes, c) {
		tx.changes = append(tx.changes, c)
	}
}

// touch notes a change of the shop's data that values kept for a while depend on.
func (tx *Tx) touch(shopID int64) {
	if !slices.Contains(tx.touched, shopID) {
		tx.touched = append(tx.touched, shopID)
	}
}

// commit runs fn in the gorm transaction begin opens, then tells the changes it made: in this
// process at once, and on PostgreSQL to the other processes too, by a notification that the
// commit sends (see ListenForChanges).
func (s *Store) commit(begin func(func(*gorm.DB) error) error, fn func(tx *Tx) error) error {
	var tx *Tx
	err := begin(func(g *gorm.DB) error {
		tx = &Tx{db: g, s: s}
		if err := fn(tx); err != nil {
			return err
		}
		return tx.notifyOthers()
	})
	if err != nil {
		return err
	}
	for _, shopID := range tx.touched {
		s.heard(live.Change{ShopID: shopID})
	}
	for _, c := range tx.changes {
		s.heard(c)
	}
	if tell := s.callsQueued.Load(); tell != nil && tx.called {
		(*tell)(tx.claimed)
	}
	return nil
}

// heard bumps the shop's version, so that values kept for it are read again, and tells the live
// hub of a change of a kind (a touch has none).
func (s *Store) heard(c live.Change) {
	s.versions.bump(c.ShopID)
	if tell := s.changes.Load(); tell != nil && c.Kind != "" {
		(*tell)(c)
	}
}

// OnChange sets who hears of the changes committed (the live hub); no one, by default. It may be
// set while transactions run.
func (s *Store) OnChange(fn func(live.Change)) { s.changes.Store(&fn) }

// OnCallsQueued sets what is called after a transaction that queued calls commits, with the
// calls it claimed for this process.
func (s *Store) OnCallsQueued(fn func(claimed []ClaimedCall)) { s.callsQueued.Store(&fn) }

func (tx *Tx) now() time.Time { return tx.s.nowUTC() }

// Now is the store's clock, in UTC.
func (tx *Tx) Now() time.Time { return tx.now() }

// reading is a Tx over the read-only connections, so that reads outside a write use the same
// methods as reads inside one; writing through it fails.
func (s *Store) reading(ctx context.Context) *Tx { return &Tx{db: s.r.WithContext(ctx), s: s} }

// SQL is the transaction's database/sql handle, for the job queue's transactional insert.
func (tx *Tx) SQL() *sql.Tx {
	// gorm's PrepareStmt is off, so its transaction pool is the plain *sql.Tx.
	if pool, ok := tx.db.Statement.ConnPool.(*sql.Tx); ok {
		return pool
	}
	panic(fmt.Sprintf("models: transaction pool is %T, not *sql.Tx", tx.db.Statement.ConnPool))
}

// DurableTransaction is Transaction made durable before it returns; it goes before the other
// transactions waiting for SQLite's writer. PostgreSQL's commits are durable already
// (synchronous_commit is on).
func (s *Store) DurableTransaction(ctx context.Context, fn func(tx *Tx) error) error {
	if err := s.UrgentTransaction(ctx, fn); err != nil {
		return err
	}
	return s.SyncCommits()
}

// UrgentTransaction is Transaction going before the other transactions waiting for SQLite's
// writer (see writerTurns); SyncCommits makes it durable.
func (s *Store) UrgentTransaction(ctx context.Context, fn func(tx *Tx) error) error {
	if s.dialect.postgres {
		return s.Transaction(ctx, fn)
	}
	return s.transactionInTurn(ctx, true, fn)
}

// transactionInTurn runs fn in a plain write transaction, in a turn of SQLite's writer (urgent for
// the intake's); on PostgreSQL, not serializable.
func (s *Store) transactionInTurn(ctx context.Context, urgent bool, fn func(tx *Tx) error) error {
	return s.writerTurn(ctx, urgent, func() error {
		return s.commit(func(f func(*gorm.DB) error) error { return s.w.WithContext(ctx).Transaction(f) }, fn)
	})
}

// SyncCommits returns once every transaction committed before the call is on disk (see walSync);
// at once on PostgreSQL.
func (s *Store) SyncCommits() error {
	if s.wal == nil {
		return nil
	}
	return s.wal.sync()
}

// Transaction runs fn in one write transaction: committed if fn returns nil, rolled back otherwise.
// On PostgreSQL the transaction is serializable, so that it sees what SQLite's one writer at a time
// would, and fn runs again when PostgreSQL could not order it with a concurrent one: fn must do
// nothing outside the transaction that cannot be done twice.
func (s *Store) Transaction(ctx context.Context, fn func(tx *Tx) error) error {
	if !s.dialect.postgres {
		return s.transactionInTurn(ctx, false, fn)
	}
	serializable := &sql.TxOptions{Isolation: sql.LevelSerializable}
	for attempt := 1; ; attempt++ {
		err := s.commit(func(f func(*gorm.DB) error) error { return s.w.WithContext(ctx).Transaction(f, serializable) }, fn)
		if !retryable(err) || attempt == maxSerializationRetries || ctx.Err() != nil {
			return err
		}
		// Apart, at random, so that the transactions that collided do not collide again.
		time.Sleep(time.Duration(attempt+rand.IntN(2*attempt)) * time.Millisecond)
	}
}
