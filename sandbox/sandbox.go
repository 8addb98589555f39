// Package sandbox emulates PayPal and Messenger on this server, under /sandbox, over real HTTP
// and the providers' real wire formats, so the demo and the tests need no internet and no
// accounts, and going live is configuration only. It exists in sandbox mode only.
package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/models"
)

// Directory is what the sandbox reads of the product's data: which simulated Pages and merchants
// the shops are connected to.
type Directory interface {
	SandboxConnections(ctx context.Context) ([]models.SandboxConnection, error)
}

// Options tunes the emulators.
type Options struct {
	// RetrySchedule is the delay before each redelivery of a webhook that was not answered 2xx;
	// nil means PayPal-like backoff (seconds, then minutes, then hours).
	RetrySchedule []time.Duration
	HTTP          *http.Client
	Logger        *slog.Logger
}

// Sandbox holds the emulators' state.
type Sandbox struct {
	cfg    *config.Config
	dir    Directory
	paypal *payPal
	log    *slog.Logger
	http   *http.Client
	retry  []time.Duration

	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

// New prepares the emulators; their signing keys live in the data directory so certificate URLs
// stay valid across restarts.
func New(cfg *config.Config, dir Directory, opts Options) (*Sandbox, error) {
	pp, err := newPayPal(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Sandbox{cfg: cfg, dir: dir, paypal: pp, log: opts.Logger, http: opts.HTTP, retry: opts.RetrySchedule, ctx: ctx, cancel: cancel}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.http == nil {
		s.http = &http.Client{Timeout: 10 * time.Second}
	}
	if s.retry == nil {
		s.retry = []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour, 6 * time.Hour}
	}
	return s, nil
}

// Close stops pending redeliveries and waits for deliveries in flight.
func (s *Sandbox) Close() {
	s.cancel()
	s.wg.Wait()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
