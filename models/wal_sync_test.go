package models

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// Callers at once share flushes; a caller after the last flush gets one of its own.
func TestWALSyncShared(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db-wal")
	if err := os.WriteFile(path, []byte("frames"), 0o600); err != nil {
		t.Fatal(err)
	}
	w := &walSync{path: path}
	defer w.close()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- w.sync()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	shared := w.flushes.Load()
	if shared < 1 || shared > 64 {
		t.Fatalf("%d flushes for 64 callers", shared)
	}
	if err := w.sync(); err != nil {
		t.Fatal(err)
	}
	if got := w.flushes.Load(); got != shared+1 {
		t.Fatalf("a caller after the last flush: %d flushes, want %d", got, shared+1)
	}
}

// SQLite deletes the WAL when its last connection closes and makes a new one later: the flush
// follows the file, and a missing file is an error, not a silent success.
func TestWALSyncFollowsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db-wal")
	os.WriteFile(path, nil, 0o600)
	w := &walSync{path: path}
	defer w.close()
	if err := w.sync(); err != nil {
		t.Fatal(err)
	}
	os.Remove(path)
	if err := w.sync(); err == nil {
		t.Fatal("sync of a deleted WAL succeeded")
	}
	os.WriteFile(path, nil, 0o600)
	if err := w.sync(); err != nil {
		t.Fatal(err)
	}
	now, _ := os.Stat(path)
	held, _ := w.file.Stat()
	if !os.SameFile(now, held) {
		t.Fatal("the flush holds the deleted file, not the new one")
	}
}

// A durable transaction flushes the store's WAL after its commit; a plain one does not.
func TestDurableTransactionFlushesTheWAL(t *testing.T) {
	s, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "chatshop.db"), OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := s.wal.flushes.Load()
	noop := func(tx *Tx) error { return tx.db.Exec("CREATE TABLE IF NOT EXISTS t (x)").Error }
	if err := s.Transaction(context.Background(), noop); err != nil {
		t.Fatal(err)
	}
	if got := s.wal.flushes.Load(); got != before {
		t.Fatalf("a plain transaction flushed the WAL (%d → %d)", before, got)
	}
	if err := s.DurableTransaction(context.Background(), noop); err != nil {
		t.Fatal(err)
	}
	if got := s.wal.flushes.Load(); got != before+1 {
		t.Fatalf("flushes %d → %d, want one for the durable transaction", before, got)
	}
}
