package worker

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/chatshop/chatshop/models"
)

const (
	// callTimeout bounds one attempt at a call; the lease is renewed meanwhile.
	callTimeout = time.Minute
	// callClaimBatch is the most calls one claim takes.
	callClaimBatch = 32
)

// callLoop makes calls, up to slots at once: those this process queued, claimed as they were
// queued and handed over after their commit, and those it claims (queued by another process, due
// after a backoff, or left by a dead process). While a call waits or runs the loop renews its
// lease, so the lease can be short: a process killed mid-call stops renewing and its calls are
// claimed again, by another process or this one restarted, within one lease.
// Successes are recorded together, a batch per write; a process killed before recording one
// makes that call again, which the callers and the providers' idempotency keys make harmless
// (see README, "After a crash").
type callLoop struct {
	store   *models.Store
	kinds   map[string]callKind
	metrics *Metrics
	retry   backoff
	lease   time.Duration
	poll    time.Duration
	slots   int
	wake    chan struct{}
	log     *slog.Logger

	freed   chan struct{} // a call finished: a slot is free
	mu      sync.Mutex
	held    map[int64]bool       // claimed calls not yet recorded as done or failed
	pending []models.ClaimedCall // claimed calls waiting for a slot
	running int
	done    []int64       // calls made, to record as done
	ready   chan struct{} // done has calls to record
}

func newCallLoop(store *models.Store, kinds map[string]callKind, metrics *Metrics, retry backoff, lease, poll time.Duration, slots int, log *slog.Logger) *callLoop {
	return &callLoop{store: store, kinds: kinds, metrics: metrics, retry: retry, lease: lease, poll: poll, slots: slots, log: log,
		wake: make(chan struct{}, 1), freed: make(chan struct{}, 1), held: map[int64]bool{}, ready: make(chan struct{}, 1)}
}

