package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/connect"
	"github.com/chatshop/chatshop/handlers"
	"github.com/chatshop/chatshop/live"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
	"github.com/chatshop/chatshop/sandbox"
	"github.com/chatshop/chatshop/web"
	"github.com/chatshop/chatshop/worker"
)

// serve runs the web server and, unless --no-worker, the worker, until ctx ends; then it shuts
// down in order: HTTP (finish requests), worker (finish jobs), database.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, _, err := config.Load("serve", args, getenv, stdout, nil)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stdout)
	started := time.Now()
	if path := getenv("CHATSHOP_CPU_PROFILE"); path != "" { // for profiling under the benchmark's load
		stop, err := startCPUProfile(path)
		if err != nil {
			return err
		}
		defer stop()
	}

	store, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	newDemo := false
	if cfg.Sandbox() {
		if newDemo, err = store.EnsureDemo(ctx); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}

	// Listen first: the sandbox's provider base URLs are this server's own address.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (--addr): %w", cfg.Addr, err)
	}
	cfg.ResolveBaseURL(ln.Addr())
	defer ln.Close()

	concurrency := cfg.WorkerConcurrency
	if cfg.NoWorker {
		concurrency = 0 // enqueue only
	}
	// Open dashboard pages hear what the web and the worker commit in this process, and on
	// PostgreSQL what other processes commit.
	hub := live.NewHub()
	store.OnChange(hub.Publish)
	go store.ListenForChanges(ctx, logger)
	metrics := web.NewRegistry()
	jobs, err := worker.New(store, workerOptions(cfg, concurrency, logger, metrics))
	if err != nil {
		return err
	}
	if err := jobs.Start(ctx); err != nil {
		return err
	}
	defer stopWorker(jobs, cfg.ShutdownTimeout, logger)

	inbox := store.NewInbox(jobs.EventsStored)
	defer inbox.Close() // after HTTP has stopped; before the worker and the database
	refusals := store.NewRefusalLog(logger)
	defer refusals.Close() // after HTTP has stopped; before the database
	var box *sandbox.Sandbox
	if cfg.Sandbox() {
		if box, err = newSandbox(ctx, cfg, store, logger, ""); err != nil {
			return err
		}
		defer box.Close() // stops redeliveries before the inbox closes
	}
	e := web.New(web.Deps{
		Live:     hub,
		Config:   cfg,
		Store:    store,
		Sessions: web.NewSessionManager(store.Sessions(), cfg.BaseURL),
		Logger:   logger,
		Metrics:  metrics,
		Ready: func(ctx context.Context) error {
			if !jobs.Ready() {
				return errors.New("worker not running")
			}
			return store.Ping(ctx)
		},
		Inbox:            inbox,
		Refusals:         refusals,
		Jobs:             jobs,
		PayPalSignatures: payPalVerifier(cfg),
		PayPal:           connect.PayPalClient(cfg),
		Graph:            connect.GraphClient(cfg),
		Sandbox:          box,
	})
	srv := newHTTPServer(e, logger)
	srv.RegisterOnShutdown(hub.Close) // live streams end, or Shutdown would wait for them
	serveErr := make(chan error, 2)
	go func() { serveErr <- srv.Serve(ln) }()
	var metricsAddr net.Addr
	if cfg.MetricsAddr != "" {
		ml, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("listen on %s (--metrics-addr): %w", cfg.MetricsAddr, err)
		}
		metricsAddr = ml.Addr()
		metricsSrv := serveMetrics(ml, cfg.MetricsToken, metrics, logger, serveErr)
		defer metricsSrv.Close()
	}

	playDemo := newDemo && cfg.DemoActivity && !cfg.NoWorker
	printBanner(stdout, cfg, ln.Addr(), metricsAddr, playDemo, time.Since(started))
	if playDemo {
		go demoActivity(ctx, cfg.BaseURL, store, logger)
	}

	select {
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("http shutdown", "err", err)
	}
	return nil
}

