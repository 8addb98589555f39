// Package web is chatshop's HTTP server: routes, middleware, sessions, errors and static assets.
package web

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/handlers"
	"github.com/chatshop/chatshop/live"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
	"github.com/chatshop/chatshop/sandbox"
)

// Deps is what the server needs from the process.
type Deps struct {
	Config   *config.Config
	Store    *models.Store
	Sessions *scs.SessionManager
	Logger   *slog.Logger
	Metrics  *prometheus.Registry
	// Ready reports whether the process can serve: database reachable, worker running.
	Ready func(ctx context.Context) error
	// Intake stores verified webhook deliveries; PayPalSignatures verifies PayPal's.
	Intake handlers.Intake
	// Refusals counts refused webhook deliveries and keeps a bounded sample of them; required.
	Refusals         handlers.RefusalLog
	Jobs             handlers.JobQueue
	PayPalSignatures handlers.PayPalVerifier
	// PayPal and Graph are the provider clients the dashboard calls (connection settings).
	PayPal *paypal.Client
	Graph  *messenger.Client
	// Live tells open dashboard pages what changed; nil makes one that hears Store's commits.
	Live *live.Hub
	// Sandbox is the PayPal and Messenger emulators; nil in live mode, where /sandbox does not exist.
	Sandbox *sandbox.Sandbox
}

// New builds the Echo server with every route and middleware.
func New(d Deps) *echo.Echo {
	if d.Refusals == nil {
		panic("web.New: Deps.Refusals is required (Store.NewRefusalLog)")
	}
	uploads := routeSet{} // routes.go adds them
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(d.Logger)
	e.IPExtractor = echo.ExtractIPDirect()

	https := strings.HasPrefix(d.Config.BaseURL, "https://")
	e.Use(
		middleware.RequestID(),
		serverTiming,
		logRequests(d.Logger),
		newHTTPMetrics(d.Metrics).middleware,
		middleware.RecoverWithConfig(middleware.RecoverConfig{DisableErrorHandler: true, DisablePrintStack: true}),
		securityHeaders(https),
		limitBodies(uploads),
		crossOriginProtection(),
		compress(),
	)

	if d.Live == nil {
		d.Live = live.NewHub()
		d.Store.OnChange(d.Live.Publish)
	}
	h := &handlers.Handlers{
		Live:     d.Live,
		Accounts: d.Store,
		Shops:    d.Store,
		Admin:    d.Store,
		Images:   d.Store,
		Jobs:     d.Jobs,
		Checkout: d.Store,
		Sessions: d.Sessions,
		Signups:  handlers.NewSignupLimiter(time.Now),
		PayPal:   d.PayPal,
		Graph:    d.Graph,
		Sandbox:  d.Config.Sandbox(),
		BaseURL:  d.Config.BaseURL,
	}
	if d.Sandbox != nil {
		h.SimulatedPages = d.Sandbox
	}
	wh := &handlers.Webhooks{
		Intake:           d.Intake,
		Refusals:         d.Refusals,
		PayPalSignatures: d.PayPalSignatures,
		MetaAppSecret:    d.Config.MetaAppSecret,
		MetaVerifyToken:  d.Config.MetaVerifyToken,
		Metrics:          handlers.NewWebhookMetrics(d.Metrics),
	}
	routes(e, d, h, wh, uploads)
	return e
}
