package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"time"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/models"
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

// seed creates the demo data, and with --products bulk catalog data in the demo shop for load tests.
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
	if shoppers+orders > 0 {
		return notYet("bulk shoppers and orders (--shoppers, --orders)")
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
	switch {
	case created:
		fmt.Fprintln(stdout, "demo data created")
	case products == 0:
		fmt.Fprintln(stdout, "demo data already present; nothing changed")
	}
	if products > 0 {
		return seedProducts(ctx, store, products, stdout)
	}
	return nil
}

func seedProducts(ctx context.Context, store *models.Store, n int, stdout io.Writer) error {
	shopID, err := store.DemoShopID(ctx)
	if err != nil {
		return err
	}
	started := time.Now()
	err = store.ForShop(shopID).SeedProducts(ctx, n, rand.New(rand.NewPCG(uint64(started.UnixNano()), 1)), func(done int) {
		if done%10_000 == 0 || done == n {
			fmt.Fprintf(stdout, "  %d of %d products\n", done, n)
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d products added to the demo shop in %s\n", n, time.Since(started).Round(time.Millisecond))
	return nil
}
