package worker

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models"
)

// testArgs is a call only these tests make.
type testArgs struct {
	N int `json:"n"`
}

func (testArgs) Kind() string       { return "test.call" }
func (testArgs) policy() callPolicy { return callPolicy{attempts: 3} }

// onceArgs is a call queued once per arguments.
type onceArgs struct {
	N int `json:"n"`
}

func (onceArgs) Kind() string       { return "test.once" }
func (onceArgs) policy() callPolicy { return callPolicy{attempts: 3, once: true} }

// testCaller makes test calls by running do, counting the attempts made of each.
type testCaller struct {
	do    func(ctx context.Context, job *Job[testArgs]) error
	mu    sync.Mutex
	made  map[int]int
	total atomic.Int64
}

func (c *testCaller) Work(ctx context.Context, job *Job[testArgs]) error {
	c.mu.Lock()
	c.made[job.Args.N]++
	c.mu.Unlock()
	c.total.Add(1)
	return c.do(ctx, job)
}

func (c *testCaller) attempts(n int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.made[n]
}

func openStore(t *testing.T) *models.Store {
	t.Helper()
	ctx := context.Background()
	store, err := models.OpenSQLite(ctx, filepath.Join(t.TempDir(), "chatshop.db"), models.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := Migrate(ctx, store); err != nil {
		t.Fatal(err)
	}
	return store
}

// startCalls builds a worker over store whose test calls do do, with the given lease.
func startCalls(t *testing.T, store *models.Store, lease time.Duration, do func(ctx context.Context, job *Job[testArgs]) error) (*Worker, *testCaller) {
	t.Helper()
	w, err := New(store, Options{Concurrency: 4, PollInterval: 20 * time.Millisecond, RescueStuckAfter: lease, RetryBase: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c := &testCaller{do: do, made: map[int]int{}}
	addCaller(w.kinds, c)
	if err := w.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Stop(context.Background()) })
	return w, c
}

func queue(t *testing.T, store *models.Store, w *Worker, args CallArgs) int64 {
	t.Helper()
	var id int64
	err := store.Transaction(context.Background(), func(tx *models.Tx) (err error) {
		id, err = w.callAt(tx, args, time.Time{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func waitForState(t *testing.T, store *models.Store, id int64, state string) *models.Call {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := store.CallByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if c.State == state && c.LockedUntil == nil {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("call %d is %s after 15s (attempts %d, error %q), want %s", id, c.State, c.Attempts, c.LastError, state)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A call queued in a transaction exists only if the transaction commits, and is then made once.
func TestCallFollowsTransaction(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	w, c := startCalls(t, store, 5*time.Second, func(context.Context, *Job[testArgs]) error { return nil })

	errAbort := errors.New("abort")
	var rolledBack int64
	err := store.Transaction(ctx, func(tx *models.Tx) (err error) {
		rolledBack, err = w.callAt(tx, testArgs{N: 1}, time.Time{})
		if err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatalf("transaction error = %v, want the abort", err)
	}
	if _, err := store.CallByID(ctx, rolledBack); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("call of a rolled-back transaction: err = %v, want not found", err)
	}
	id := queue(t, store, w, testArgs{N: 2})
	done := waitForState(t, store, id, models.CallDone)
	if done.Attempts != 1 || done.FinishedAt == nil || c.attempts(2) != 1 || c.attempts(1) != 0 {
		t.Fatalf("call: attempts %d, finished %v; made %d, rolled back made %d; want 1, set, 1, 0",
			done.Attempts, done.FinishedAt, c.attempts(2), c.attempts(1))
	}
}

// A failing call is tried again after a backoff until its attempts are spent; a permanent failure
// ends it at once. Each keeps the reason.
func TestCallRetriesThenFails(t *testing.T) {
	store := openStore(t)
	w, c := startCalls(t, store, 5*time.Second, func(_ context.Context, job *Job[testArgs]) error {
		if job.Args.N == 2 {
			return permanent(errors.New("refused for good"))
		}
		return errors.New("provider down")
	})
	flaky := queue(t, store, w, testArgs{N: 1})
	refused := queue(t, store, w, testArgs{N: 2})
	f := waitForState(t, store, flaky, models.CallFailed)
	if f.Attempts != 3 || c.attempts(1) != 3 || f.LastError != "provider down" {
		t.Fatalf("flaky call: %d attempts recorded, %d made, error %q; want 3, 3, provider down", f.Attempts, c.attempts(1), f.LastError)
	}
	r := waitForState(t, store, refused, models.CallFailed)
	if r.Attempts != 1 || c.attempts(2) != 1 || r.LastError != "permanent: refused for good" {
		t.Fatalf("refused call: %d attempts, %d made, error %q; want 1, 1, the refusal", r.Attempts, c.attempts(2), r.LastError)
	}
}

// A kind made once per arguments is queued once, however often it is asked for.
func TestCallOnceForTheSameArguments(t *testing.T) {
	store := openStore(t)
	w, err := New(store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := queue(t, store, w, onceArgs{N: 7})
	again := queue(t, store, w, onceArgs{N: 7})
	other := queue(t, store, w, onceArgs{N: 8})
	if first == 0 || again != 0 || other == 0 {
		t.Fatalf("ids %d, %d, %d: want the repeat not queued", first, again, other)
	}
	// Once it has failed for good, it may be asked for again (a buyer who pays another way).
	if err := store.CallFailed(context.Background(), first, "refused", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if anew := queue(t, store, w, onceArgs{N: 7}); anew == 0 {
		t.Fatal("a failed call made once per arguments could not be asked for again")
	}
}

// A call claimed by a process that died (its lease is never renewed) is made once the lease runs
// out; a call whose process is alive keeps its lease however long it runs, and a second worker on
// the same database does not make it too.
func TestCallLeases(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	lease := 600 * time.Millisecond
	queuer, err := New(store, Options{})
	if err != nil {
		t.Fatal(err)
	}
	orphan := queue(t, store, queuer, testArgs{N: 1})
	// A process claims it and dies.
	if claimed, err := store.ClaimCalls(ctx, 10, lease); err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v, %v", claimed, err)
	}
	release := make(chan struct{})
	slow := func(ctx context.Context, job *Job[testArgs]) error {
		if job.Args.N == 2 {
			select { // runs for five leases
			case <-release:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}
	w1, c1 := startCalls(t, store, lease, slow)
	_, c2 := startCalls(t, store, lease, slow)
	done := waitForState(t, store, orphan, models.CallDone)
	if done.Attempts != 2 || c1.attempts(1)+c2.attempts(1) != 1 {
		t.Fatalf("orphaned call: %d attempts, made %d times; want 2 attempts (the dead one's and this), made once",
			done.Attempts, c1.attempts(1)+c2.attempts(1))
	}
	long := queue(t, store, w1, testArgs{N: 2})
	for c1.attempts(2)+c2.attempts(2) == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	first, err := store.CallByID(ctx, long)
	if err != nil || first.LockedUntil == nil {
		t.Fatalf("running call: %+v, %v; want a lease", first, err)
	}
	// Wait until the lease was renewed well past the first one's end.
	for {
		c, err := store.CallByID(ctx, long)
		if err != nil {
			t.Fatal(err)
		}
		if c.LockedUntil != nil && c.LockedUntil.After(first.LockedUntil.Add(3*lease)) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	close(release)
	waitForState(t, store, long, models.CallDone)
	if n := c1.attempts(2) + c2.attempts(2); n != 1 {
		t.Fatalf("a long call whose process renews its lease was made %d times, want 1", n)
	}
}

// Pruning deletes the calls made before its first time and those failed before its second; a
// queued call stays whatever its age.
func TestPruneCalls(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	w, _ := startCalls(t, store, 5*time.Second, func(_ context.Context, job *Job[testArgs]) error {
		if job.Args.N == 2 {
			return permanent(errors.New("no"))
		}
		return nil
	})
	done := queue(t, store, w, testArgs{N: 1})
	failed := queue(t, store, w, testArgs{N: 2})
	waitForState(t, store, done, models.CallDone)
	waitForState(t, store, failed, models.CallFailed)
	w.Stop(ctx)
	later := queue(t, store, w, testArgs{N: 3})
	n, err := store.PruneCalls(ctx, time.Now().Add(time.Minute), time.Now().Add(-time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("pruned %d, %v; want the done call only", n, err)
	}
	if _, err := store.CallByID(ctx, done); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("done call: %v, want pruned", err)
	}
	for _, id := range []int64{failed, later} {
		if _, err := store.CallByID(ctx, id); err != nil {
			t.Fatalf("call %d: %v, want kept", id, err)
		}
	}
}
