package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/chatshop/chatshop/app"
	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// runWorker works background jobs until ctx ends, without the web server.
func runWorker(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, _, err := config.Load("worker", args, getenv, stdout, nil)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, app.Options{Role: app.WorkerOnly, Logger: newLogger(cfg, stdout)})
	if err != nil {
		return err
	}
	return runUntilDone(ctx, a, func() { a.Logger.Info("worker running", "concurrency", cfg.WorkerConcurrency) })
}

// migrate applies the migrations (opening the store does) and reports the schema version; in
// sandbox mode the emulators' own migrations too.
func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, _, err := config.Load("migrate", args, getenv, stdout, nil)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stdout)
	store, err := app.OpenStore(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	v, err := store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is at schema version %d\n", cfg.Database(), v)
	if cfg.Sandbox() {
		if _, err := sandboxdb.Open(ctx, store, sandboxdb.Options{Logger: logger}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "the emulators' tables (sandbox mode) are migrated too\n")
	}
	return nil
}

// seed creates the demo data and, with --products, --shoppers, --orders and --notifications,
// bulk data in the demo shop for load tests (the benchmark's scale).
func seed(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var bulk seedCounts
	cfg, _, err := config.Load("seed", args, getenv, stdout, func(fs *flag.FlagSet) {
		fs.IntVar(&bulk.products, "products", 0, "bulk products to create for load tests")
		fs.IntVar(&bulk.shoppers, "shoppers", 0, "bulk shoppers, each with a conversation, to create for load tests")
		fs.IntVar(&bulk.orders, "orders", 0, "bulk orders of the shop's shoppers to create for load tests")
		fs.IntVar(&bulk.notifications, "notifications", 0, "bulk payment notifications to create for load tests")
	})
	if err != nil {
		return err
	}
	if !cfg.Sandbox() {
		return &exitError{code: 2, msg: "seed creates demo logins, which live mode never has; use CHATSHOP_MODE=sandbox"}
	}
	store, err := app.OpenStore(ctx, cfg, newLogger(cfg, stdout))
	if err != nil {
		return err
	}
	defer store.Close()
	created, err := demo.Ensure(ctx, store)
	if err != nil {
		return err
	}
	switch {
	case created:
		fmt.Fprintln(stdout, "demo data created")
	case bulk == seedCounts{}:
		fmt.Fprintln(stdout, "demo data already present; nothing changed")
	}
	if bulk.products > 0 {
		if err := seedProducts(ctx, store, bulk.products, stdout); err != nil {
			return err
		}
	}
	shopID, err := store.DemoShopID(ctx)
	if err != nil {
		return err
	}
	shop, rnd := store.ForShop(shopID), rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	for _, step := range []struct {
		n    int
		what string
		fn   func(context.Context, int, *rand.Rand, func(int)) error
	}{
		{bulk.shoppers, "shoppers", shop.SeedShoppers},
		{bulk.orders, "orders", shop.SeedOrders},
		{bulk.notifications, "payment notifications", shop.SeedNotifications},
	} {
		if step.n <= 0 {
			continue
		}
		started := time.Now()
		err := step.fn(ctx, step.n, rnd, func(done int) {
			if done%50_000 == 0 || done == step.n {
				fmt.Fprintf(stdout, "  %d of %d %s\n", done, step.n, step.what)
			}
		})
		if err != nil {
			return fmt.Errorf("seed %s: %w", step.what, err)
		}
		fmt.Fprintf(stdout, "%d %s added to the demo shop in %s\n", step.n, step.what, time.Since(started).Round(time.Millisecond))
	}
	return store.Optimize(ctx) // the query planner's statistics, for the data just added
}

// seedCounts is how much bulk data seed adds.
type seedCounts struct{ products, shoppers, orders, notifications int }

func seedProducts(ctx context.Context, store *models.Store, n int, stdout io.Writer) error {
	shopID, err := store.DemoShopID(ctx)
	if err != nil {
		return err
	}
	started := time.Now()
	err = store.ForShop(shopID).SeedProducts(ctx, n, rand.New(rand.NewPCG(uint64(started.UnixNano()), 1)), demo.Picture, func(done int) {
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
