package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/worker"
)

// runWorker works background jobs until ctx ends, without the web server.
func runWorker(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, _, err := config.Load("worker", args, getenv, stdout, nil)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stdout)
	// Without a listener of its own, the worker reaches the web process's address (the sandbox's
	// provider base URLs are there).
	addr, err := net.ResolveTCPAddr("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("--addr (CHATSHOP_ADDR): %w", err)
	}
	cfg.ResolveBaseURL(addr)
	store, err := openStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	jobs, err := worker.New(store, workerOptions(cfg, cfg.WorkerConcurrency, logger, nil))
	if err != nil {
		return err
	}
	if err := jobs.Start(ctx); err != nil {
		return err
	}
	logger.Info("worker running", "concurrency", cfg.WorkerConcurrency)
	<-ctx.Done()
	stopWorker(jobs, cfg.ShutdownTimeout, logger)
	return nil
}

// migrate applies the migrations (opening the store does) and reports the schema version.
func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, _, err := config.Load("migrate", args, getenv, stdout, nil)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg, newLogger(cfg, stdout))
	if err != nil {
		return err
	}
	defer store.Close()
	v, err := store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is at schema version %d\n", cfg.SQLitePath(), v)
	return nil
}

// seed creates the demo data; the bulk options for load data come with the catalog and dashboard work.
func seed(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var products, shoppers, orders int
	cfg, _, err := config.Load("seed", args, getenv, stdout, func(fs *flag.FlagSet) {
		fs.IntVar(&products, "products", 0, "bulk products to create for load tests")
		fs.IntVar(&shoppers, "shoppers", 0, "bulk shoppers to create for load tests")
		fs.IntVar(&orders, "orders", 0, "bulk orders to create for load tests")
	})
	if err != nil {
		return err
	}
	if products+shoppers+orders > 0 {
		return notYet("bulk seeding (--products, --shoppers, --orders)")
	}
	if !cfg.Sandbox() {
		return &exitError{code: 2, msg: "seed creates demo logins, which live mode never has; use CHATSHOP_MODE=sandbox"}
	}
	store, err := openStore(ctx, cfg, newLogger(cfg, stdout))
	if err != nil {
		return err
	}
	defer store.Close()
	created, err := store.EnsureDemo(ctx)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintln(stdout, "demo data created")
	} else {
		fmt.Fprintln(stdout, "demo data already present; nothing changed")
	}
	return nil
}
