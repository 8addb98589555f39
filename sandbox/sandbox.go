// Package sandbox emulates PayPal and Messenger on this server, under /sandbox, over real HTTP
// and the providers' real wire formats, so the demo and the tests need no internet and no
// accounts, and going live is configuration only. It exists in sandbox mode only.
package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/models"
)

// Store is what the emulators keep and read: which simulated Pages and merchants the shops are
// connected to, and the simulated shoppers and their threads.
type Store interface {
	SandboxConnections(ctx context.Context) ([]models.SandboxConnection, error)
	SandboxPages(ctx context.Context) ([]models.SandboxPage, error)
	SandboxPage(ctx context.Context, pageID string) (*models.SandboxPage, error)
	CreateSandboxPage(ctx context.Context, name string) (*models.SandboxPage, error)
	SetSandboxPageToken(ctx context.Context, p models.SandboxPage, revoked bool) error
	CreateSandboxShopper(ctx context.Context, sh *models.SandboxShopper) error
	SandboxShopperByPSID(ctx context.Context, psid string) (*models.SandboxShopper, error)
	SandboxShoppers(ctx context.Context, pageID string) ([]models.SandboxShopper, error)
	AddSandboxMessage(ctx context.Context, m *models.SandboxMessage) error
	SandboxThread(ctx context.Context, pageID, psid string) ([]models.SandboxMessage, error)
	LastShopperMessageAt(ctx context.Context, pageID, psid string) (time.Time, error)
	BlockSandboxShopper(ctx context.Context, psid string, blocked bool) error
	CreateSandboxOrder(ctx context.Context, o *models.SandboxOrder) error
	SandboxOrderByID(ctx context.Context, id string) (*models.SandboxOrder, error)
	MoveSandboxOrder(ctx context.Context, id string, from []string, status, body string) (bool, error)
	SandboxRequest(ctx context.Context, endpoint, requestID string) (status int, response string, found bool, err error)
	RememberSandboxRequest(ctx context.Context, endpoint, requestID string, status int, response string) error
	RecordSandboxCapture(ctx context.Context, p models.SandboxCaptured) (bool, error)
	SandboxCaptureByID(ctx context.Context, id string) (*models.SandboxCapture, error)
	RefundSandboxCapture(ctx context.Context, id string, refundedBefore, refunded int64, status, body string) (bool, error)
	CreateSandboxReferral(ctx context.Context, r *models.SandboxReferral) error
	SandboxReferralByID(ctx context.Context, id string) (*models.SandboxReferral, error)
	CompleteSandboxReferral(ctx context.Context, referralID string, m *models.SandboxMerchant) error
	SandboxMerchantByID(ctx context.Context, id string) (*models.SandboxMerchant, error)
	SandboxMerchantByTracking(ctx context.Context, trackingID string) (*models.SandboxMerchant, error)
	RevokeSandboxConsent(ctx context.Context, merchantID string) error
	CreateSandboxSetupToken(ctx context.Context, t *models.SandboxSetupToken) error
	SandboxSetupTokenByID(ctx context.Context, id string) (*models.SandboxSetupToken, error)
	ApproveSandboxSetupToken(ctx context.Context, id, payerID, body string) (bool, error)
	VaultSandboxSetupToken(ctx context.Context, setupID, setupBody string, p *models.SandboxPaymentToken) (bool, error)
	SandboxPaymentTokenByID(ctx context.Context, id string) (*models.SandboxPaymentToken, error)
	SandboxPaymentTokens(ctx context.Context, customerID string) ([]models.SandboxPaymentToken, error)
	DeleteSandboxPaymentToken(ctx context.Context, id string) error
	CreateSandboxLinkingToken(ctx context.Context, t *models.SandboxLinkingToken) error
	SandboxLinkingTokenByToken(ctx context.Context, token string) (*models.SandboxLinkingToken, error)
	UseSandboxLinkingToken(ctx context.Context, token string) (bool, error)
	SetSandboxPageSubscription(ctx context.Context, pageID string, fields []string) error
	SandboxPageSubscription(ctx context.Context, pageID string) (fields []string, found bool, err error)
	MarkSandboxThreadRead(ctx context.Context, psid string, at int64) (bool, error)
	CreateSandboxDispute(ctx context.Context, d *models.SandboxDispute) error
	SandboxDisputeByID(ctx context.Context, id string) (*models.SandboxDispute, error)
	SandboxDisputes(ctx context.Context, merchantID, captureID string, limit int) ([]models.SandboxDispute, error)
	UpdateSandboxDispute(ctx context.Context, d *models.SandboxDispute) (bool, error)
	SandboxPayments(ctx context.Context, limit int) ([]models.SandboxPayment, error)
}

// Options tunes the emulators.
type Options struct {
	// RetrySchedule is the delay before each redelivery of a webhook that was not answered 2xx;
	// nil means PayPal-like backoff (seconds, then minutes, then hours).
	RetrySchedule []time.Duration
	// AppURL is where webhooks are delivered (/webhooks/paypal, /webhooks/messenger); empty means
	// this server (the configured base URL). `chatshop sandbox` runs apart from the app.
	AppURL string
	HTTP   *http.Client
	Logger *slog.Logger
}

// Sandbox holds the emulators' state.
type Sandbox struct {
	cfg    *config.Config
	dir    Store
	paypal *payPal
	log    *slog.Logger
	http   *http.Client
	retry  []time.Duration
	appURL string

	// sends counts Send API calls per Page in the current second, for the rate limit (613).
	sends rateWindow

	// Delivery faults, switched on by the control API to exercise the receiver.
	duplicate, reorder atomic.Bool

	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

// New prepares the emulators; their signing keys live in the data directory so certificate URLs
// stay valid across restarts.
func New(cfg *config.Config, dir Store, opts Options) (*Sandbox, error) {
	pp, err := newPayPal(cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Sandbox{cfg: cfg, dir: dir, paypal: pp, log: opts.Logger, http: opts.HTTP, retry: opts.RetrySchedule,
		appURL: strings.TrimRight(opts.AppURL, "/"), ctx: ctx, cancel: cancel}
	if s.appURL == "" {
		s.appURL = cfg.BaseURL
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.http == nil {
		// Webhooks go out concurrently, as the providers send them: keep a connection for each,
		// rather than the default transport's two (its other settings, timeouts included, stay).
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 64
		s.http = &http.Client{Timeout: 10 * time.Second, Transport: t}
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

// post sends a webhook and says whether the app answered 2xx. The answer is read to its end so
// that the connection is kept for the next webhook.
func (s *Sandbox) post(req *http.Request) bool {
	res, err := s.http.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	return res.StatusCode/100 == 2
}

// deliver runs attempt until it succeeds or the retry schedule is spent, in the background. With
// the reorder fault on it first waits up to half a second, so later webhooks can overtake it; with
// the duplicate fault on, a delivered webhook is delivered once more, as providers sometimes do.
func (s *Sandbox) deliver(what string, attempt func() bool) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if s.reorder.Load() {
			select {
			case <-time.After(time.Duration(mrand.Int64N(int64(500 * time.Millisecond)))):
			case <-s.ctx.Done():
				return
			}
		}
		for i := 0; ; i++ {
			if attempt() {
				if s.duplicate.Load() {
					attempt()
				}
				return
			}
			if i >= len(s.retry) {
				s.log.Warn("sandbox: webhook not delivered; giving up", "webhook", what, "attempts", i+1)
				return
			}
			select {
			case <-time.After(s.retry[i]):
			case <-s.ctx.Done():
				return
			}
		}
	}()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
