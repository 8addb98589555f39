package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/money"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

const notificationsPerPage = 50

// ShowNotifications is the shop's payment feed, newest first, filtered by kind. Its first page
// stays live: new notifications appear without a reload, and viewing it clears the badge.
func (h *Handlers) ShowNotifications(c echo.Context) error {
	v := ViewerOf(c)
	ctx := c.Request().Context()
	kind := c.QueryParam("kind")
	if !slices.Contains(models.NotificationKinds, kind) {
		kind = ""
	}
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	items, next, err := v.Data.NotificationFeed(ctx, kind, before, notificationsPerPage)
	if err != nil {
		return err
	}
	if before == 0 && len(items) > 0 {
		if err := v.Data.NotificationsSeen(ctx, v.User.ID, items[0].ID); err != nil {
			return err
		}
	}
	vm := pages.Notifications{Page: h.page(c, "Payment notifications", "notifications", layout.ShopConsole),
		Kind: kind, Kinds: models.NotificationKinds, Live: before == 0}
	for _, n := range items {
		row := pages.NotificationRow{Kind: n.Kind, CaptureID: n.CaptureID, At: n.CreatedAt, Shopper: n.ShopperName,
			Amount: money.Money{Minor: n.AmountMinor, Currency: n.Currency}.String()}
		if n.DisputeID != nil {
			row.Detail, row.DisputeHref = n.Detail, fmt.Sprintf("/app/disputes/%d", *n.DisputeID)
		}
		if n.OrderID != 0 {
			row.OrderHref = fmt.Sprintf("/app/orders/%d", n.OrderID)
			row.Order = (&models.Order{ID: n.OrderID}).Number()
		}
		vm.Rows = append(vm.Rows, row)
	}
	if next != 0 {
		q := url.Values{"before": {strconv.FormatInt(next, 10)}}
		if kind != "" {
			q.Set("kind", kind)
		}
		vm.NextHref = "/app/notifications?" + q.Encode()
	}
	return render.Render(c, http.StatusOK, pages.NotificationsPage(vm))
}
