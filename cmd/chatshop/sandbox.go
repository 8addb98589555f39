package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/sandbox"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/web"
)

// runSandbox serves the PayPal and Messenger emulators alone, on their own address, delivering
// webhooks to the app at --app-url. They share the app's database (their own tables), where they
// read which Pages and merchants the shops are connected to.
func runSandbox(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, _, err := config.Load("sandbox", args, getenv, stdout, nil)
	if err != nil {
		return err
	}
	if !cfg.Sandbox() {
		return &exitError{code: 2, msg: "chatshop sandbox: the emulators exist in sandbox mode only (--mode sandbox)"}
	}
	logger := newLogger(cfg, stdout)
	store, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.EnsureDemo(ctx); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (--addr): %w", cfg.Addr, err)
	}
	defer ln.Close()
	cfg.ResolveBaseURL(ln.Addr())
	box, err := newSandbox(ctx, cfg, store, logger, cfg.SandboxAppURL)
	if err != nil {
		return err
	}
	defer box.Close()
	srv := newHTTPServer(web.NewSandboxServer(cfg.BaseURL, logger, box), logger)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	app := cfg.SandboxAppURL
	if app == "" {
		app = cfg.BaseURL
	}
	fmt.Fprintf(stdout, "chatshop sandbox on %s\n  PayPal API   %s\n  Graph API    %s\n  shopper chat %s/sandbox/messenger\n  webhooks to  %s\n",
		cfg.BaseURL, cfg.PayPalAPIBase, cfg.GraphAPIBase, cfg.BaseURL, app)
	select {
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http server: %w", err)
		}
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// newSandbox makes the emulators with the configured redelivery schedule. Their tables are in the
// app's database, made (by their own migrations) only here: a live database never has them.
func newSandbox(ctx context.Context, cfg *config.Config, store *models.Store, logger *slog.Logger, appURL string) (*sandbox.Sandbox, error) {
	retries, err := cfg.SandboxRetrySchedule()
	if err != nil {
		return nil, err
	}
	db, err := sandboxdb.Open(ctx, store, sandboxdb.Options{Logger: logger})
	if err != nil {
		return nil, err
	}
	return sandbox.New(cfg, db, store, sandbox.Options{Logger: logger, RetrySchedule: retries, AppURL: appURL})
}
