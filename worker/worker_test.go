package worker_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

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

// A job enqueued inside a transaction exists only if that transaction commits, and then it runs.
func TestEnqueueFollowsTransaction(t *testing.T) {
	ctx := context.Background()
	store, w := openWorker(t, 2)

	var rolledBackID int64
	errAbort := errors.New("abort")
	err := store.Transaction(ctx, func(tx *models.Tx) error {
		id, err := w.Enqueue(ctx, tx, worker.PruneSessionsArgs{})
		if err != nil {
			return err
		}
		rolledBackID = id
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatalf("transaction error = %v, want the abort", err)
	}
	if _, err := w.Job(ctx, rolledBackID); !errors.Is(err, river.ErrNotFound) {
		t.Fatalf("job of a rolled-back transaction: err = %v, want not found", err)
	}

	var committedID int64
	err = store.Transaction(ctx, func(tx *models.Tx) error {
		id, err := w.Enqueue(ctx, tx, worker.PruneSessionsArgs{})
		committedID = id
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	job, err := w.Job(ctx, committedID)
	if err != nil {
		t.Fatalf("job of a committed transaction: %v", err)
	}
	if job.State != rivertype.JobStateAvailable {
		t.Fatalf("before the worker starts the job is %s, want available", job.State)
	}

	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Stop(context.Background()) })
	waitFor(t, "the committed job to complete", func() bool {
		job, err := w.Job(ctx, committedID)
		if err != nil {
			t.Fatal(err)
		}
		return job.State == rivertype.JobStateCompleted
	})
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
