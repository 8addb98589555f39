package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/web/render"
)

const notificationsPerPage = 50

// ShowNotifications lists the shop's payment notifications, newest first.
func (h *Handlers) ShowNotifications(c echo.Context) error {
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	ns, next, err := ViewerOf(c).Data.PaymentNotificationPage(c.Request().Context(), before, notificationsPerPage)
	if err != nil {
		return err
	}
	vm := pages.Notifications{Page: h.page(c, "Payment notifications", "notifications", layout.ShopConsole)}
	for _, n := range ns {
		vm.Rows = append(vm.Rows, pages.NotificationRow{Kind: n.Kind, CaptureID: n.CaptureID, At: n.CreatedAt,
			Amount: models.Money{Minor: n.AmountMinor, Currency: n.Currency}.String()})
	}
	if next != 0 {
		vm.NextHref = fmt.Sprintf("/app/notifications?before=%d", next)
	}
	return render.Render(c, http.StatusOK, pages.NotificationsPage(vm))
}
