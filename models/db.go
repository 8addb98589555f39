// Package models holds chatshop's records and the Store, the only code that touches the database.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/chatshop/chatshop/live"
	"github.com/chatshop/chatshop/secret"
)

// Store is chatshop's data access, on SQLite (db_sqlite.go) or PostgreSQL (db_postgres.go). On
// SQLite, writes go through one writer connection (SQLite allows one writer at a time, so queueing
// them in the pool is cheaper than retrying on SQLITE_BUSY); reads use a pool. On PostgreSQL,
// writes have a pool too.
type Store struct {
	dialect dialect
	// url and origin are, on PostgreSQL, the database's and this process's names, for hearing
	// the changes other processes commit (ListenForChanges).
	url, origin string
	w, r        *gorm.DB
	writeSQL    *sql.DB
	readSQL     *sql.DB
	wal         *walSync // SQLite's: makes commits durable
	now         func() time.Time
	sealer      *secret.Sealer
	facets      memo[int64, ProductFacets]
	figures     memo[figuresKey, *ShopFigures]
	inboxCounts memo[inboxCountsKey, InboxCounts]
	versions    shopVersions
	turns       writerTurns // who writes next, on SQLite
	changes     atomic.Pointer[func(live.Change)]
	callsQueued atomic.Pointer[func([]ClaimedCall)]
}

// OpenOptions tunes Open; the zero value is the production setting.
type OpenOptions struct {
	// Readers is the size of the read pool; 0 means one per CPU, at least 4, on SQLite, and 8 on
	// PostgreSQL.
	Readers int
	// Writers is, on PostgreSQL, the size of the write pool; 0 means 16. SQLite has one writer.
	Writers int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives slow-query warnings; nil means slog.Default().
	Logger *slog.Logger
	// Sealer encrypts secrets at rest (Page tokens, PayPal credentials); nil is allowed for
	// tools and tests that store none.
	Sealer *secret.Sealer
}

func newStore(d dialect, writeSQL, readSQL *sql.DB, opts OpenOptions) (*Store, error) {
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
	dialector := func(conn *sql.DB) gorm.Dialector {
		if d.postgres {
			return postgres.New(postgres.Config{Conn: conn})
		}
		return sqlite.New(sqlite.Config{Conn: conn})
	}
	w, err := gorm.Open(dialector(writeSQL), gcfg())
	if err != nil {
		return nil, fmt.Errorf("models: gorm writer: %w", err)
	}
	r, err := gorm.Open(dialector(readSQL), gcfg())
	if err != nil {
		return nil, fmt.Errorf("models: gorm reader: %w", err)
	}
	return &Store{dialect: d, w: w, r: r, writeSQL: writeSQL, readSQL: readSQL, now: now, sealer: opts.Sealer}, nil
}

// WriterDB is the single writer connection (on PostgreSQL, the pool), shared with the job queue so
// that a job can be enqueued in the same transaction as the change that asks for it.
func (s *Store) WriterDB() *sql.DB { return s.writeSQL }

// Postgres is whether the store is on PostgreSQL rather than SQLite.
func (s *Store) Postgres() bool { return s.dialect.postgres }

// Ping checks that the database answers reads and writes.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.readSQL.PingContext(ctx); err != nil {
		return err
	}
	return s.writeSQL.PingContext(ctx)
}

// Close closes both pools.
func (s *Store) Close() error {
	var errs []error
	if s.wal != nil {
		errs = append(errs, s.wal.close())
	}
	return errors.Join(append(errs, s.readSQL.Close(), s.writeSQL.Close())...)
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
// which the caller handles (a signup with a taken email, a repeated delivery); a serialization
// failure is tried again; a statement cancelled is one whose caller went away (a shutdown). It also passes on
// only what will be logged: gorm's slog logger renders every statement's SQL before deciding,
// which profiling showed costs more than many of the statements themselves.
type quietConflicts struct{ logger.Interface }

func (q quietConflicts) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if errors.Is(err, gorm.ErrDuplicatedKey) || errors.Is(err, gorm.ErrRecordNotFound) || retryable(err) || errors.Is(err, context.Canceled) {
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
// PostgreSQL's autovacuum keeps its statistics too, but only a minute or more after a table's
// changes pass its threshold: ANALYZE (a sample of each table) has them now, after a bulk seed.
// Without them PostgreSQL took the freshly seeded orders for one row and searched them by a
// shopper's name in seconds, rereading the shoppers for each order.
func (s *Store) Optimize(ctx context.Context) error {
	if s.dialect.postgres {
		return s.w.WithContext(ctx).Exec("ANALYZE").Error
	}
	err := s.w.WithContext(ctx).Connection(func(c *gorm.DB) error {
		if err := c.Exec("PRAGMA analysis_limit = 0").Error; err != nil {
			return err
		}
		return c.Exec("PRAGMA optimize = 0x10002").Error
	})
	if err != nil {
		return err
	}
	return s.mergeSearchIndex(ctx)
}

// searchMergeStep bounds one step of merging the product search index, in pages written: a few
// tens of milliseconds of the writer, so that webhooks are not kept waiting behind it.
const searchMergeStep = "merge=64,2"

// mergeSearchIndex merges the segments of the product search index (SQLite's FTS4) a step at a
// time, until each level has one. Every write to the index adds a segment, merged only sixteen at
// a time, so a search after a bulk load reads many segments and takes longer than merged
// (docs/benchmarks.md, "Measurements behind the code"). Each step is a statement of its own; a step that changes fewer than
// two rows found nothing left to merge.
func (s *Store) mergeSearchIndex(ctx context.Context) error {
	for {
		var changed int64
		err := s.w.WithContext(ctx).Connection(func(c *gorm.DB) error {
			var before int64
			if err := c.Raw("SELECT total_changes()").Scan(&before).Error; err != nil {
				return err
			}
			if err := c.Exec("INSERT INTO products_fts (products_fts) VALUES ('" + searchMergeStep + "')").Error; err != nil {
				return err
			}
			return c.Raw("SELECT total_changes() - ?", before).Scan(&changed).Error
		})
		if err != nil || changed < 2 {
			return err
		}
	}
}
