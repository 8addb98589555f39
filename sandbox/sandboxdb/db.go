// Package sandboxdb keeps the emulators' state: simulated Pages, shoppers and their threads, and
// the PayPal emulator's merchants, orders, captures, vault and disputes. Its tables live in the
// app's database, beside the product's, but have their own migrations and version table, applied
// only when the sandbox runs: a live database never has them.
package sandboxdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Host is the app's database, which the emulators share: its dialect, its connections, and a turn
// of SQLite's one writer, so that the emulators' transactions queue with the app's, not against
// them (*models.Store is one).
type Host interface {
	Postgres() bool
	WriterDB() *sql.DB
	ReaderDB() *sql.DB
	// WriterTurn runs fn in a turn of SQLite's writer; on PostgreSQL, at once.
	WriterTurn(ctx context.Context, fn func() error) error
}

// Errors the store returns instead of gorm's.
var (
	ErrNotFound = errors.New("sandboxdb: not found")
	ErrConflict = errors.New("sandboxdb: already exists")
)

// DB is the emulators' store.
type DB struct {
	w, r   *gorm.DB
	turn   func(ctx context.Context, fn func() error) error
	now    func() time.Time
	writer *sql.DB
	pg     bool
}

// Options tunes Open; the zero value is the production setting.
type Options struct {
	Now    func() time.Time // nil means time.Now
	Logger *slog.Logger     // slow and failed statements; nil means slog.Default()
}

// Open applies the emulators' migrations to host's database and returns their store.
func Open(ctx context.Context, host Host, opts Options) (*DB, error) {
	lg := opts.Logger
	if lg == nil {
		lg = slog.Default()
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	cfg := func() *gorm.Config {
		return &gorm.Config{
			Logger: logger.NewSlogLogger(lg, logger.Config{SlowThreshold: 200 * time.Millisecond, LogLevel: logger.Warn,
				IgnoreRecordNotFoundError: true}),
			SkipDefaultTransaction: true,
			TranslateError:         true,
			NowFunc:                func() time.Time { return now().UTC() },
		}
	}
	dialector := func(conn *sql.DB) gorm.Dialector {
		if host.Postgres() {
			return postgres.New(postgres.Config{Conn: conn})
		}
		return sqlite.New(sqlite.Config{Conn: conn})
	}
	w, err := gorm.Open(dialector(host.WriterDB()), cfg())
	if err != nil {
		return nil, fmt.Errorf("sandboxdb: gorm writer: %w", err)
	}
	r, err := gorm.Open(dialector(host.ReaderDB()), cfg())
	if err != nil {
		return nil, fmt.Errorf("sandboxdb: gorm reader: %w", err)
	}
	d := &DB{w: w, r: r, turn: host.WriterTurn, now: now, writer: host.WriterDB(), pg: host.Postgres()}
	if err := d.migrate(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *DB) nowUTC() time.Time { return d.now().UTC() }

// transaction runs fn in one write transaction, in a turn of SQLite's writer. Its writes are
// compare-and-sets, which PostgreSQL's default isolation keeps apart.
func (d *DB) transaction(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return d.turn(ctx, func() error { return d.w.WithContext(ctx).Transaction(fn) })
}

// translate turns gorm's errors into the store's.
func translate(err error) error {
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return ErrConflict
	}
	return err
}
