package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/web/render"
)

// area describes a dashboard or admin area whose records do not exist yet in this shop.
type area struct {
	key, title, subtitle, icon, emptyTitle, emptyBody string
	console                                           layout.Console
}

var areas = map[string]area{
	"admin-shops": {key: "admin-shops", title: "Shops", icon: "storefront", console: layout.AdminConsole, subtitle: "Every shop on the platform.",
		emptyTitle: "Shop overview comes next", emptyBody: "Each shop's status, connections and volume will be listed here."},
}

// ShowArea renders the area named key with its empty state.
func (h *Handlers) ShowArea(key string) echo.HandlerFunc {
	a, ok := areas[key]
	if !ok {
		panic("handlers: no area " + key)
	}
	return func(c echo.Context) error {
		return render.Render(c, http.StatusOK, pages.AreaPage(pages.Area{
			Page:       h.page(c, a.title, a.key, a.console),
			Subtitle:   a.subtitle,
			Icon:       a.icon,
			EmptyTitle: a.emptyTitle,
			EmptyBody:  a.emptyBody,
		}))
	}
}
