package models

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// walSync makes SQLite's commits durable after they are made, away from the writer. Every commit
// is made at synchronous=NORMAL: in WAL mode it is then atomic and consistent, and durable once the
// WAL file is synced. What must be durable before it is acknowledged (webhook deliveries) syncs the
// WAL itself afterwards, without holding the one writer, which the other transactions can use
// meanwhile (a synchronous=FULL commit held it through the disk flush, about a millisecond in three
// of the intake's commits).
//
// It is sound because a sync of the file flushes every frame written before it, whoever wrote it,
// and because SQLite copies frames into the database file only by a checkpoint, which syncs the WAL
// before it and the database file after it, before the WAL can start over. Callers whose commits
// ended before a sync began share it (group commit).
type walSync struct {
	path      string
	requested atomic.Uint64 // syncs asked for, each after its caller's commit
	mu        sync.Mutex
	file      *os.File
	synced    uint64 // the requests the last completed sync covered
	flushes   atomic.Int64
}

// sync returns once every commit made before the call is on disk.
func (w *walSync) sync() error {
	mine := w.requested.Add(1)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.synced >= mine {
		return nil // a sync that began after this caller's commit has ended
	}
	covered := w.requested.Load()
	if err := w.open(); err != nil {
		return err
	}
	if err := w.file.Sync(); err != nil {
		return fmt.Errorf("models: sync %s: %w", w.path, err)
	}
	w.flushes.Add(1)
	w.synced = covered
	return nil
}

// open opens the WAL file, again if SQLite has made a new one since (it deletes the file when its
// last connection closes).
func (w *walSync) open() error {
	if w.file != nil {
		now, err := os.Stat(w.path)
		held, herr := w.file.Stat()
		if err == nil && herr == nil && os.SameFile(now, held) {
			return nil
		}
		w.file.Close()
		w.file = nil
	}
	f, err := os.Open(w.path)
	if err != nil {
		return fmt.Errorf("models: open %s to sync it: %w", w.path, err)
	}
	w.file = f
	return nil
}

func (w *walSync) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.file == nil {
		return nil
	}
	err := w.file.Close()
	w.file = nil
	return err
}
