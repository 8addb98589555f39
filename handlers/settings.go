package handlers

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// ShowSettings renders the settings hub.
func (h *Handlers) ShowSettings(c echo.Context) error {
	v := ViewerOf(c)
	return h.renderSettings(c, http.StatusOK, v.Shop.Name, v.Shop.Countries(), nil)
}

func (h *Handlers) renderSettings(c echo.Context, status int, name string, chosen []string, errs map[string]string) error {
	v := ViewerOf(c)
	conns, err := v.Data.Connections(c.Request().Context())
	if err != nil {
		return err
	}
	vm := pages.Settings{Page: h.page(c, "Settings", "settings", layout.ShopConsole), ShopName: name, Currency: v.Shop.Currency,
		Errors: errs, Messenger: pageSummary(conns), PayPal: payPalSummary(conns)}
	for _, pc := range models.PayPalCountries {
		vm.Countries = append(vm.Countries, pages.CountryChoice{Code: pc.Code, Name: pc.Name, Chosen: slices.Contains(chosen, pc.Code)})
	}
	return render.Render(c, status, pages.SettingsPage(vm))
}

func pageSummary(conns *models.Connections) pages.ConnectionSummary {
	s := pages.ConnectionSummary{Title: "Facebook Page", Href: "/app/settings/messenger", Tone: "gray", Status: "Not connected",
		Detail: "Connect the Page your shoppers message."}
	if p := conns.Page; p != nil {
		s.Detail = p.Name + " · Page ID " + p.PageID
		s.Tone, s.Status = "green", "Connected"
		if p.Status == models.PageNeedsReconnect {
			s.Tone, s.Status = "red", "Needs reconnect"
		}
	}
	return s
}

func payPalSummary(conns *models.Connections) pages.ConnectionSummary {
	s := pages.ConnectionSummary{Title: "PayPal", Href: "/app/settings/paypal", Tone: "gray", Status: "Not connected",
		Detail: "Connect the PayPal business account that receives your payments."}
	if a := conns.PayPal; a != nil {
		s.Detail = "Merchant ID " + a.MerchantID
		switch a.Status {
		case models.PayPalConnected:
			s.Tone, s.Status = "green", "Connected"
		case models.PayPalPending:
			s.Tone, s.Status = "amber", "Pending"
		default:
			s.Tone, s.Status = "red", "Permissions revoked"
		}
	}
	return s
}

// SaveCountries sets the countries whose shoppers may pay with PayPal.
func (h *Handlers) SaveCountries(c echo.Context) error {
	v := ViewerOf(c)
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	var codes []string
	for _, pc := range models.PayPalCountries {
		if slices.Contains(form["countries"], pc.Code) {
			codes = append(codes, pc.Code)
		}
	}
	if len(codes) == 0 {
		return h.renderSettings(c, http.StatusUnprocessableEntity, v.Shop.Name, nil,
			map[string]string{"countries": "Choose at least one country, or shoppers cannot pay at all."})
	}
	if err := v.Data.SetCountries(c.Request().Context(), codes, actor(c)); err != nil {
		return err
	}
	h.flash(c, "success", "PayPal is offered to shoppers in "+strings.Join(codes, ", ")+".")
	return c.Redirect(http.StatusSeeOther, "/app/settings")
}

// SaveShop renames the shop.
func (h *Handlers) SaveShop(c echo.Context) error {
	v := ViewerOf(c)
	name := strings.TrimSpace(c.FormValue("shop_name"))
	errs := map[string]string{}
	if checkName(errs, "shop_name", name, "your shop's name"); len(errs) > 0 {
		return h.renderSettings(c, http.StatusUnprocessableEntity, name, v.Shop.Countries(), errs)
	}
	if err := v.Data.RenameShop(c.Request().Context(), name, actor(c)); err != nil {
		return err
	}
	h.flash(c, "success", "The shop is now called "+name+".")
	return c.Redirect(http.StatusSeeOther, "/app/settings")
}

// ago says how long ago t was, in words; "" for never.
func ago(t *time.Time, now time.Time) string {
	if t == nil {
		return ""
	}
	d := now.Sub(*t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		n := int(d.Minutes())
		return fmt.Sprintf("%d minute%s ago", n, plural(n))
	case d < 48*time.Hour:
		n := int(d.Hours())
		return fmt.Sprintf("%d hour%s ago", n, plural(n))
	}
	return t.Local().Format("Jan 2, 2006 15:04")
}
