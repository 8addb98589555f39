// Package modelstest opens real databases for tests: a fresh SQLite file in the test's temporary
// directory, migrated, closed when the test ends; or, when CHATSHOP_TEST_DATABASE_URL names a
// PostgreSQL server, a fresh PostgreSQL database on it, dropped when the test ends.
package modelstest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/secret"
)

// Open returns a migrated store on a new database.
func Open(t testing.TB) *models.Store {
	t.Helper()
	return OpenAt(t, filepath.Join(t.TempDir(), "chatshop.db"))
}

// testSecretKey seals secrets at rest in tests, as CHATSHOP_SECRET_KEY does in the product.
const testSecretKey = "modelstest-secret-key-0123456789abcdef"

func sealer(t testing.TB) *secret.Sealer {
	s, err := secret.NewSealer(testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// OpenAt opens (or reopens) the store at path and closes it when the test ends. On PostgreSQL,
// path names a database of the test's own, created at the first open.
func OpenAt(t testing.TB, path string) *models.Store {
	t.Helper()
	return open(t, path, models.OpenOptions{Sealer: sealer(t)})
}

// OpenWithClock returns a migrated store on a new database whose time comes from clock.
func OpenWithClock(t testing.TB, clock *Clock) *models.Store {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "chatshop.db"), models.OpenOptions{Now: clock.Now, Sealer: sealer(t)})
}

func open(t testing.TB, path string, opts models.OpenOptions) *models.Store {
	t.Helper()
	var s *models.Store
	var err error
	if url := DatabaseURL(t, path); url != "" {
		opts.Readers, opts.Writers = 4, 6 // many tests run at once, within the server's connections
		s, err = models.OpenPostgres(context.Background(), url, opts)
	} else {
		s, err = models.OpenSQLite(context.Background(), path, opts)
	}
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Clock is a settable clock for tests of expiry and time windows.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts a clock at a fixed instant.
func NewClock() *Clock { return &Clock{now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
