// Package app assembles chatshop. New builds the parts a process runs, in one order; Start starts
// them; Stop stops them in the reverse order. Every entry point goes through it: `chatshop serve`,
// `chatshop worker` and `chatshop sandbox`, the web tests, and the benchmark (which runs serve).
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/connect"
	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/live"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/sandbox"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/web"
	"github.com/chatshop/chatshop/worker"
)

// Role is what a process runs.
type Role int

const (
	// Serve is the web server, the worker (unless --no-worker: then it only enqueues) and, in
	// sandbox mode, the emulators on the same address.
	Serve Role = iota
	// WorkerOnly is the worker without a web server, for scale-out.
	WorkerOnly
	// SandboxOnly is the emulators alone on their own address, delivering webhooks to --app-url.
	SandboxOnly
)

// Options are what the process hands the app besides its configuration.
type Options struct {
	Role   Role
	Logger *slog.Logger // nil discards
	// Store is the database to use; nil opens the configured one (and Stop closes it). A store
	// handed in stays open: its owner closes it.
	Store *models.Store
	// Listener is the web address; nil listens on --addr.
	Listener net.Listener
	// RetryBase is the worker's first retry delay; 0 is the worker's own (tests retry in milliseconds).
	RetryBase time.Duration
	// Wrap, if set, wraps the web handler (the tests check every emulator exchange against
	// PayPal's OpenAPI files).
	Wrap func(http.Handler) http.Handler
}

// App is one chatshop process, built. Its fields are the parts, for the entry points and the
// tests to reach; a part the role does not run is nil.
type App struct {
	Config  *config.Config
	Logger  *slog.Logger
	Store   *models.Store
	Metrics *prometheus.Registry
	Live    *live.Hub
	Jobs    *worker.Worker
	// Intake stores verified webhook deliveries for the worker; Refusals counts refused ones.
	Intake   *models.Intake
	Refusals *models.RefusalLog
	// Sandbox is the emulators (sandbox mode) and SandboxDB their own tables.
	Sandbox   *sandbox.Sandbox
	SandboxDB *sandboxdb.DB
	// Web is the product's routes (Serve); Handler is what the listener serves.
	Web     *echo.Echo
	Handler http.Handler
	// NewDemo says the demo shop was created by this start; the demo activity plays only then.
	NewDemo bool

	role     Role
	listener net.Listener
	closers  []func() // what New built, closed in reverse by Stop
	running  *running
}

// New builds the parts of the role in the order they depend on each other: the store (with the
// demo data in sandbox mode), the listener (the sandbox's provider URLs are its address), the
// live hub, the worker, the webhook intake and refusal log, the emulators, the web handler.
// Nothing runs until Start. On error, what was built is closed.
func New(ctx context.Context, cfg *config.Config, opts Options) (*App, error) {
	a := &App{Config: cfg, Logger: opts.Logger, role: opts.Role, Metrics: web.NewRegistry()}
	if a.Logger == nil {
		a.Logger = slog.New(slog.DiscardHandler)
	}
	if err := a.build(ctx, opts); err != nil {
		a.closeAll()
		return nil, err
	}
	return a, nil
}

func (a *App) build(ctx context.Context, opts Options) error {
	cfg := a.Config
	if opts.Role == SandboxOnly && !cfg.Sandbox() {
		return errors.New("the emulators exist in sandbox mode only (--mode sandbox)")
	}
	if err := a.openStore(ctx, opts.Store); err != nil {
		return err
	}
	if cfg.Sandbox() && opts.Role != WorkerOnly {
		created, err := demo.Ensure(ctx, a.Store)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		a.NewDemo = created
	}
	if err := a.listen(opts.Listener); err != nil {
		return err
	}
	if opts.Role == SandboxOnly {
		if err := a.buildSandbox(ctx, cfg.SandboxAppURL); err != nil {
			return err
		}
		a.Handler = web.NewSandboxServer(cfg.BaseURL, a.Logger, a.Sandbox)
		return nil
	}
	if err := a.buildWorker(opts); err != nil {
		return err
	}
	if opts.Role == WorkerOnly {
		return nil
	}
	a.Live = live.NewHub() // open dashboard pages hear what this process and (PostgreSQL) others commit
	a.Store.OnChange(a.Live.Publish)
	a.Intake = a.Store.NewIntake(a.Jobs.EventsStored, a.Jobs.EventLease())
	a.closers = append(a.closers, a.Intake.Close)
	a.Refusals = a.Store.NewRefusalLog(a.Logger)
	a.closers = append(a.closers, a.Refusals.Close)
	if cfg.Sandbox() {
		// Closed before the intake: the emulators' redeliveries stop first.
		if err := a.buildSandbox(ctx, ""); err != nil {
			return err
		}
	}
	a.Web = web.New(a.webDeps())
	a.Handler = a.Web
	if opts.Wrap != nil {
		a.Handler = opts.Wrap(a.Handler)
	}
	return nil
}

