package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/live"
	"github.com/chatshop/chatshop/models"
)

// Viewer is the signed-in user and the shop they are working in.
type Viewer struct {
	User *models.User
	Shop *models.Shop     // nil for a platform admin without a shop
	Role models.Role      // the user's role in Shop
	Data *models.ShopData // the store scoped to Shop: the only way handlers reach shop data
	// LiveSince is the shop's change number when the request began: the page's live stream
	// starts after it, so nothing committed while the page was read is missed.
	LiveSince uint64
	// PlatformSince is the same for the admin console's changes (live.Platform), for admins.
	PlatformSince uint64
}

const viewerKey = "viewer"

// ViewerOf returns the request's viewer; it is set by Authenticate on every signed-in route.
func ViewerOf(c echo.Context) *Viewer {
	v, _ := c.Get(viewerKey).(*Viewer)
	return v
}

// Authenticate loads the signed-in user and their shop, or sends the browser to /login and back.
// A session from before the user's last "sign out everywhere" or password change is ended here.
func (h *Handlers) Authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		id := h.Sessions.GetInt64(ctx, sessionUserID)
		if id == 0 {
			return redirectToLogin(c, "")
		}
		u, err := h.Accounts.UserByID(ctx, id)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		if u == nil || u.SessionEpoch != h.Sessions.GetInt64(ctx, sessionEpoch) {
			if err := h.Sessions.Destroy(ctx); err != nil {
				return err
			}
			return redirectToLogin(c, "expired")
		}
		v := &Viewer{User: u}
		if u.IsAdmin {
			v.PlatformSince = h.Live.Seq(live.Platform)
		}
		ms, err := h.Accounts.MembershipsOf(ctx, u.ID)
		if err != nil {
			return err
		}
		if m, ok := chooseMembership(ms, h.Sessions.GetInt64(ctx, sessionShopID)); ok {
			if v.Shop, err = h.Accounts.ShopByID(ctx, m.ShopID); err != nil {
				return err
			}
			v.Role, v.Data = m.Role, h.Shops.ForShop(m.ShopID)
			v.LiveSince = h.Live.Seq(m.ShopID)
		}
		c.Set(viewerKey, v)
		return next(c)
	}
}

// chooseMembership picks the shop chosen in the session, or else the user's first shop.
func chooseMembership(ms []models.Membership, shopID int64) (models.Membership, bool) {
	for _, m := range ms {
		if m.ShopID == shopID {
			return m, true
		}
	}
	if len(ms) > 0 {
		return ms[0], true
	}
	return models.Membership{}, false
}

func redirectToLogin(c echo.Context, reason string) error {
	q := url.Values{}
	if c.Request().Method == http.MethodGet && c.Request().URL.Path != "/app" {
		q.Set("next", c.Request().URL.RequestURI())
	}
	if reason != "" {
		q.Set("reason", reason)
	}
	target := "/login"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	if c.Request().Header.Get("HX-Request") == "true" {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusUnauthorized)
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// RequireShop lets through viewers who belong to a shop; a platform admin without one goes to the
// admin console.
func (h *Handlers) RequireShop(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		v := ViewerOf(c)
		if v.Shop != nil {
			return next(c)
		}
		if v.User.IsAdmin {
			return c.Redirect(http.StatusSeeOther, "/admin/disputes")
		}
		return echo.NewHTTPError(http.StatusForbidden, "Your account does not belong to a shop.")
	}
}

// RequireOwner keeps staff out of connections, team, exports and the audit log.
func (h *Handlers) RequireOwner(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ViewerOf(c).Role != models.RoleOwner {
			return echo.NewHTTPError(http.StatusForbidden, "Only the shop's owners can open this page.")
		}
		return next(c)
	}
}

// RequireAdmin lets through platform admins only.
func (h *Handlers) RequireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !ViewerOf(c).User.IsAdmin {
			return echo.NewHTTPError(http.StatusForbidden, "Only platform admins can open the admin console.")
		}
		return next(c)
	}
}
