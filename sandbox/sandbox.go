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
	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// Store is what the emulators keep: their simulated Pages, shoppers and threads, and PayPal's
// merchants, orders, captures, vault and disputes (*sandboxdb.DB).
type Store interface {
	SandboxPages(ctx context.Context) ([]sandboxdb.Page, error)
	SandboxPage(ctx context.Context, pageID string) (*sandboxdb.Page, error)
	EnsurePage(ctx context.Context, pageID, name string) error
	CreateSandboxPage(ctx context.Context, name string) (*sandboxdb.Page, error)
	SetSandboxPageToken(ctx context.Context, p sandboxdb.Page, revoked bool) error
	CreateSandboxShopper(ctx context.Context, sh *sandboxdb.Shopper) error
	SandboxShopperByPSID(ctx context.Context, psid string) (*sandboxdb.Shopper, error)
	SandboxShoppers(ctx context.Context, pageID string) ([]sandboxdb.Shopper, error)
	AddSandboxMessage(ctx context.Context, m *sandboxdb.Message) error
	SandboxThread(ctx context.Context, pageID, psid string) ([]sandboxdb.Message, error)
	LastShopperMessageAt(ctx context.Context, pageID, psid string) (time.Time, error)
	MoveThreadBack(ctx context.Context, pageID, psid string, by time.Duration) (int, error)
	CreateTemplate(ctx context.Context, t *sandboxdb.Template) error
	Templates(ctx context.Context, pageID, name string) ([]sandboxdb.Template, error)
	SetTemplateStatus(ctx context.Context, id string, from []string, status, reason string) (bool, error)
	DeleteTemplates(ctx context.Context, pageID, name, id string) error
	BlockSandboxShopper(ctx context.Context, psid string, blocked bool) error
	CreateSandboxOrder(ctx context.Context, o *sandboxdb.Order) error
	SandboxOrderByID(ctx context.Context, id string) (*sandboxdb.Order, error)
	MoveSandboxOrder(ctx context.Context, id string, from []string, status, body string) (bool, error)
	AddTracker(ctx context.Context, t *sandboxdb.Tracker) (bool, error)
	Trackers(ctx context.Context, orderID string) ([]sandboxdb.Tracker, error)
	UpdateTracker(ctx context.Context, orderID, id, status, body string) (bool, error)
	SandboxRequest(ctx context.Context, endpoint, requestID string) (status int, response string, found bool, err error)
	RememberSandboxRequest(ctx context.Context, endpoint, requestID string, status int, response string) error
	RecordSandboxCapture(ctx context.Context, p sandboxdb.Captured) (bool, error)
	SandboxCaptureByID(ctx context.Context, id string) (*sandboxdb.Capture, error)
	RefundSandboxCapture(ctx context.Context, id string, refundedBefore, refunded int64, status, body string) (bool, error)
	CreateSandboxReferral(ctx context.Context, r *sandboxdb.Referral) error
	SandboxReferralByID(ctx context.Context, id string) (*sandboxdb.Referral, error)
	CompleteSandboxReferral(ctx context.Context, referralID string, m *sandboxdb.Merchant) error
	SandboxMerchantByID(ctx context.Context, id string) (*sandboxdb.Merchant, error)
	SandboxMerchantByTracking(ctx context.Context, trackingID string) (*sandboxdb.Merchant, error)
	RevokeSandboxConsent(ctx context.Context, merchantID string) error
	CreateSandboxSetupToken(ctx context.Context, t *sandboxdb.SetupToken) error
	SandboxSetupTokenByID(ctx context.Context, id string) (*sandboxdb.SetupToken, error)
	ApproveSandboxSetupToken(ctx context.Context, id, payerID, body string) (bool, error)
	VaultSandboxSetupToken(ctx context.Context, setupID, setupBody string, p *sandboxdb.PaymentToken) (bool, error)
	SandboxPaymentTokenByID(ctx context.Context, id string) (*sandboxdb.PaymentToken, error)
	SandboxPaymentTokens(ctx context.Context, customerID string) ([]sandboxdb.PaymentToken, error)
	DeleteSandboxPaymentToken(ctx context.Context, id string) error
	CreateSandboxLinkingToken(ctx context.Context, t *sandboxdb.LinkingToken) error
	SandboxLinkingTokenByToken(ctx context.Context, token string) (*sandboxdb.LinkingToken, error)
	UseSandboxLinkingToken(ctx context.Context, token string) (bool, error)
	SetSandboxPageSubscription(ctx context.Context, pageID string, fields []string) error
	SandboxPageSubscription(ctx context.Context, pageID string) (fields []string, found bool, err error)
	MarkSandboxThreadRead(ctx context.Context, psid string, at int64) (bool, error)
	CreateSandboxDispute(ctx context.Context, d *sandboxdb.Dispute) error
	SandboxDisputeByID(ctx context.Context, id string) (*sandboxdb.Dispute, error)
	SandboxDisputes(ctx context.Context, merchantID, captureID string, limit int) ([]sandboxdb.Dispute, error)
	UpdateSandboxDispute(ctx context.Context, d *sandboxdb.Dispute) (bool, error)
	SandboxPayments(ctx context.Context, limit int) ([]sandboxdb.Payment, error)
}

// Shops is what the emulators learn from the app: the Pages and PayPal merchants its shops are
// connected to (*models.Store is one). Those Pages are simulated Pages too, and those merchants
// sandbox merchants, though the emulators never made them (the demo's, and tests').
type Shops interface {
	ConnectedAccounts(ctx context.Context) ([]models.ConnectedAccount, error)
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
	shops  Shops
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

// New prepares the emulators, keeping their state in dir; their signing keys live in the data
// directory so certificate URLs stay valid across restarts.
func New(cfg *config.Config, dir Store, shops Shops, opts Options) (*Sandbox, error) {
	pp, err := newPayPal(cfg)
	if err != nil {
		return nil, err
	}
	// The demo's Page stays in the directory when the demo shop disconnects it.
	if err := dir.EnsurePage(context.Background(), demo.PageID, demo.PageName); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Sandbox{cfg: cfg, dir: dir, shops: shops, paypal: pp, log: opts.Logger, http: opts.HTTP, retry: opts.RetrySchedule,
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
