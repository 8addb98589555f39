// Package handlers holds the thin HTTP handlers of the dashboard, a file per area. A handler binds,
// validates, calls the store or enqueues work, then renders or redirects.
package handlers

import (
	"context"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/live"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
	"github.com/chatshop/chatshop/views/layout"
)

// AccountStore is what sign-in, signup, the account page and the viewer need of the store.
type AccountStore interface {
	Authenticate(ctx context.Context, email, password string) (*models.User, error)
	UserByID(ctx context.Context, id int64) (*models.User, error)
	UserByEmail(ctx context.Context, email string) (*models.User, error)
	MembershipsOf(ctx context.Context, userID int64) ([]models.Membership, error)
	ShopByID(ctx context.Context, id int64) (*models.Shop, error)
	CreateShopWithOwner(ctx context.Context, shop *models.Shop, owner *models.User, ip string) error
	ChangePassword(ctx context.Context, userID int64, hash string, actor models.Actor) (int64, error)
	EndAllSessions(ctx context.Context, userID int64, actor models.Actor) (int64, error)
	LoginThrottle(ctx context.Context, email, ip string) (wait time.Duration, err error)
	RecordSignIn(ctx context.Context, email, ip string, u *models.User, throttled bool) error
	RecordPasswordCheckFailed(ctx context.Context, u *models.User, ip string, throttled bool) (ended bool, err error)
	InviteByToken(ctx context.Context, token string) (*models.Invite, *models.Shop, error)
	AcceptInvite(ctx context.Context, token string, u *models.User, ip string) (*models.Invite, error)
}

// AdminStore is what the admin console reads across shops.
type AdminStore interface {
	ListAllAudit(ctx context.Context, f models.AuditFilter) (models.AuditPage, error)
	ListAllEvents(ctx context.Context, f models.EventFilter) (models.EventPage, error)
	EventDetail(ctx context.Context, id int64) (*models.EventDetail, error)
	RefusalTotals(ctx context.Context, now time.Time) ([]models.RefusalTotal, error)
	LatestRefusals(ctx context.Context, limit int) ([]models.RefusedDelivery, error)
	ReplayAnyEvents(ctx context.Context, ids []int64, actor models.Actor) (int, error)
	DisputeDesk
	ShopDirectory
	CheckDisputeAction(ctx context.Context, id int64, kind string, in models.ActionInput) (*models.Dispute, models.ActionInput, error)
	RequestDisputeAction(ctx context.Context, id int64, kind string, in models.ActionInput, by models.Actor,
		enqueue func(ctx context.Context, tx *models.Tx, actionID int64) error) (*models.DisputeAction, error)
}

// Tenancy hands out the store scoped to one shop; shop data is reached only through it.
type Tenancy interface {
	ForShop(shopID int64) *models.ShopData
}

// JobQueue enqueues background work in the transaction that asks for it.
type JobQueue interface {
	EnqueueCatalogImport(ctx context.Context, tx *models.Tx, shopID, importID int64) error
	EnqueueSubscribePage(ctx context.Context, tx *models.Tx, pageRowID int64) error
	EnqueueUnsubscribePage(ctx context.Context, tx *models.Tx, pageRowID int64) error
	EnqueueCapture(ctx context.Context, orderID int64) error
	EnqueueRefund(ctx context.Context, tx *models.Tx, refundRequestID int64) error
	EnqueueTrack(ctx context.Context, tx *models.Tx, shipmentID int64) error
	EnqueueUntrack(ctx context.Context, tx *models.Tx, shipmentID int64) error
	EnqueueTemplates(ctx context.Context, shopID int64, pageID string) error
	EnqueueDisputeAction(ctx context.Context, tx *models.Tx, actionID int64) error
	ShopperUnlinked(ctx context.Context, tx *models.Tx, sh *models.Shopper, vaultID string) error
	QueueMessage(ctx context.Context, tx *models.Tx, m *models.OutboundMessage) (queued bool, err error)
}

// CheckoutStore is what the shopper's pages (back from PayPal, linking PayPal) need of the store.
type CheckoutStore interface {
	OrderByPayPalID(paypalOrderID string) (*models.Order, error)
	ShopperByID(id int64) (*models.Shopper, error)
	ShopForPage(ctx context.Context, pageID string) (int64, error)
	ShopperOnPage(ctx context.Context, pageID, psid string) (*models.Shopper, error)
	Storefront(shopID int64) (*models.Storefront, error)
	PageToken(ctx context.Context, shopID int64, pageID string) (string, error)
	StartLink(l *models.PayPalLink) error
	LinkByState(state string) (*models.PayPalLink, error)
	LinkVaulted(l *models.PayPalLink, vaultID, email, country, code string) error
}

