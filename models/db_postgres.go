package models

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// OpenPostgres connects to the PostgreSQL database at url (postgres://...) and applies the
// migrations; several processes may start at once (the migrations take a session lock). Write
// transactions are serializable, so that they see the database as SQLite's single writer would
// (see Transaction). Reads have a pool of their own, read-only, as on SQLite: a transaction that
// reads through it while holding a writer never waits on the writers.
func OpenPostgres(ctx context.Context, url string, opts OpenOptions) (*Store, error) {
	writeSQL, err := openPostgresPool(ctx, url, cmp.Or(opts.Writers, 16), false)
	if err != nil {
		return nil, err
	}
	readSQL, err := openPostgresPool(ctx, url, cmp.Or(opts.Readers, 8), true)
	if err != nil {
		writeSQL.Close()
		return nil, err
	}
	s, err := newStore(dialect{postgres: true}, writeSQL, readSQL, opts)
	if err != nil {
		writeSQL.Close()
		readSQL.Close()
		return nil, err
	}
	s.url, s.origin = url, newOrigin()
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openPostgresPool(ctx context.Context, url string, size int, readOnly bool) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("models: CHATSHOP_DATABASE_URL: %w", err)
	}
	if readOnly {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(size)
	db.SetMaxIdleConns(size)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("models: connect to PostgreSQL: %w", err)
	}
	return db, nil
}

// maxSerializationRetries is how often a PostgreSQL transaction is tried before its serialization
// failure is returned.
const maxSerializationRetries = 20

// retryable is whether err is PostgreSQL's word that a transaction may succeed if tried again: a
// serialization failure or a deadlock.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

// oneAtATime makes, on PostgreSQL, the transactions that process a shop's events wait for each
// other, as SQLite's one writer does: concurrent ones touch the same rows and indexes (the shop's
// shoppers, conversations and jobs), and would otherwise fail to serialize and run again and again.
// Different shops' events still run at once. The lock ends with the transaction.
func (tx *Tx) oneAtATime(shopID *int64) error {
	if !tx.s.dialect.postgres || shopID == nil {
		return nil
	}
	return tx.db.Exec("SELECT pg_advisory_xact_lock(?, ?)", shopEventsLock, int32(*shopID)).Error
}

// shopEventsLock is the first key of the advisory locks oneAtATime takes (the second is the shop).
const shopEventsLock = 0x65766e74 // "evnt"
