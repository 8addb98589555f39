package models

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" database/sql driver
)

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

	s, err := newStore(dialect{}, writeSQL, readSQL, opts)
	if err != nil {
		writeSQL.Close()
		readSQL.Close()
		return nil, err
	}
	s.wal = &walSync{path: path + "-wal"}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// sqliteDSN is the mattn/go-sqlite3 connection string. Writes default to synchronous=NORMAL: in
// WAL mode a commit is atomic and consistent, and is on disk at the next WAL sync. What must be
// durable before it is acknowledged (webhook deliveries) is made so by DurableTransaction (walSync).
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
