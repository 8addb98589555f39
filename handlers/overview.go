package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/web/render"
)

// ShowOverview renders the shop's home page.
func (h *Handlers) ShowOverview(c echo.Context) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	counts, err := v.Data.CountProducts(ctx)
	if err != nil {
		return err
	}
	conns, err := v.Data.Connections(ctx)
	if err != nil {
		return err
	}
	first, _, _ := strings.Cut(v.User.Name, " ")
	return render.Render(c, http.StatusOK, pages.OverviewPage(pages.Overview{
		Page:           h.page(c, "Overview", "overview", layout.ShopConsole),
		FirstName:      first,
		ActiveProducts: counts.Active,
		DraftProducts:  counts.Draft,
		OutOfStock:     counts.ActiveOutOfStock,
		Checklist: []pages.ChecklistStep{
			{Key: "page", Title: "Connect your Facebook Page", Body: "Shoppers message your Page to browse and buy.",
				Href: "/app/settings/messenger", Action: "Connect", Done: conns.PageReady()},
			{Key: "paypal", Title: "Connect PayPal", Body: "Payments go straight to your PayPal business account.",
				Href: "/app/settings/paypal", Action: "Connect", Done: conns.PaymentsReady()},
			{Key: "products", Title: "Add your first products", Body: "Active products with stock are offered in the chat.",
				Href: "/app/products", Action: "Add products", Done: counts.Active > 0},
			{Key: "countries", Title: "Choose where you sell", Body: "PayPal is offered to shoppers in: " + strings.Join(v.Shop.Countries(), ", ") + ".",
				Href: "/app/settings", Action: "Review", Done: v.Shop.CountriesConfirmedAt != nil && len(v.Shop.Countries()) > 0},
		},
	}))
}
