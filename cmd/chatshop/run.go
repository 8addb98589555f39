package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/chatshop/chatshop/config"
)

// exitError ends the process with a specific exit code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// notYet is what a command says before the issue that fills it has landed.
func notYet(what string) error {
	return &exitError{code: 2, msg: what + " is not available yet in this version of chatshop"}
}

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "web server and worker (and the sandbox in sandbox mode); the default", serve},
		{"worker", "the background worker alone, for scale-out", runWorker},
		{"migrate", "apply database migrations and exit", migrate},
		{"admin", "create a platform admin (--email); prints a generated password once", addAdmin},
		{"seed", "create the demo data (sandbox) and exit", seed},
		{"sandbox", "the PayPal and Messenger emulators alone (webhooks to --app-url)", runSandbox},
		{"bench", "the benchmark; writes bench/results.json (--quick: under a minute)", runBench},
		{"bench-peer", "a receiver the benchmark measures ingest against (--kind ceiling or durable)", runBenchPeer},
	}
}

// run is the whole program: it parses args (the subcommand first, serve by default) and runs it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			err := c.run(ctx, args, getenv, stdout)
			if errors.Is(err, config.ErrHelp) {
				return nil
			}
			return err
		}
	}
	usage(stdout)
	return &exitError{code: 2, msg: fmt.Sprintf("unknown command %q", name)}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "chatshop: sell in Messenger, get paid with PayPal.")
	fmt.Fprintln(w, "\nUsage: chatshop [command] [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	config.Usage(w, "serve", nil)
}
