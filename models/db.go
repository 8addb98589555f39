// Package models holds chatshop's records and the Store, the only code that touches the database.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" database/sql driver
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/chatshop/chatshop/live"
)

// Store is chatshop's data access. Writes go through one writer connection (SQLite allows one writer
// at a time, so queueing them in the pool is cheaper than retrying on SQLITE_BUSY); reads use a pool.
type Store struct {
	w, r        *gorm.DB
	writeSQL    *sql.DB
	readSQL     *sql.DB
	now         func() time.Time
	sealer      *Sealer
	facets      memo[int64, ProductFacets]
	figures     memo[figuresKey, *ShopFigures]
	inboxCounts memo[inboxCountsKey, InboxCounts]
	versions    shopVersions
	changes     atomic.Pointer[func(live.Change)]
}

// OpenOptions tunes Open; the zero value is the production setting.
type OpenOptions struct {
	// Readers is the size of the read pool; 0 means one per CPU, at least 4.
	Readers int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives slow-query warnings; nil means slog.Default().
	Logger *slog.Logger
	// Sealer encrypts secrets at rest (Page tokens, PayPal credentials); nil is allowed for
	// tools and tests that store none.
	Sealer *Sealer
}

// OpenSQLite opens (creating if needed) the SQLite database at path with WAL, a busy timeout,
// foreign keys and immediate write transactions, and applies the migrations.
func OpenSQLite(ctx context.Context, path string, opts OpenOptions) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("models: create data directory: %w", err)
	}
	writeSQL, err := sql.Open("sqlite3", sqliteDSN(path, false))
	if err != nil {
		return nil, fmt.Errorf("models: open %s: %w", path, err)
	}
	writeSQL.SetMaxOpenConns(1)
	writeSQL.SetMaxIdleConns(1)
	writeSQL.SetConnMaxIdleTime(0)
	writeSQL.SetConnMaxLifetime(0)
	// The writer creates the file and switches it to WAL before any reader opens it.
	if err := writeSQL.PingContext(ctx); err != nil {
		writeSQL.Close()
		return nil, fmt.Errorf("models: open %s: %w", path, err)
	}
	readSQL, err := sql.Open("sqlite3", sqliteDSN(path, true))
	if err != nil {
		writeSQL.Close()
		return nil, fmt.Errorf("models: open %s for reading: %w", path, err)
	}
	readers := opts.Readers
	if readers == 0 {
		readers = max(4, runtime.NumCPU())
	}
	readSQL.SetMaxOpenConns(readers)
	readSQL.SetMaxIdleConns(readers)

	s, err := newStore(writeSQL, readSQL, opts)
	if err != nil {
		writeSQL.Close()
		readSQL.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// sqliteDSN is the mattn/go-sqlite3 connection string. Writes default to synchronous=NORMAL: in
// WAL mode a commit is atomic and consistent, and is on disk at the next WAL sync. What must be
// durable before it is acknowledged (webhook deliveries) commits with DurableTransaction instead.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	q.Set("_cache_size", "-16000")
	// Reuse prepared statements per connection: without it every query is parsed anew, which
	// profiling showed to be a fifth of the server's CPU under webhook load.
	q.Set("_stmt_cache_size", "256")
	if readOnly {
		q.Set("_query_only", "true")
		q.Set("_txlock", "deferred")
	}
	return "file:" + path + "?" + q.Encode()
}

func newStore(writeSQL, readSQL *sql.DB, opts OpenOptions) (*Store, error) {
	lg := opts.Logger
	if lg == nil {
		lg = slog.Default()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	gcfg := func() *gorm.Config {
		return &gorm.Config{
			Logger:                 newGormLogger(lg),
			SkipDefaultTransaction: true,
			TranslateError:         true,
			NowFunc:                func() time.Time { return now().UTC() },
		}
	}
	w, err := gorm.Open(sqlite.New(sqlite.Config{Conn: writeSQL}), gcfg())
	if err != nil {
		return nil, fmt.Errorf("models: gorm writer: %w", err)
	}
	r, err := gorm.Open(sqlite.New(sqlite.Config{Conn: readSQL}), gcfg())
	if err != nil {
		return nil, fmt.Errorf("models: gorm reader: %w", err)
	}
	return &Store{w: w, r: r, writeSQL: writeSQL, readSQL: readSQL, now: now, sealer: opts.Sealer}, nil
}

// WriterDB is the single writer connection, shared with the job queue so that a job can be
// enqueued in the same transaction as the change that asks for it.
func (s *Store) WriterDB() *sql.DB { return s.writeSQL }

// Ping checks that the database answers reads and writes.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.readSQL.PingContext(ctx); err != nil {
		return err
	}
	return s.writeSQL.PingContext(ctx)
}

// Close closes both pools.
func (s *Store) Close() error {
	return errors.Join(s.readSQL.Close(), s.writeSQL.Close())
}

func (s *Store) nowUTC() time.Time { return s.now().UTC() }

// slowSQL is when a statement is logged as slow.
const slowSQL = 200 * time.Millisecond

func newGormLogger(lg *slog.Logger) logger.Interface {
	return quietConflicts{logger.NewSlogLogger(lg, logger.Config{
		SlowThreshold:             slowSQL,
		LogLevel:                  logger.Warn,
		IgnoreRecordNotFoundError: true,
	})}
}

// quietConflicts keeps expected outcomes out of the error log: a duplicate key is ErrConflict,
// which the caller handles (a signup with a taken email, a repeated delivery). It also passes on
// only what will be logged: gorm's slog logger renders every statement's SQL before deciding,
// which profiling showed costs more than many of the statements themselves.
type quietConflicts struct{ logger.Interface }

func (q quietConflicts) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, gorm.ErrRecordNotFound) {
		err = nil
	}
	if err == nil && time.Since(begin) <= slowSQL {
		return
	}
	q.Interface.Trace(ctx, begin, fc, err)
}

// ReaderDB is the read-only pool, for tests and diagnostics.
func (s *Store) ReaderDB() *sql.DB { return s.readSQL }

// Optimize gathers the statistics SQLite's query planner needs, for the tables never analyzed or
// that grew a lot since (all of each: a sample misjudged how many rows a shop has). Without them
// the planner guesses, and may walk an index on (shop, status) for one shopper's orders. The
// worker runs it at start and hourly; it costs nothing while the tables keep their size.
func (s *Store) Optimize(ctx context.Context) error {
	return s.w.WithContext(ctx).Connection(func(c *gorm.DB) error {
		if err := c.Exec("PRAGMA analysis_limit = 0").Error; err != nil {
			return err
		}
		return c.Exec("PRAGMA optimize = 0x10002").Error
	})
}
