package main

import (
	"context"
	"fmt"
	"io"

	"github.com/chatshop/chatshop/app"
	"github.com/chatshop/chatshop/config"
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
	a, err := app.New(ctx, cfg, app.Options{Role: app.SandboxOnly, Logger: newLogger(cfg, stdout)})
	if err != nil {
		return err
	}
	return runUntilDone(ctx, a, func() {
		target := cfg.SandboxAppURL
		if target == "" {
			target = cfg.BaseURL
		}
		fmt.Fprintf(stdout, "chatshop sandbox on %s\n  PayPal API   %s\n  Graph API    %s\n  shopper chat %s/sandbox/messenger\n  webhooks to  %s\n",
			cfg.BaseURL, cfg.PayPalAPIBase, cfg.GraphAPIBase, cfg.BaseURL, target)
	})
}