// openStore uses the store handed in or opens the configured one; either way the worker's
// migrations are applied.
func (a *App) openStore(ctx context.Context, store *models.Store) error {
	if store == nil {
		var err error
		if store, err = OpenStore(ctx, a.Config, a.Logger); err != nil {
			return err
		}
		a.closers = append(a.closers, func() { store.Close() })
	} else if err := worker.Migrate(ctx, store); err != nil {
		return err
	}
	a.Store = store
	return nil
}

// listen opens the web address (or takes the one handed in) and resolves the base URL from it.
// The worker alone listens nowhere; it reaches the web process's address, where the sandbox's
// provider URLs are.
func (a *App) listen(ln net.Listener) error {
	if a.role == WorkerOnly {
		addr, err := net.ResolveTCPAddr("tcp", a.Config.Addr)
		if err != nil {
			return fmt.Errorf("--addr (CHATSHOP_ADDR): %w", err)
		}
		a.Config.ResolveBaseURL(addr)
		return nil
	}
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", a.Config.Addr); err != nil {
			return fmt.Errorf("listen on %s (--addr): %w", a.Config.Addr, err)
		}
	}
	a.listener = ln
	a.closers = append(a.closers, func() { ln.Close() })
	a.Config.ResolveBaseURL(ln.Addr())
	return nil
}

func (a *App) buildWorker(opts Options) error {
	cfg := a.Config
	concurrency := cfg.WorkerConcurrency
	if cfg.NoWorker && a.role == Serve {
		concurrency = 0 // enqueue only
	}
	metrics := prometheus.Registerer(a.Metrics)
	if a.role == WorkerOnly {
		metrics = nil // nothing serves them
	}
	jobs, err := worker.New(a.Store, worker.Options{
		Concurrency:      concurrency,
		PollInterval:     cfg.WorkerPollEvery,
		RescueStuckAfter: cfg.RescueStuckAfter,
		RetryBase:        opts.RetryBase,
		Logger:           a.Logger,
		Metrics:          metrics,
		Messenger:        connect.GraphClient(cfg),
		PayPal:           connect.PayPalClient(cfg),
		BaseURL:          cfg.BaseURL,
		WebhookRetention: cfg.WebhookRetention,
	})
	if err != nil {
		return err
	}
	a.Jobs = jobs
	a.closers = append(a.closers, a.stopWorker) // after the intake and the web: they enqueue
	return nil
}

// stopWorker lets running jobs finish for --shutdown-timeout, then cancels them.
func (a *App) stopWorker() {
	ctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	if err := a.Jobs.Stop(ctx); err != nil {
		a.Logger.Warn("worker shutdown", "err", err)
	}
}

// buildSandbox makes the emulators with the configured redelivery schedule. Their tables are in
// the app's database, made (by their own migrations) only here: a live database never has them.
func (a *App) buildSandbox(ctx context.Context, appURL string) error {
	retries, err := a.Config.SandboxRetrySchedule()
	if err != nil {
		return err
	}
	if a.SandboxDB, err = sandboxdb.Open(ctx, a.Store, sandboxdb.Options{Logger: a.Logger}); err != nil {
		return err
	}
	a.Sandbox, err = sandbox.New(a.Config, a.SandboxDB, a.Store, sandbox.Options{Logger: a.Logger, RetrySchedule: retries, AppURL: appURL})
	if err != nil {
		return err
	}
	a.closers = append(a.closers, a.Sandbox.Close)
	return nil
}

func (a *App) webDeps() web.Deps {
	cfg := a.Config
	return web.Deps{
		Live:     a.Live,
		Config:   cfg,
		Store:    a.Store,
		Sessions: web.NewSessionManager(a.Store.Sessions(), cfg.BaseURL),
		Logger:   a.Logger,
		Metrics:  a.Metrics,
		Ready: func(ctx context.Context) error {
			if !a.Jobs.Ready() {
				return errors.New("worker not running")
			}
			return a.Store.Ping(ctx)
		},
		Intake:           a.Intake,
		Refusals:         a.Refusals,
		Jobs:             a.Jobs,
		PayPalSignatures: payPalVerifier(cfg),
		PayPal:           connect.PayPalClient(cfg),
		Graph:            connect.GraphClient(cfg),
		Sandbox:          a.Sandbox,
	}
}

// Addr is the web address (nil for the worker alone).
func (a *App) Addr() net.Addr {
	if a.listener == nil {
		return nil
	}
	return a.listener.Addr()
}

// closeAll closes what New built, newest first.
func (a *App) closeAll() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

// running is what Start started.
type running struct {
	cancelJobs, cancelBackground context.CancelFunc
	background                   sync.WaitGroup // the change listener and the demo activity
	web, metric                  *http.Server
	metricsAddr                  net.Addr
	failed                       chan error
}
