// Package worker runs chatshop's background work: it processes inbound webhook events, makes the
// calls to PayPal and Meta they and the dashboard ask for (its own queue, see callLoop), and runs
// River's upkeep jobs and catalog imports. All of it lives in the database the data it changes
// lives in, and is queued in the transaction that asks for it.
package worker

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// Options configures the worker.
type Options struct {
	// Concurrency is how many jobs run at once; 0 makes an insert-only client that runs nothing.
	Concurrency int
	// PollInterval is how often the worker looks for new jobs.
	PollInterval time.Duration
	// RescueStuckAfter is when a running job is presumed lost to a crash and retried.
	RescueStuckAfter time.Duration
	Logger           *slog.Logger
	// Metrics registers the worker's metrics; nil keeps them unregistered.
	Metrics prometheus.Registerer
	// RetryBase is the first retry's delay, doubling each attempt up to an hour; 0 means 5s.
	RetryBase time.Duration
	// Messenger sends messages to shoppers; nil for a process that never sends.
	Messenger *messenger.Client
	// PayPal makes refunds and other payment calls; nil for a process that never calls PayPal.
	PayPal *paypal.Client
	// BaseURL is the server's public URL, which catalog imports recognise in image URLs.
	BaseURL string
	// WebhookRetention is how long the webhook log keeps payloads and refusals; 0 means 30 days.
	WebhookRetention time.Duration
}

// Worker queues calls and jobs and, when it has concurrency, makes the calls, works the jobs and
// processes webhook events.
type Worker struct {
	store      *models.Store
	client     *river.Client[*sql.Tx]
	kinds      map[string]callKind
	running    atomic.Bool
	works      bool
	events     []*eventLoop
	eventsWake chan struct{} // shared by the event loops
	handed     *handedEvents // claimed by the intake for them
	eventLease time.Duration
	calls      *callLoop
	stop       context.CancelFunc // stops claiming events and calls
	cancel     context.CancelFunc // ends the calls still running
	loops      sync.WaitGroup
}

// driver is River's driver for the store's database.
func driver(store *models.Store) riverdriver.Driver[*sql.Tx] {
	if store.Postgres() {
		return riverdatabasesql.New(store.WriterDB())
	}
	return riversqlite.New(store.WriterDB())
}

// Migrate applies River's own schema migrations to the store's database.
func Migrate(ctx context.Context, store *models.Store) error {
	m, err := rivermigrate.New(driver(store), nil)
	if err != nil {
		return err
	}
	return store.WithSetupLock(ctx, func() error {
		if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("worker: river migrations: %w", err)
		}
		return nil
	})
}

