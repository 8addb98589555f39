package config

import (
	"strconv"
	"strings"
	"time"
)

// setting is one configuration entry: its flag, its environment variable, its default and its help.
type setting struct {
	name         string // flag name, without dashes
	env          string
	def          string
	help         string
	requiredLive bool
	field        func(*Config) any // pointer to the Config field
}

func (s *setting) flagName() string { return "--" + s.name }

// settings is the single list of what can be configured; --help, Load and Validate all read it.
var settings = []setting{
	{name: "addr", env: "CHATSHOP_ADDR", def: "127.0.0.1:8080", help: "address the web server listens on",
		field: func(c *Config) any { return &c.Addr }},
	{name: "data-dir", env: "CHATSHOP_DATA_DIR", def: "./data", help: "directory for the SQLite database and generated keys",
		field: func(c *Config) any { return &c.DataDir }},
	{name: "database-url", env: "CHATSHOP_DATABASE_URL", help: "postgres:// URL; empty uses SQLite in the data directory",
		field: func(c *Config) any { return &c.DatabaseURL }},
	{name: "mode", env: "CHATSHOP_MODE", def: "sandbox", help: "sandbox (built-in PayPal and Messenger emulators) or live",
		field: func(c *Config) any { return (*string)(&c.Mode) }},
	{name: "secret-key", env: "CHATSHOP_SECRET_KEY", help: "keys for secrets at rest, newest first, comma-separated (sandbox: generated into the data directory)", requiredLive: true,
		field: func(c *Config) any { return &c.SecretKey }},
	{name: "base-url", env: "CHATSHOP_BASE_URL", help: "public URL of this server (default: http:// + the listen address)", requiredLive: true,
		field: func(c *Config) any { return &c.BaseURL }},
	{name: "log-level", env: "CHATSHOP_LOG_LEVEL", def: "info", help: "debug, info, warn or error",
		field: func(c *Config) any { return &c.LogLevel }},
	{name: "log-format", env: "CHATSHOP_LOG_FORMAT", def: "text", help: "text or json",
		field: func(c *Config) any { return &c.LogFormat }},
	{name: "paypal-client-id", env: "CHATSHOP_PAYPAL_CLIENT_ID", help: "PayPal REST app client id (sandbox: a working default)", requiredLive: true,
		field: func(c *Config) any { return &c.PayPalClientID }},
	{name: "paypal-client-secret", env: "CHATSHOP_PAYPAL_CLIENT_SECRET", help: "PayPal REST app secret (sandbox: a working default)", requiredLive: true,
		field: func(c *Config) any { return &c.PayPalClientSecret }},
	{name: "paypal-webhook-id", env: "CHATSHOP_PAYPAL_WEBHOOK_ID", help: "id of the PayPal webhook, part of every signature", requiredLive: true,
		field: func(c *Config) any { return &c.PayPalWebhookID }},
	{name: "paypal-partner-id", env: "CHATSHOP_PAYPAL_PARTNER_ID", help: "the platform's own PayPal merchant id, for reading sellers' onboarding status (sandbox: a working default)", requiredLive: true,
		field: func(c *Config) any { return &c.PayPalPartnerID }},
	{name: "paypal-api-base", env: "CHATSHOP_PAYPAL_API_BASE", help: "PayPal REST base URL (sandbox: <base-url>/sandbox/paypal)", requiredLive: true,
		field: func(c *Config) any { return &c.PayPalAPIBase }},
	{name: "paypal-cert-urls", env: "CHATSHOP_PAYPAL_CERT_URLS", help: "comma-separated URL prefixes trusted for PayPal webhook certificates (default: PayPal's own; sandbox adds the emulator's)",
		field: func(c *Config) any { return &c.PayPalCertPrefixes }},
	{name: "paypal-verify", env: "CHATSHOP_PAYPAL_VERIFY", def: "offline", help: "how PayPal webhook signatures are checked: offline (certificate, cached) or postback (PayPal's verify endpoint)",
		field: func(c *Config) any { return &c.PayPalVerify }},
	{name: "meta-app-secret", env: "CHATSHOP_META_APP_SECRET", help: "Meta app secret for X-Hub-Signature-256 and appsecret_proof", requiredLive: true,
		field: func(c *Config) any { return &c.MetaAppSecret }},
	{name: "meta-verify-token", env: "CHATSHOP_META_VERIFY_TOKEN", help: "token Meta echoes in the webhook handshake", requiredLive: true,
		field: func(c *Config) any { return &c.MetaVerifyToken }},
	{name: "graph-api-base", env: "CHATSHOP_GRAPH_API_BASE", help: "Graph API base URL (sandbox: <base-url>/sandbox/graph/v21.0)", requiredLive: true,
		field: func(c *Config) any { return &c.GraphAPIBase }},
	{name: "worker-concurrency", env: "CHATSHOP_WORKER_CONCURRENCY", def: "32", help: "calls to PayPal and Meta the worker makes at once (they wait on the provider, not the CPU)",
		field: func(c *Config) any { return &c.WorkerConcurrency }},
	{name: "worker-poll-interval", env: "CHATSHOP_WORKER_POLL_INTERVAL", def: "50ms", help: "how often the worker looks for new jobs",
		field: func(c *Config) any { return &c.WorkerPollEvery }},
	{name: "rescue-stuck-after", env: "CHATSHOP_RESCUE_STUCK_AFTER", def: "5s", help: "the lease on a webhook event or a call to PayPal or Meta being worked: a crashed process's are taken again when it runs out",
		field: func(c *Config) any { return &c.RescueStuckAfter }},
	{name: "webhook-retention", env: "CHATSHOP_WEBHOOK_RETENTION", def: "720h", help: "how long refused webhook deliveries' counts and samples, and verified deliveries' headers and body, are kept",
		field: func(c *Config) any { return &c.WebhookRetention }},
	{name: "metrics-token", env: "CHATSHOP_METRICS_TOKEN", help: "bearer token /metrics asks for (live mode serves /metrics only with it, or on --metrics-addr)",
		field: func(c *Config) any { return &c.MetricsToken }},
	{name: "metrics-addr", env: "CHATSHOP_METRICS_ADDR", help: "a separate address that serves /metrics, and only it; then the main address does not",
		field: func(c *Config) any { return &c.MetricsAddr }},
	{name: "shutdown-timeout", env: "CHATSHOP_SHUTDOWN_TIMEOUT", def: "15s", help: "how long a graceful shutdown waits for requests and jobs",
		field: func(c *Config) any { return &c.ShutdownTimeout }},
	{name: "sandbox-webhook-retries", env: "CHATSHOP_SANDBOX_WEBHOOK_RETRIES", def: "5s,30s,2m,10m,1h,6h", help: "delays before each redelivery of a sandbox webhook not answered 2xx, comma-separated",
		field: func(c *Config) any { return &c.SandboxWebhookRetries }},
	{name: "app-url", env: "CHATSHOP_SANDBOX_APP_URL", help: "`chatshop sandbox` only: the app that gets the webhooks (default: the base URL)",
		field: func(c *Config) any { return &c.SandboxAppURL }},
	{name: "no-worker", env: "CHATSHOP_NO_WORKER", def: "false", help: "serve the web only; run `chatshop worker` separately",
		field: func(c *Config) any { return &c.NoWorker }},
	{name: "demo-activity", env: "CHATSHOP_DEMO_ACTIVITY", def: "true", help: "sandbox: when the demo shop is new, play a few shoppers through the sandbox (orders, a question for the team, a dispute)",
		field: func(c *Config) any { return &c.DemoActivity }},
}

func settingNamed(name string) *setting {
	for i := range settings {
		if settings[i].name == name {
			return &settings[i]
		}
	}
	panic("config: no setting " + name)
}

// set parses text into the setting's field of c.
func (s *setting) set(c *Config, text string) error {
	switch p := s.field(c).(type) {
	case *string:
		*p = text
	case *int:
		n, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil {
			return errInvalidNumber
		}
		*p = n
	case *bool:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return errInvalidBool
		}
		*p = b
	case *time.Duration:
		d, err := time.ParseDuration(strings.TrimSpace(text))
		if err != nil || d < 0 {
			return errInvalidDuration
		}
		*p = d
	}
	return nil
}

// isBool reports whether the setting is a switch (a flag without a value).
func (s *setting) isBool() bool {
	_, ok := s.field(&Config{}).(*bool)
	return ok
}