// handOver takes the calls a transaction of this process claimed as it queued them; it runs
// after the commit. A call queued for later is claimed when due.
func (l *callLoop) handOver(claimed []models.ClaimedCall) {
	l.mu.Lock()
	for _, c := range claimed {
		l.held[c.ID] = true
	}
	l.pending = append(l.pending, claimed...)
	l.mu.Unlock()
	signal(l.wake)
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// run claims and makes calls until ctx ends; the calls running then go on under callCtx (which
// ends them when cancelled) and run returns once they are made and recorded.
func (l *callLoop) run(ctx, callCtx context.Context) {
	var running sync.WaitGroup
	upkeep, stopUpkeep := context.WithCancel(context.WithoutCancel(ctx))
	var recorders sync.WaitGroup
	recorders.Add(2)
	go func() { defer recorders.Done(); l.renewLeases(upkeep) }()
	go func() { defer recorders.Done(); l.recordDone(upkeep) }()
	timer := time.NewTimer(l.poll)
	defer timer.Stop()
	start := func(c models.ClaimedCall) {
		running.Add(1)
		go func() {
			defer running.Done()
			l.make(callCtx, c)
		}()
	}
	for ctx.Err() == nil {
		for _, c := range l.startable() {
			start(c)
		}
		free, waiting := l.room()
		var claims []models.ClaimedCall
		if free > 0 && !waiting {
			var err error
			claims, err = l.store.ClaimCalls(ctx, min(free, callClaimBatch), l.lease)
			if err != nil && ctx.Err() == nil {
				l.log.Error("claim calls", "err", err)
			}
		}
		for _, c := range claims {
			l.take(c.ID)
			start(c)
		}
		if free > 0 && len(claims) == min(free, callClaimBatch) {
			continue // more may be due
		}
		var freed chan struct{} // heard only while calls wait for a slot
		if free == len(claims) || waiting {
			freed = l.freed
		}
		timer.Reset(l.poll)
		select {
		case <-ctx.Done():
		case <-l.wake:
		case <-freed:
		case <-timer.C:
		}
	}
	running.Wait()
	// Calls handed over but not started keep their leases until they run out, then are claimed
	// again (by this process restarted, or another).
	stopUpkeep()
	recorders.Wait()
	l.flushDone(context.Background()) // what the last round left
}

// make makes one attempt at a claimed call and records how it went.
func (l *callLoop) make(ctx context.Context, c models.ClaimedCall) {
	start := time.Now()
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	err := l.attempt(cctx, c)
	cancel()
	l.mu.Lock()
	l.running--
	l.mu.Unlock()
	signal(l.freed)
	l.metrics.callSeconds.Observe(time.Since(start).Seconds())
	if err == nil {
		l.metrics.calls.WithLabelValues(c.Kind, "done").Inc()
		l.mu.Lock()
		l.done = append(l.done, c.ID)
		l.mu.Unlock()
		signal(l.ready)
		return
	}
	var retryAt time.Time
	outcome := "failed"
	if !isPermanent(err) && c.Attempts < c.MaxAttempts {
		retryAt, outcome = time.Now().Add(l.retry.delay(c.Attempts)), "retry"
	}
	l.metrics.calls.WithLabelValues(c.Kind, outcome).Inc()
	l.log.Warn("call failed", "call_id", c.ID, "kind", c.Kind, "attempt", c.Attempts, "outcome", outcome, "err", err)
	if recErr := l.store.CallFailed(context.WithoutCancel(ctx), c.ID, clip(err.Error(), 2000), retryAt); recErr != nil {
		l.log.Error("record failed call", "call_id", c.ID, "err", recErr) // the lease runs out: it is made again
	}
	l.release(c.ID)
}

// attempt runs the kind's code; a panic is a failed attempt, not a dead process.
func (l *callLoop) attempt(ctx context.Context, c models.ClaimedCall) (err error) {
	kind, ok := l.kinds[c.Kind]
	if !ok {
		return permanent(fmt.Errorf("no code makes %s calls", c.Kind))
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return kind(ctx, c)
}

// renewLeases extends the leases of the calls held, three times a lease, until ctx ends.
func (l *callLoop) renewLeases(ctx context.Context) {
	tick := time.NewTicker(l.lease / 3)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		l.mu.Lock()
		ids := slices.Collect(maps.Keys(l.held))
		l.mu.Unlock()
		if err := l.store.RenewCalls(ctx, ids, l.lease); err != nil && ctx.Err() == nil {
			l.log.Error("renew call leases", "calls", len(ids), "err", err)
		}
	}
}

// recordDone records the calls made as done, all that wait in one write, until ctx ends.
func (l *callLoop) recordDone(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.ready:
		}
		l.flushDone(ctx)
	}
}

func (l *callLoop) flushDone(ctx context.Context) {
	l.mu.Lock()
	ids := l.done
	l.done = nil
	l.mu.Unlock()
	if len(ids) == 0 {
		return
	}
	if err := l.store.CallsDone(context.WithoutCancel(ctx), ids); err != nil {
		l.log.Error("record calls done", "calls", len(ids), "err", err) // their leases run out: made again
	}
	for _, id := range ids {
		l.release(id)
	}
}

// take holds a call the loop claimed, counting it as running.
func (l *callLoop) take(id int64) {
	l.mu.Lock()
	l.held[id] = true
	l.running++
	l.mu.Unlock()
}

func (l *callLoop) release(id int64) {
	l.mu.Lock()
	delete(l.held, id)
	l.mu.Unlock()
}

// startable takes the handed-over calls there are free slots for, counting them as running.
func (l *callLoop) startable() []models.ClaimedCall {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := min(l.slots-l.running, len(l.pending))
	if n <= 0 {
		return nil
	}
	out := slices.Clone(l.pending[:n])
	l.pending = slices.Delete(l.pending, 0, n)
	l.running += n
	return out
}

// room is how many slots are free, and whether handed-over calls wait for one.
func (l *callLoop) room() (free int, waiting bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.slots - l.running, len(l.pending) > 0
}