// New builds the worker over the store: River's client on its writer connection, and every kind of call and job.
func New(store *models.Store, opts Options) (*Worker, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	reg := opts.Metrics
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	metrics := newMetrics(reg, store)
	works := opts.Concurrency > 0
	w := &Worker{store: store, works: works, kinds: map[string]callKind{}}
	// Upkeep and catalog imports are River's jobs.
	workers := river.NewWorkers()
	river.AddWorker(workers, &pruneSessionsWorker{store: store})
	river.AddWorker(workers, &pruneWebhooksWorker{store: store, retention: cmp.Or(opts.WebhookRetention, defaultWebhookRetention)})
	river.AddWorker(workers, &templatesSweepWorker{store: store, jobs: w})
	river.AddWorker(workers, &catalogImportWorker{store: store, baseURL: opts.BaseURL})
	river.AddWorker(workers, &optimizeWorker{store: store})
	co := &checkout{store: store, paypal: opts.PayPal, jobs: w, baseURL: opts.BaseURL}
	river.AddWorker(workers, &expireOrdersWorker{co: co})
	// Calls to PayPal and Meta are the worker's own queue (see callLoop).
	addCaller(w.kinds, &sendMessageWorker{store: store, client: opts.Messenger})
	addCaller(w.kinds, &refundWorker{store: store, paypal: opts.PayPal})
	addCaller(w.kinds, &trackWorker{store: store, paypal: opts.PayPal, jobs: w})
	addCaller(w.kinds, &untrackWorker{store: store, paypal: opts.PayPal})
	addCaller(w.kinds, &templatesWorker{store: store, graph: opts.Messenger, jobs: w})
	addCaller(w.kinds, &reviewWorker{store: store, graph: opts.Messenger, jobs: w})
	addCaller(w.kinds, &disputeRefreshWorker{store: store, paypal: opts.PayPal})
	addCaller(w.kinds, &disputeActionWorker{store: store, paypal: opts.PayPal})
	addCaller(w.kinds, &subscribePageWorker{store: store, graph: opts.Messenger, jobs: w})
	addCaller(w.kinds, &unsubscribePageWorker{store: store, graph: opts.Messenger})
	addCaller(w.kinds, &merchantStatusWorker{store: store, paypal: opts.PayPal})
	addCaller(w.kinds, &shopperProfileWorker{store: store, graph: opts.Messenger})
	addCaller(w.kinds, &createOrderWorker{co: co})
	addCaller(w.kinds, &chargeVaultWorker{co: co})
	addCaller(w.kinds, &captureOrderWorker{co: co})
	addCaller(w.kinds, &deleteVaultTokenWorker{store: store, paypal: opts.PayPal})
	addCaller(w.kinds, &unlinkAccountWorker{store: store, graph: opts.Messenger})

	retry := backoff{base: cmp.Or(opts.RetryBase, 5*time.Second), max: time.Hour}
	cfg := &river.Config{
		Logger:            logger.With("component", "worker"),
		Workers:           workers,
		MaxAttempts:       12,
		FetchPollInterval: opts.PollInterval,
		FetchCooldown:     min(opts.PollInterval, 20*time.Millisecond),
		RetryPolicy:       retry,
		// Upkeep and imports run long and rarely: a crashed process's are taken back after two
		// minutes (the calls and events, within --rescue-stuck-after).
		RescueStuckJobsAfter: 2 * time.Minute,
		JobTimeout:           time.Minute,
	}
	if works {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Concurrency}}
		cfg.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(15*time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return PruneSessionsArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return PruneWebhooksArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return ExpireOrdersArgs{}, nil }, nil),
			// As the shop's tables grow, the query planner's statistics follow.
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return OptimizeArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			// Pages connected before chatshop asked for templates get theirs.
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return TemplatesSweepArgs{}, nil }, nil),
		}
	}
	client, err := river.NewClient(driver(store), cfg)
	if err != nil {
		return nil, fmt.Errorf("worker: %w", err)
	}
	w.client = client
	if works {
		// The event loops share one wake-up: a signal wakes one idle loop, not every loop to
		// race for the same events (each race lost is a write transaction that claims nothing).
		w.eventsWake, w.handed, w.eventLease = make(chan struct{}, 1), &handedEvents{}, opts.RescueStuckAfter
		for range min(opts.Concurrency, 4) {
			w.events = append(w.events, &eventLoop{store: store, jobs: w, baseURL: opts.BaseURL, metrics: metrics, retry: retry,
				lease: opts.RescueStuckAfter, poll: opts.PollInterval, wake: w.eventsWake, handed: w.handed, log: logger.With("component", "events")})
		}
		w.calls = newCallLoop(store, w.kinds, metrics, retry, opts.RescueStuckAfter, opts.PollInterval, opts.Concurrency, logger.With("component", "calls"))
		store.OnCallsQueued(w.calls.handOver)
	}
	return w, nil
}

// EventsStored hands the event loops the events the intake claimed for them and wakes one: the
// intake calls it after storing new events.
func (w *Worker) EventsStored(claimed []models.ClaimedEvent) {
	if w.eventsWake == nil {
		return
	}
	w.handed.add(claimed, time.Now().Add(w.eventLease*4/5))
	signal(w.eventsWake)
}

// EventLease is the lease the intake claims new events under for this process's event loops;
// 0 when it has none (the events wait to be claimed by a worker).
func (w *Worker) EventLease() time.Duration {
	if w.eventsWake == nil {
		return 0
	}
	return w.eventLease
}

// Start begins working jobs; it returns once the worker is running. An insert-only client does nothing.
func (w *Worker) Start(ctx context.Context) error {
	if !w.works {
		return nil
	}
	if err := w.client.Start(ctx); err != nil {
		return fmt.Errorf("worker: start: %w", err)
	}
	loopCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	callCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	w.stop, w.cancel = stop, cancel
	for _, l := range w.events {
		w.loops.Add(1)
		go func() {
			defer w.loops.Done()
			l.run(loopCtx)
		}()
	}
	w.loops.Add(1)
	go func() {
		defer w.loops.Done()
		w.calls.run(loopCtx, callCtx)
	}()
	w.running.Store(true)
	return nil
}

// Stop lets running calls and jobs finish until ctx ends, then cancels them.
func (w *Worker) Stop(ctx context.Context) error {
	if !w.running.Swap(false) {
		return nil
	}
	w.stop()
	stopped := make(chan struct{})
	go func() {
		w.loops.Wait() // each event loop finishes the event it is processing, the call loop its calls
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-ctx.Done():
		w.cancel() // calls still running end; their leases run out and they are made again
		<-stopped
	}
	w.cancel()
	err := w.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		// Jobs still running after the grace period are cancelled; River retries them later.
		stopCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return w.client.StopAndCancel(stopCtx)
	}
	return err
}

// Ready reports whether the worker is working jobs (or is insert-only by design).
func (w *Worker) Ready() bool { return !w.works || w.running.Load() }

// Enqueue inserts one of River's jobs (upkeep, a catalog import) in tx: it exists only if tx commits.
func (w *Worker) Enqueue(ctx context.Context, tx *models.Tx, args river.JobArgs) error {
	if _, err := w.client.InsertTx(ctx, tx.SQL(), args, nil); err != nil {
		return fmt.Errorf("worker: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}
