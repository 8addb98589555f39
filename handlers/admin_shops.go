package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// ShopDirectory is what the admins read of the shops themselves: the shop list and the audit
// log's shop filter.
type ShopDirectory interface {
	AdminShops(ctx context.Context, f models.AdminShopFilter) (models.AdminShopPage, error)
	ShopNames(ctx context.Context) ([]models.ShopName, error)
}

const adminShopsPerPage = 50

// ShowAdminShops lists every shop on the platform with its status, connections and volume.
func (h *Handlers) ShowAdminShops(c echo.Context) error {
	f := models.AdminShopFilter{Query: strings.TrimSpace(c.QueryParam("q")), Limit: adminShopsPerPage}
	f.Before, _ = strconv.ParseInt(c.QueryParam("before"), 10, 64)
	page, err := h.Admin.AdminShops(c.Request().Context(), f)
	if err != nil {
		return err
	}
	vm := pages.AdminShops{Page: h.page(c, "Shops", "admin-shops", layout.AdminConsole), Query: f.Query, Days: models.AdminVolumeDays}
	for _, s := range page.Shops {
		vm.Rows = append(vm.Rows, adminShopRow(s))
	}
	if page.NextBefore != 0 {
		q := url.Values{"before": {fmt.Sprint(page.NextBefore)}}
		if f.Query != "" {
			q.Set("q", f.Query)
		}
		vm.NextHref = "/admin/shops?" + q.Encode()
	}
	return render.Render(c, http.StatusOK, pages.AdminShopsPage(vm))
}

func adminShopRow(s models.AdminShop) pages.AdminShopRow {
	row := pages.AdminShopRow{ID: s.ID, Name: s.Name, CreatedAt: s.CreatedAt, OwnerEmail: s.OwnerEmail, Live: s.Live(),
		PaidOrders: s.PaidOrders, LinkedShoppers: s.LinkedShoppers, OpenDisputes: s.OpenDisputes,
		Page: pages.Connection{Status: "Not connected", Tone: "gray"}, PayPal: pages.Connection{Status: "Not connected", Tone: "gray"}}
	if p := s.Connections.Page; p != nil {
		row.Page = pages.Connection{Name: p.Name, Status: "Connected", Tone: "green"}
		if p.Status == models.PageNeedsReconnect {
			row.Page.Status, row.Page.Tone = "Needs reconnect", "red"
		}
	}
	if a := s.Connections.PayPal; a != nil {
		row.PayPal = pages.Connection{Name: a.MerchantID, Status: "Connected", Tone: "green"}
		switch a.Status {
		case models.PayPalPending:
			row.PayPal.Status, row.PayPal.Tone = "Pending", "amber"
		case models.PayPalRevoked:
			row.PayPal.Status, row.PayPal.Tone = "Revoked", "red"
		}
	}
	for _, m := range s.Sales {
		row.Sales = append(row.Sales, m.String())
	}
	return row
}
