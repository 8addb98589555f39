package models

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations/sqlite/*.sql
var migrationFiles embed.FS

// migrate applies every pending migration of the store's dialect.
func (s *Store) migrate(ctx context.Context) error {
	dir, err := fs.Sub(migrationFiles, "migrations/sqlite")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, s.writeSQL, dir)
	if err != nil {
		return fmt.Errorf("models: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("models: apply migrations: %w", err)
	}
	return nil
}

// SchemaVersion is the newest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	dir, err := fs.Sub(migrationFiles, "migrations/sqlite")
	if err != nil {
		return 0, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, s.writeSQL, dir)
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}
