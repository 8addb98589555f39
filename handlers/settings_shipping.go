package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/money"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// maxRateMinor bounds a rate or a "free from" amount: 100,000 in the currency's major unit.
const maxRateMinor = 100_000_00

// ShowShippingSettings renders the shop's shipping rates, a row a country it sells to.
func (h *Handlers) ShowShippingSettings(c echo.Context) error {
	v := ViewerOf(c)
	rates, err := v.Data.ShippingRates(c.Request().Context())
	if err != nil {
		return err
	}
	var rows []pages.ShippingRateRow
	for _, code := range v.Shop.Countries() {
		row := pages.ShippingRateRow{Country: code, Name: countryName(code)}
		if r, ok := rates[code]; ok {
			row.Rate = money.DecimalString(r.RateMinor, v.Shop.Currency)
			if r.FreeAboveMinor != nil {
				row.FreeAbove = money.DecimalString(*r.FreeAboveMinor, v.Shop.Currency)
			}
		}
		rows = append(rows, row)
	}
	return h.renderShippingSettings(c, http.StatusOK, rows, "")
}

func (h *Handlers) renderShippingSettings(c echo.Context, status int, rows []pages.ShippingRateRow, problem string) error {
	v := ViewerOf(c)
	return render.Render(c, status, pages.ShippingSettingsPage(pages.ShippingSettings{
		Page: h.page(c, "Shipping rates", "settings", layout.ShopConsole), Currency: v.Shop.Currency, Rows: rows, Problem: problem}))
}

// SaveShippingSettings replaces the shop's rates with the form's; a bad amount changes nothing.
func (h *Handlers) SaveShippingSettings(c echo.Context) error {
	v := ViewerOf(c)
	currency := v.Shop.Currency
	var rows []pages.ShippingRateRow
	var rates []models.ShippingRate
	bad := false
	for _, code := range v.Shop.Countries() {
		row := pages.ShippingRateRow{Country: code, Name: countryName(code),
			Rate: strings.TrimSpace(c.FormValue("rate_" + code)), FreeAbove: strings.TrimSpace(c.FormValue("free_" + code))}
		rate := models.ShippingRate{Country: code}
		if row.Rate != "" {
			minor, err := money.ParseAmount(row.Rate, currency)
			if err != nil || minor < 0 || minor > maxRateMinor {
				row.Problem, bad = "Write the rate as an amount like 5.00 (up to 100,000).", true
			}
			rate.RateMinor = minor
		}
		if row.FreeAbove != "" {
			minor, err := money.ParseAmount(row.FreeAbove, currency)
			if err != nil || minor < 0 || minor > maxRateMinor {
				row.Problem, bad = "Write “free from” as an amount like 50.00, or leave it empty.", true
			}
			rate.FreeAboveMinor = &minor
		}
		rows = append(rows, row)
		if rate.RateMinor > 0 {
			rates = append(rates, rate)
		}
	}
	if bad {
		return h.renderShippingSettings(c, http.StatusUnprocessableEntity, rows, "Nothing was saved: fix the amounts below.")
	}
	if err := v.Data.SetShippingRates(c.Request().Context(), rates, actor(c)); err != nil {
		return err
	}
	h.flash(c, "success", "Shipping rates saved. They apply to orders placed from now on.")
	return c.Redirect(http.StatusSeeOther, "/app/settings/shipping")
}

// countryName is a country's name as a label reads: "United States".
func countryName(code string) string {
	return strings.TrimPrefix(models.CountryNames([]string{code}), "the ")
}
