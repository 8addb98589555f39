package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/chatshop/chatshop/bench"
	"github.com/chatshop/chatshop/config"
)

// runBench runs the benchmark against this binary as a separate server process.
func runBench(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var quick bool
	var out, only, postgres string
	_, _, err := config.Load("bench", args, getenv, stdout, func(fs *flag.FlagSet) {
		fs.BoolVar(&quick, "quick", false, "a short run (under a minute) that proves the benchmark works")
		fs.StringVar(&out, "out", "bench/results.json", "where to write the results")
		fs.StringVar(&only, "only", "", "run only these stages, comma-separated: "+strings.Join(bench.Stages, ", "))
		fs.StringVar(&postgres, "postgres", getenv(bench.PostgresEnv), "a PostgreSQL server (postgres://…) to run the stages on again, in a database of the run's own ("+bench.PostgresEnv+")")
	})
	if err != nil {
		return err
	}
	if err := bench.CheckStages(only); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("bench needs its own executable to start the server under test: %w", err)
	}
	_, err = bench.Run(bench.Options{Quick: quick, Out: out, Binary: self, Log: stdout, Only: only, Postgres: postgres})
	return err
}

// runBenchPeer runs one of the receivers the benchmark measures chatshop's ingest against.
func runBenchPeer(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench-peer", flag.ContinueOnError)
	fs.SetOutput(stdout)
	kind := fs.String("kind", bench.PeerCeiling, "ceiling (checks the signature, stores nothing) or durable (one row per request, synchronous=FULL)")
	addr := fs.String("addr", "127.0.0.1:0", "where to listen")
	dataDir := fs.String("data-dir", os.TempDir(), "where the durable peer keeps its rows")
	secret := fs.String("secret", "sandbox-meta-app-secret", "the app secret Messenger deliveries are signed with")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: 2, msg: err.Error()}
	}
	return bench.ServePeer(ctx, *kind, *addr, *dataDir, *secret, stdout)
}