func workerOptions(cfg *config.Config, concurrency int, logger *slog.Logger, metrics prometheus.Registerer) worker.Options {
	return worker.Options{
		Concurrency:      concurrency,
		PollInterval:     cfg.WorkerPollEvery,
		RescueStuckAfter: cfg.RescueStuckAfter,
		Logger:           logger,
		Metrics:          metrics,
		Messenger:        connect.GraphClient(cfg),
		PayPal:           connect.PayPalClient(cfg),
		BaseURL:          cfg.BaseURL,
		WebhookRetention: cfg.WebhookRetention,
	}
}

// maxHeaderBytes bounds a request's headers: a browser's or a provider's are a few KB, and
// anything larger is refused before a handler runs.
const maxHeaderBytes = 64 << 10

// newHTTPServer is the server every listener of the process uses, with its timeouts and bounds.
func newHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: maxHeaderBytes,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
}

// serveMetrics serves /metrics, and only it, on the separate metrics listener.
func serveMetrics(ln net.Listener, token string, reg *prometheus.Registry, logger *slog.Logger, serveErr chan<- error) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", web.MetricsHandler(reg, token))
	srv := newHTTPServer(mux, logger)
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			serveErr <- fmt.Errorf("metrics server: %w", err)
		}
	}()
	return srv
}

// payPalVerifier checks webhook signatures as configured: by asking PayPal, or offline with
// certificates from PayPal's own URLs (or the ones configured), plus the emulator's in sandbox mode.
func payPalVerifier(cfg *config.Config) handlers.PayPalVerifier {
	if cfg.PayPalVerify == "postback" {
		return &paypal.PostbackVerifier{Client: connect.PayPalClient(cfg), WebhookID: cfg.PayPalWebhookID}
	}
	prefixes := paypal.LiveCertPrefixes
	if cfg.PayPalCertPrefixes != "" {
		prefixes = nil
		for _, p := range strings.Split(cfg.PayPalCertPrefixes, ",") {
			if p = strings.TrimSpace(p); p != "" {
				prefixes = append(prefixes, p)
			}
		}
	}
	if cfg.Sandbox() {
		prefixes = append(slices.Clone(prefixes), cfg.PayPalAPIBase+"/v1/notifications/certs/")
	}
	return &paypal.Verifier{WebhookID: cfg.PayPalWebhookID, TrustedCertPrefixes: prefixes}
}

func stopWorker(jobs *worker.Worker, timeout time.Duration, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := jobs.Stop(ctx); err != nil {
		logger.Warn("worker shutdown", "err", err)
	}
}

func printBanner(w io.Writer, cfg *config.Config, addr, metricsAddr net.Addr, playDemo bool, took time.Duration) {
	fmt.Fprintf(w, "\nchatshop is running (%s mode, started in %s)\n", cfg.Mode, took.Round(time.Millisecond))
	fmt.Fprintf(w, "  listening on  http://%s\n", addr)
	if metricsAddr != nil {
		fmt.Fprintf(w, "  metrics       http://%s/metrics\n", metricsAddr)
	}
	fmt.Fprintf(w, "  dashboard     %s/app\n", cfg.BaseURL)
	if cfg.Sandbox() {
		fmt.Fprintf(w, "  admin console %s/admin\n", cfg.BaseURL)
		fmt.Fprintf(w, "  shop owner    %s / %s\n", models.DemoOwnerEmail, models.DemoOwnerPassword)
		fmt.Fprintf(w, "  admin         %s / %s\n", models.DemoAdminEmail, models.DemoAdminPassword)
		fmt.Fprintf(w, "  data          %s\n", cfg.Database())
		if playDemo {
			fmt.Fprintf(w, "  demo activity four shoppers play through the new demo shop in the next seconds\n")
		}
	}
	fmt.Fprintln(w)
}