// Handlers serves the dashboard, the admin console and sign-in.
type Handlers struct {
	Accounts AccountStore
	Shops    Tenancy
	Admin    AdminStore
	Images   ImageStore
	Jobs     JobQueue
	Checkout CheckoutStore
	Sessions *scs.SessionManager
	// Live tells open pages what changed in their shop (server-sent events).
	Live *live.Hub
	// PayPal and Graph are the provider clients the connection settings call.
	PayPal *paypal.Client
	Graph  *messenger.Client
	// SimulatedPages is the sandbox's directory of Facebook Pages; nil in live mode, where a Page
	// is connected with its id and access token.
	SimulatedPages SimulatedPages
	// Signups limits the signups that reach password hashing per client address.
	Signups *AddressLimiter
	// Sandbox shows the sandbox ribbon and the demo logins.
	Sandbox bool
	// BaseURL is this server's public URL, for links shown to people (invites).
	BaseURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (h *Handlers) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// Session keys.
const (
	sessionUserID     = "user_id"
	sessionEpoch      = "epoch"
	sessionShopID     = "shop_id"
	sessionFlash      = "flash"
	sessionInviteLink = "invite_link"
)

// flash stores a message for the next page the user sees.
func (h *Handlers) flash(c echo.Context, kind, message string) {
	h.Sessions.Put(c.Request().Context(), sessionFlash, kind+"|"+message)
}

// page builds what the layout needs, consuming any pending flash.
func (h *Handlers) page(c echo.Context, title, active string, console layout.Console) layout.Page {
	v := ViewerOf(c)
	p := layout.Page{Title: title, Path: c.Request().URL.RequestURI(), Active: active, Console: console, Sandbox: h.Sandbox,
		User: layout.User{Name: v.User.Name, Email: v.User.Email, IsAdmin: v.User.IsAdmin}}
	if v.Shop != nil && console == layout.ShopConsole {
		p.Shop = &layout.Shop{Name: v.Shop.Name, Role: string(v.Role)}
		// A store error leaves the frame out: the page's own reads fail with it anyway.
		if frame, err := v.Data.Frame(c.Request().Context(), v.User.ID); err == nil {
			p.Alerts, p.Badges = connectionAlerts(frame.Health, v.Role), badges(frame)
		}
		p.LiveSince = v.LiveSince
	}
	if console == layout.AdminConsole {
		p.LiveSince = v.PlatformSince
	}
	if f := h.Sessions.PopString(c.Request().Context(), sessionFlash); f != "" {
		kind, msg, _ := strings.Cut(f, "|")
		p.Flashes = append(p.Flashes, layout.Flash{Kind: kind, Message: msg})
	}
	return p
}

// actor is who the audit log will say did what this request does.
func actor(c echo.Context) models.Actor {
	v := ViewerOf(c)
	a := models.Actor{IP: c.RealIP()}
	if v != nil {
		a.UserID, a.Email = v.User.ID, v.User.Email
	}
	return a
}

// connectionAlerts are the banners of a Page or PayPal account that needs reconnecting; owners get
// the way to fix it, staff are told whom to ask.
func connectionAlerts(health models.ConnectionHealth, role models.Role) []layout.Alert {
	owner := role == models.RoleOwner
	alert := func(testID, msg, href, action string) layout.Alert {
		if !owner {
			return layout.Alert{TestID: testID, Message: msg + " Ask a shop owner to reconnect it."}
		}
		return layout.Alert{TestID: testID, Message: msg, Href: href, Action: action}
	}
	var out []layout.Alert
	if health.PageNeedsReconnect {
		out = append(out, alert("alert-page-reconnect", "Your Facebook Page "+health.PageName+" needs to be reconnected: Meta no longer accepts its access token, so the bot cannot answer shoppers.",
			"/app/settings/messenger", "Reconnect Page"))
	}
	if health.PayPalNeedsReconnect {
		out = append(out, alert("alert-paypal-reconnect", "PayPal permissions were revoked: shoppers cannot pay until PayPal is connected again.",
			"/app/settings/paypal", "Reconnect PayPal"))
	}
	return out
}
