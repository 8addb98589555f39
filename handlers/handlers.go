// Package handlers holds the thin HTTP handlers of the dashboard, a file per area. A handler binds,
// validates, calls the store or enqueues work, then renders or redirects.
package handlers

import (
	"context"
	"strings"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
)

// AccountStore is what sign-in and the viewer need of the store.
type AccountStore interface {
	Authenticate(ctx context.Context, email, password string) (*models.User, error)
	UserByID(ctx context.Context, id int64) (*models.User, error)
	MembershipsOf(ctx context.Context, userID int64) ([]models.Membership, error)
	ShopByID(ctx context.Context, id int64) (*models.Shop, error)
}

// CatalogStore is what the catalog pages need of the store.
type CatalogStore interface {
	ListProducts(ctx context.Context, shopID, before int64, limit int) (models.ProductPage, error)
	CountProducts(ctx context.Context, shopID int64) (models.ProductCounts, error)
	CountOutOfStockVariants(ctx context.Context, shopID int64) (int64, error)
}

// Handlers serves the dashboard, the admin console and sign-in.
type Handlers struct {
	Accounts AccountStore
	Catalog  CatalogStore
	Sessions *scs.SessionManager
	// Sandbox shows the sandbox ribbon and the demo logins.
	Sandbox bool
}

// Session keys.
const (
	sessionUserID = "user_id"
	sessionShopID = "shop_id"
	sessionFlash  = "flash"
)

// flash stores a message for the next page the user sees.
func (h *Handlers) flash(c echo.Context, kind, message string) {
	h.Sessions.Put(c.Request().Context(), sessionFlash, kind+"|"+message)
}

// page builds what the layout needs, consuming any pending flash.
func (h *Handlers) page(c echo.Context, title, active string, console layout.Console) layout.Page {
	v := ViewerOf(c)
	p := layout.Page{Title: title, Active: active, Console: console, Sandbox: h.Sandbox,
		User: layout.User{Name: v.User.Name, Email: v.User.Email, IsAdmin: v.User.IsAdmin}}
	if v.Shop != nil && console == layout.ShopConsole {
		p.Shop = &layout.Shop{Name: v.Shop.Name, Role: string(v.Role)}
	}
	if f := h.Sessions.PopString(c.Request().Context(), sessionFlash); f != "" {
		kind, msg, _ := strings.Cut(f, "|")
		p.Flashes = append(p.Flashes, layout.Flash{Kind: kind, Message: msg})
	}
	return p
}
