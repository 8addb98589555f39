package models

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
)

// The writer connection does not checkpoint (wal_autocheckpoint = 0): by default SQLite's
// commit that takes the WAL past 1,000 pages copies them into the database file and syncs it,
// holding the one writer meanwhile, about ten times a second under load. A checkpointer on a
// connection of its own does that work instead, alongside the writer (a passive checkpoint takes
// no write lock).
const writerDriver = "sqlite3_chatshop_writer"

var registerWriter sync.Once

func registerWriterDriver() {
	registerWriter.Do(func() {
		sql.Register(writerDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
			_, err := c.Exec("PRAGMA wal_autocheckpoint = 0", nil)
			return err
		}})
	})
}

// checkpointEvery is how often the checkpointer copies the WAL's new pages into the database
// file: often enough that the WAL stays a few megabytes under load.
const checkpointEvery = 100 * time.Millisecond

// checkpointer runs passive checkpoints until Close.
type checkpointer struct {
	db   *sql.DB
	stop context.CancelFunc
	done chan struct{}
}

func startCheckpointer(path string) (*checkpointer, error) {
	db, err := sql.Open("sqlite3", sqliteDSN(path, false))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{db: db, stop: cancel, done: make(chan struct{})}
	go c.run(ctx)
	return c, nil
}

func (c *checkpointer) run(ctx context.Context) {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// A failed checkpoint leaves the pages in the WAL, where readers find them; the next one
		// copies them.
		var busy, walPages, copied int
		_ = c.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &walPages, &copied)
	}
}

// Close stops the checkpointer; the last connection to close checkpoints what is left.
func (c *checkpointer) Close() error {
	c.stop()
	<-c.done
	return c.db.Close()
}
