// Package modelstest opens real databases for tests: a fresh SQLite file in the test's temporary
// directory, migrated, closed when the test ends.
package modelstest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/chatshop/chatshop/models"
)

// Open returns a migrated store on a new SQLite file.
func Open(t testing.TB) *models.Store {
	t.Helper()
	return OpenAt(t, filepath.Join(t.TempDir(), "chatshop.db"))
}

// OpenAt opens (or reopens) the store at path and closes it when the test ends.
func OpenAt(t testing.TB, path string) *models.Store {
	t.Helper()
	s, err := models.OpenSQLite(context.Background(), path, models.OpenOptions{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
