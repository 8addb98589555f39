// Package worker runs chatshop's background jobs with River: inbound webhook events and outbound
// provider calls. Jobs live in the same database as the data they change.
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
	"github.com/riverqueue/river/rivertype"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// Options configures the job client.
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

// Worker enqueues jobs and, when it has concurrency, works them and processes webhook events.
type Worker struct {
	client  *river.Client[*sql.Tx]
	running atomic.Bool
	works   bool
	events  []*eventLoop
	stop    context.CancelFunc
	loops   sync.WaitGroup
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

// New builds the job client over the store's writer connection and registers every job kind.
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
	w := &Worker{works: works}
	workers := river.NewWorkers()
	river.AddWorker(workers, &pruneSessionsWorker{store: store})
	river.AddWorker(workers, &pruneWebhooksWorker{store: store, retention: cmp.Or(opts.WebhookRetention, defaultWebhookRetention)})
	river.AddWorker(workers, &sendMessageWorker{store: store, client: opts.Messenger})
	river.AddWorker(workers, &refundWorker{store: store, paypal: opts.PayPal})
	river.AddWorker(workers, &trackWorker{store: store, paypal: opts.PayPal, jobs: w})
	river.AddWorker(workers, &untrackWorker{store: store, paypal: opts.PayPal})
	river.AddWorker(workers, &templatesWorker{store: store, graph: opts.Messenger, jobs: w})
	river.AddWorker(workers, &reviewWorker{store: store, graph: opts.Messenger, jobs: w})
	river.AddWorker(workers, &templatesSweepWorker{store: store, jobs: w})
	river.AddWorker(workers, &disputeRefreshWorker{store: store, paypal: opts.PayPal})
	river.AddWorker(workers, &disputeActionWorker{store: store, paypal: opts.PayPal})
	river.AddWorker(workers, &catalogImportWorker{store: store, baseURL: opts.BaseURL})
	river.AddWorker(workers, &subscribePageWorker{store: store, graph: opts.Messenger, jobs: w})
	river.AddWorker(workers, &unsubscribePageWorker{store: store, graph: opts.Messenger})
	river.AddWorker(workers, &merchantStatusWorker{store: store, paypal: opts.PayPal})
	river.AddWorker(workers, &shopperProfileWorker{store: store, graph: opts.Messenger})
	co := &checkout{store: store, paypal: opts.PayPal, jobs: w, baseURL: opts.BaseURL}
	river.AddWorker(workers, &createOrderWorker{co: co})
	river.AddWorker(workers, &chargeVaultWorker{co: co})
	river.AddWorker(workers, &captureOrderWorker{co: co})
	river.AddWorker(workers, &expireOrdersWorker{co: co})
	river.AddWorker(workers, &optimizeWorker{store: store})
	river.AddWorker(workers, &deleteVaultTokenWorker{store: store, paypal: opts.PayPal})
	river.AddWorker(workers, &unlinkAccountWorker{store: store, graph: opts.Messenger})

	cfg := &river.Config{
		Logger:               logger.With("component", "worker"),
		Workers:              workers,
		MaxAttempts:          12,
		FetchPollInterval:    opts.PollInterval,
		FetchCooldown:        min(opts.PollInterval, 20*time.Millisecond),
		RescueStuckJobsAfter: opts.RescueStuckAfter,
		RetryPolicy:          backoff{base: cmp.Or(opts.RetryBase, 5*time.Second), max: time.Hour},
		// A job may run as long as it may be left alone before being presumed lost.
		JobTimeout: min(time.Minute, opts.RescueStuckAfter),
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
		for range min(opts.Concurrency, 4) {
			w.events = append(w.events, &eventLoop{store: store, jobs: w, baseURL: opts.BaseURL, metrics: metrics, retry: cfg.RetryPolicy.(backoff),
				lease: opts.RescueStuckAfter, poll: opts.PollInterval, wake: make(chan struct{}, 1), log: logger.With("component", "events")})
		}
	}
	return w, nil
}

// EventsStored wakes the event processors: the intake calls it after storing new events.
func (w *Worker) EventsStored() {
	for _, l := range w.events {
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
}

// Start begins working jobs; it returns once the worker is running. An insert-only client does nothing.
func (w *Worker) Start(ctx context.Context) error {
	if !w.works {
		return nil
	}
	if err := w.client.Start(ctx); err != nil {
		return fmt.Errorf("worker: start: %w", err)
	}
	loopCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	w.stop = cancel
	for _, l := range w.events {
		w.loops.Add(1)
		go func() {
			defer w.loops.Done()
			l.run(loopCtx)
		}()
	}
	w.running.Store(true)
	return nil
}

// Stop lets running jobs finish until ctx ends, then cancels them.
func (w *Worker) Stop(ctx context.Context) error {
	if !w.running.Swap(false) {
		return nil
	}
	w.stop()
	w.loops.Wait() // each loop finishes the event it is processing
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

// Enqueue inserts a job in tx: it exists only if tx commits.
func (w *Worker) Enqueue(ctx context.Context, tx *models.Tx, args river.JobArgs) (int64, error) {
	res, err := w.client.InsertTx(ctx, tx.SQL(), args, nil)
	if err != nil {
		return 0, fmt.Errorf("worker: enqueue %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// Job returns a job's current row; river.ErrNotFound if there is none.
func (w *Worker) Job(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return w.client.JobGet(ctx, id)
}
