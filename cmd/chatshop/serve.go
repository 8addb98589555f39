package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/chatshop/chatshop/app"
	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/demo"
)

// serve runs the web server, the worker (unless --no-worker) and in sandbox mode the emulators,
// until ctx ends; then the app stops them in order.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, _, err := config.Load("serve", args, getenv, stdout, nil)
	if err != nil {
		return err
	}
	started := time.Now()
	if path := getenv("CHATSHOP_CPU_PROFILE"); path != "" { // for profiling under the benchmark's load
		stop, err := startCPUProfile(path)
		if err != nil {
			return err
		}
		defer stop()
	}
	a, err := app.New(ctx, cfg, app.Options{Role: app.Serve, Logger: newLogger(cfg, stdout)})
	if err != nil {
		return err
	}
	return runUntilDone(ctx, a, func() {
		printBanner(stdout, cfg, a.Addr(), a.MetricsAddr(), a.PlaysDemo(), time.Since(started))
	})
}

// runUntilDone starts the app, says so, and stops it when ctx ends or a server fails.
func runUntilDone(ctx context.Context, a *app.App, started func()) error {
	defer a.Stop()
	if err := a.Start(ctx); err != nil {
		return err
	}
	started()
	select {
	case err := <-a.Failed():
		return err
	case <-ctx.Done():
		a.Logger.Info("shutting down")
		return nil
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
		fmt.Fprintf(w, "  shop owner    %s / %s\n", demo.OwnerEmail, demo.OwnerPassword)
		fmt.Fprintf(w, "  admin         %s / %s\n", demo.AdminEmail, demo.AdminPassword)
		fmt.Fprintf(w, "  data          %s\n", cfg.Database())
		if playDemo {
			fmt.Fprintf(w, "  demo activity four shoppers play through the new demo shop in the next seconds\n")
		}
	}
	fmt.Fprintln(w)
}
