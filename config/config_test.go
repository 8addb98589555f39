package config_test

import (
	"bytes"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chatshop/chatshop/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	cfg, rest, err := config.Load("serve", nil, env(nil), &bytes.Buffer{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:8080" || cfg.DataDir != "./data" || cfg.Mode != config.ModeSandbox || cfg.DatabaseURL != "" ||
		cfg.WorkerConcurrency != 32 || cfg.WorkerPollEvery != 50*time.Millisecond || len(rest) != 0 {
		t.Fatalf("defaults: %+v rest=%v", cfg, rest)
	}
}

func TestEnvironmentThenFlagWins(t *testing.T) {
	e := env(map[string]string{"CHATSHOP_ADDR": "127.0.0.1:9000", "CHATSHOP_DATA_DIR": "/var/lib/chatshop", "CHATSHOP_WORKER_CONCURRENCY": "3"})
	cfg, _, err := config.Load("serve", []string{"--addr", "127.0.0.1:9100", "--no-worker"}, e, &bytes.Buffer{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9100" {
		t.Errorf("addr = %s, want the flag's", cfg.Addr)
	}
	if cfg.DataDir != "/var/lib/chatshop" || cfg.WorkerConcurrency != 3 {
		t.Errorf("environment not applied: %+v", cfg)
	}
	if !cfg.NoWorker {
		t.Error("--no-worker without a value did not switch it on")
	}
}

func TestBadSettingsAreNamed(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown flag", []string{"--colour", "blue"}, nil, "colour"},
		{"bad addr", []string{"--addr", "8080"}, nil, "--addr (CHATSHOP_ADDR)"},
		{"bad mode", nil, map[string]string{"CHATSHOP_MODE": "production"}, "--mode (CHATSHOP_MODE)"},
		{"bad number in env", nil, map[string]string{"CHATSHOP_WORKER_CONCURRENCY": "lots"}, "CHATSHOP_WORKER_CONCURRENCY"},
		{"bad duration flag", []string{"--shutdown-timeout", "soon"}, nil, "shutdown-timeout"},
		{"bad database url", []string{"--database-url", "mysql://x"}, nil, "--database-url"},
		{"bad api base", nil, map[string]string{"CHATSHOP_PAYPAL_API_BASE": "paypal.example"}, "CHATSHOP_PAYPAL_API_BASE"},
		{"bad log level", []string{"--log-level", "loud"}, nil, "--log-level"},
		{"bad verify mode", nil, map[string]string{"CHATSHOP_PAYPAL_VERIFY": "trust-me"}, "CHATSHOP_PAYPAL_VERIFY"},
		{"live without secrets", nil, map[string]string{"CHATSHOP_MODE": "live"}, "CHATSHOP_PAYPAL_CLIENT_SECRET"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := config.Load("serve", tc.args, env(tc.env), &bytes.Buffer{}, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one naming %q", err, tc.want)
			}
		})
	}
}

func TestLiveModeComplete(t *testing.T) {
	e := env(map[string]string{
		"CHATSHOP_MODE": "live", "CHATSHOP_SECRET_KEY": strings.Repeat("k", 32), "CHATSHOP_BASE_URL": "https://shop.example",
		"CHATSHOP_PAYPAL_CLIENT_ID": "id", "CHATSHOP_PAYPAL_CLIENT_SECRET": "secret", "CHATSHOP_PAYPAL_WEBHOOK_ID": "WH-1", "CHATSHOP_PAYPAL_PARTNER_ID": "PARTNER123456",
		"CHATSHOP_PAYPAL_API_BASE": "https://api-m.paypal.example", "CHATSHOP_META_APP_SECRET": "s",
		"CHATSHOP_META_VERIFY_TOKEN": "v", "CHATSHOP_GRAPH_API_BASE": "https://graph.example/v21.0",
	})
	cfg, _, err := config.Load("serve", nil, e, &bytes.Buffer{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ResolveBaseURL(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080})
	if cfg.BaseURL != "https://shop.example" || cfg.PayPalAPIBase != "https://api-m.paypal.example" {
		t.Fatalf("live settings were overridden: %+v", cfg)
	}
}

func TestSandboxDefaultsPointAtTheEmulators(t *testing.T) {
	cfg, _, err := config.Load("serve", []string{"--addr", "127.0.0.1:0"}, env(nil), &bytes.Buffer{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ResolveBaseURL(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 43210})
	if cfg.BaseURL != "http://localhost:43210" ||
		cfg.PayPalAPIBase != "http://localhost:43210/sandbox/paypal" ||
		cfg.GraphAPIBase != "http://localhost:43210/sandbox/graph/v21.0" ||
		cfg.PayPalClientID == "" || cfg.MetaAppSecret == "" {
		t.Fatalf("sandbox defaults: %+v", cfg)
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	var out bytes.Buffer
	_, _, err := config.Load("serve", []string{"--help"}, env(nil), &out, nil)
	if !errors.Is(err, config.ErrHelp) {
		t.Fatalf("err = %v, want ErrHelp", err)
	}
	for _, want := range []string{"--addr", "CHATSHOP_ADDR", "--data-dir", "CHATSHOP_DATA_DIR", "CHATSHOP_DATABASE_URL",
		"CHATSHOP_MODE", "CHATSHOP_SECRET_KEY", "CHATSHOP_BASE_URL", "CHATSHOP_PAYPAL_CLIENT_ID", "CHATSHOP_PAYPAL_CLIENT_SECRET",
		"CHATSHOP_PAYPAL_WEBHOOK_ID", "CHATSHOP_PAYPAL_PARTNER_ID", "CHATSHOP_PAYPAL_API_BASE", "CHATSHOP_META_APP_SECRET", "CHATSHOP_META_VERIFY_TOKEN",
		"CHATSHOP_GRAPH_API_BASE"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help does not mention %s", want)
		}
	}
}
