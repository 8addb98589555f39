package sandboxdb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// The emulators' migrations, one set per dialect, versioned in a table of their own: the app's
// goose table never lists them, and a database the sandbox never ran on never has them.
//
// Databases from before this package already had the tables, made by the app's migrations: the
// first migration makes each one only if it is missing, in exactly the shape those gave it.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// VersionTable is the goose version table of the emulators' migrations.
const VersionTable = "sandbox_schema_version"

// migrationLockID is the PostgreSQL advisory lock taken while the migrations are applied, so that
// processes starting at once apply each once ("sbox").
const migrationLockID = 0x73626f78

func (d *DB) migrate(ctx context.Context) error {
	dialect, name := goose.DialectSQLite3, "sqlite"
	var opts []goose.ProviderOption
	if d.pg {
		dialect, name = goose.DialectPostgres, "postgres"
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID))
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	dir, err := fs.Sub(migrationFiles, "migrations/"+name)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(dialect, d.writer, dir, append(opts, goose.WithTableName(VersionTable))...)
	if err != nil {
		return fmt.Errorf("sandboxdb: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sandboxdb: apply migrations: %w", err)
	}
	return nil
}
