package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/money"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

const shoppersPerPage = 50

// ShowShoppers lists the people who messaged the shop's Page: country, linked PayPal, orders and
// what they spent.
func (h *Handlers) ShowShoppers(c echo.Context) error {
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	rows, next, err := ViewerOf(c).Data.ShopperPage(c.Request().Context(), before, shoppersPerPage)
	if err != nil {
		return err
	}
	vm := pages.Shoppers{Page: h.page(c, "Shoppers", "shoppers", layout.ShopConsole)}
	for _, r := range rows {
		row := pages.ShopperRow{ID: r.ID, Name: r.DisplayName(), Country: r.Country, PayPalEmail: r.PayPalEmail, Orders: r.Orders,
			LastSeen: r.LastSeenAt}
		if r.Orders > 0 {
			row.Spent = money.Money{Minor: r.SpentMinor, Currency: r.Currency}.String()
		}
		vm.Rows = append(vm.Rows, row)
	}
	if next != 0 {
		vm.NextHref = fmt.Sprintf("/app/shoppers?before=%d", next)
	}
	return render.Render(c, http.StatusOK, pages.ShoppersPage(vm))
}

// ShowShopper shows one shopper: profile, linked PayPal, their latest orders and conversation.
func (h *Handlers) ShowShopper(c echo.Context) error {
	v := ViewerOf(c)
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	t, err := v.Data.Conversation(ctx, id, false)
	if err != nil {
		return err
	}
	const latest = 20
	orders, next, err := v.Data.OrderPage(ctx, models.OrderFilter{ShopperID: id}, latest)
	if err != nil {
		return err
	}
	sh := t.Shopper
	vm := pages.ShopperView{Page: h.page(c, sh.DisplayName(), "shoppers", layout.ShopConsole), ID: sh.ID, Name: sh.DisplayName(),
		Country: sh.Country, Locale: sh.Locale, PayPalEmail: sh.PayPalEmail, FirstSeen: sh.FirstSeenAt, LastSeen: sh.LastSeenAt,
		LinkedAt: sh.LinkedAt, MoreOrders: next != 0}
	for _, o := range orders {
		vm.Orders = append(vm.Orders, pages.OrderRow{ID: o.ID, Number: o.Number(), Items: o.Items, Total: o.Total().String(),
			Status: o.Status, At: o.CreatedAt})
	}
	row, err := v.Data.ShopperRow(ctx, id)
	if err != nil {
		return err
	}
	if row.Orders > 0 {
		vm.Spent = fmt.Sprintf("%s in %d paid orders", money.Money{Minor: row.SpentMinor, Currency: row.Currency}, row.Orders)
	}
	for _, m := range t.Messages[max(0, len(t.Messages)-latest):] {
		vm.Messages = append(vm.Messages, pages.ThreadItem{FromShopper: m.Direction == "in", Text: m.Text, At: m.CreatedAt})
	}
	return render.Render(c, http.StatusOK, pages.ShopperPage(vm))
}

// UnlinkShopper forgets a shopper's linked PayPal: the vault token is deleted, Messenger's link
// ended and the shopper told, by the worker.
func (h *Handlers) UnlinkShopper(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	unlinked, err := ViewerOf(c).Data.UnlinkShopper(c.Request().Context(), id, actor(c), h.Jobs.ShopperUnlinked)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return echo.NewHTTPError(http.StatusNotFound)
	case err != nil:
		return err
	case unlinked:
		h.flash(c, "success", "PayPal unlinked. The shopper will pay on PayPal's page next time, and was told in Messenger.")
	default:
		h.flash(c, "error", "That shopper has no PayPal account linked.")
	}
	return c.Redirect(http.StatusSeeOther, "/app/shoppers")
}
