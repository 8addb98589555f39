package worker_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/worker"
)

func openWorker(t *testing.T, concurrency int) (*models.Store, *worker.Worker) {
	t.Helper()
	ctx := context.Background()
	store, err := models.OpenSQLite(ctx, filepath.Join(t.TempDir(), "chatshop.db"), models.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := worker.Migrate(ctx, store); err != nil {
		t.Fatal(err)
	}
	w, err := worker.New(store, worker.Options{Concurrency: concurrency, PollInterval: 20 * time.Millisecond, RescueStuckAfter: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return store, w
}

// The session pruning job deletes expired sessions and keeps live ones.
func TestPruneSessionsJob(t *testing.T) {
	ctx := context.Background()
	store, w := openWorker(t, 1)
	sessions := store.Sessions()
	if err := sessions.CommitCtx(ctx, "expired", []byte("x"), time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := sessions.CommitCtx(ctx, "live", []byte("y"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := w.Start(ctx); err != nil { // the periodic prune runs on start
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Stop(context.Background()) })
	waitFor(t, "only the live session to remain", func() bool {
		n, err := store.CountSessions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n == 1
	})
	if _, ok, err := sessions.FindCtx(ctx, "live"); err != nil || !ok {
		t.Fatalf("live session: found=%v err=%v", ok, err)
	}
}

// waitFor polls cond until it holds, failing the test after 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
