// Package modelstest opens real databases for tests: a fresh SQLite file in the test's temporary
// directory, migrated, closed when the test ends.
package modelstest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models"
)

// Open returns a migrated store on a new SQLite file.
func Open(t testing.TB) *models.Store {
	t.Helper()
	return OpenAt(t, filepath.Join(t.TempDir(), "chatshop.db"))
}

// testSecretKey seals secrets at rest in tests, as CHATSHOP_SECRET_KEY does in the product.
const testSecretKey = "modelstest-secret-key-0123456789abcdef"

func sealer(t testing.TB) *models.Sealer {
	s, err := models.NewSealer(testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// OpenAt opens (or reopens) the store at path and closes it when the test ends.
func OpenAt(t testing.TB, path string) *models.Store {
	t.Helper()
	s, err := models.OpenSQLite(context.Background(), path, models.OpenOptions{Sealer: sealer(t)})
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

// OpenWithClock returns a migrated store on a new SQLite file whose time comes from clock.
func OpenWithClock(t testing.TB, clock *Clock) *models.Store {
	t.Helper()
	s, err := models.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "chatshop.db"), models.OpenOptions{Now: clock.Now, Sealer: sealer(t)})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
