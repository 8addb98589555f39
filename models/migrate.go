package models

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// The migrations, one set per dialect. Their version numbers agree: PostgreSQL's set starts with
// the whole schema at SQLite's version 28, and a later change is a file of the same number in each.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migrations is the goose provider of the store's dialect. On PostgreSQL it takes a session lock,
// so that processes starting at once apply each migration once, in turn.
func (s *Store) migrations() (*goose.Provider, error) {
	dir, err := fs.Sub(migrationFiles, "migrations/"+s.dialect.name())
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	if s.dialect.postgres {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(s.dialect.goose(), s.writeSQL, dir, opts...)
	if err != nil {
		return nil, fmt.Errorf("models: migrations: %w", err)
	}
	return p, nil
}

// migrate applies every pending migration of the store's dialect.
func (s *Store) migrate(ctx context.Context) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("models: apply migrations: %w", err)
	}
	return nil
}

// SchemaVersion is the newest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := s.migrations()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// setupLockKey names the PostgreSQL advisory lock held while a process sets the database up.
const setupLockKey = 0x63686174 // "chat"

// WithSetupLock runs fn, which sets the database up (River's migrations, the demo data), while no
// other process does: processes starting at once take turns. On PostgreSQL it holds an advisory
// lock for fn's length; SQLite has one process.
func (s *Store) WithSetupLock(ctx context.Context, fn func() error) error {
	if !s.dialect.postgres {
		return fn()
	}
	conn, err := s.writeSQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", setupLockKey); err != nil {
		return fmt.Errorf("models: setup lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", setupLockKey)
	return fn()
}
