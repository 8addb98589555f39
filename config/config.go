// Package config holds chatshop's one typed configuration: defaults, then
// CHATSHOP_* environment variables, then command-line flags, then Validate.
package config

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// Mode says whether chatshop talks to the built-in emulators or to the real providers.
type Mode string

const (
	// ModeSandbox uses the in-process PayPal and Messenger emulators under /sandbox.
	ModeSandbox Mode = "sandbox"
	// ModeLive uses real base URLs and credentials from the environment.
	ModeLive Mode = "live"
)

// Config is every setting of the process. It is built by Load and passed down; it is never global.
type Config struct {
	Addr        string
	DataDir     string
	DatabaseURL string
	Mode        Mode
	SecretKey   string
	BaseURL     string
	LogLevel    string
	LogFormat   string

	PayPalClientID     string
	PayPalClientSecret string
	PayPalWebhookID    string
	PayPalPartnerID    string
	PayPalAPIBase      string
	// PayPalCertPrefixes are the URL prefixes webhook signing certificates may be fetched from.
	PayPalCertPrefixes string
	// PayPalVerify is how webhook signatures are checked: offline (certificate) or postback.
	PayPalVerify string

	MetaAppSecret   string
	MetaVerifyToken string
	GraphAPIBase    string

	WorkerConcurrency int
	WorkerPollEvery   time.Duration
	RescueStuckAfter  time.Duration
	ShutdownTimeout   time.Duration
	// WebhookRetention is how long refused deliveries' counts and samples, and verified
	// deliveries' headers and body, are kept before the worker's upkeep forgets them.
	WebhookRetention time.Duration

	// MetricsToken is the bearer token /metrics asks for; MetricsAddr a separate listener for it.
	// In live mode /metrics is served only with one of them.
	MetricsToken string
	MetricsAddr  string

	// NoWorker starts the web server without the background worker (scale-out).
	NoWorker bool
	// DemoActivity has a new sandbox demo shop's first start play a few shoppers through the
	// sandbox, so that every page has something to show.
	DemoActivity bool

	// SandboxWebhookRetries is the emulators' redelivery schedule (see SandboxRetrySchedule);
	// SandboxAppURL is where a standalone sandbox delivers webhooks.
	SandboxWebhookRetries string
	SandboxAppURL         string
}

// SandboxRetrySchedule is the delay before each redelivery of an emulator webhook.
func (c *Config) SandboxRetrySchedule() ([]time.Duration, error) {
	var out []time.Duration
	for _, part := range strings.Split(c.SandboxWebhookRetries, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		d, err := time.ParseDuration(part)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("%q is not a positive duration", part)
		}
		out = append(out, d)
	}
	return out, nil
}

// Sandbox reports whether the process runs against the built-in emulators.
func (c *Config) Sandbox() bool { return c.Mode == ModeSandbox }

// SQLitePath is the database file used when no DatabaseURL is set.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "chatshop.db") }

// Database names the database for people: the SQLite file, or the PostgreSQL URL without its password.
func (c *Config) Database() string {
	if c.DatabaseURL == "" {
		return c.SQLitePath()
	}
	u, err := url.Parse(c.DatabaseURL)
	if err != nil {
		return "PostgreSQL"
	}
	return u.Redacted()
}

// Validate checks every setting and names the first one that is wrong.
func (c *Config) Validate() error {
	var problems []string
	add := func(setting *setting, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s (%s): %s", setting.flagName(), setting.env, fmt.Sprintf(format, args...)))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		add(settingNamed("addr"), "%q is not host:port", c.Addr)
	}
	if c.DataDir == "" {
		add(settingNamed("data-dir"), "must not be empty")
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		add(settingNamed("database-url"), "must be empty (SQLite) or a postgres:// URL")
	}
	switch c.Mode {
	case ModeSandbox, ModeLive:
	default:
		add(settingNamed("mode"), "%q is neither sandbox nor live", c.Mode)
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		add(settingNamed("log-level"), "%q is not debug, info, warn or error", c.LogLevel)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		add(settingNamed("log-format"), "%q is neither text nor json", c.LogFormat)
	}
	if c.PayPalVerify != "offline" && c.PayPalVerify != "postback" {
		add(settingNamed("paypal-verify"), "%q is neither offline nor postback", c.PayPalVerify)
	}
	if _, err := c.SandboxRetrySchedule(); err != nil {
		add(settingNamed("sandbox-webhook-retries"), "%v", err)
	}
	if c.RescueStuckAfter < time.Second {
		add(settingNamed("rescue-stuck-after"), "must be at least 1s")
	}
	if c.WebhookRetention < time.Hour {
		add(settingNamed("webhook-retention"), "must be at least 1h")
	}
	if c.WorkerConcurrency < 1 || c.WorkerConcurrency > 1000 {
		add(settingNamed("worker-concurrency"), "must be between 1 and 1000")
	}
	for _, name := range []string{"base-url", "paypal-api-base", "graph-api-base", "app-url"} {
		s := settingNamed(name)
		if v := *s.field(c).(*string); v != "" && !isHTTPURL(v) {
			add(s, "%q is not an http(s) URL", v)
		}
	}
	if c.Mode == ModeLive {
		for _, s := range settings {
			if s.requiredLive && *s.field(c).(*string) == "" {
				add(&s, "required in live mode")
			}
		}
		for _, k := range strings.Split(c.SecretKey, ",") {
			if k = strings.TrimSpace(k); k != "" && len(k) < 32 {
				add(settingNamed("secret-key"), "each key must be at least 32 characters")
				break
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid configuration:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
