package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/connect"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

const payPalSettings = "/app/settings/paypal"

// ShowPayPalSettings renders the shop's PayPal account and the Connect with PayPal button.
func (h *Handlers) ShowPayPalSettings(c echo.Context) error {
	v := ViewerOf(c)
	conns, err := v.Data.Connections(c.Request().Context())
	if err != nil {
		return err
	}
	vm := pages.PayPalSettings{Page: h.page(c, "PayPal", "settings", layout.ShopConsole)}
	if a := conns.PayPal; a != nil {
		vm.Account = &pages.PayPalAccountView{MerchantID: a.MerchantID, LegalName: a.LegalName, Email: a.Email, Status: a.Status,
			Problem: a.Problem, PaymentsReceivable: a.PaymentsReceivable, EmailConfirmed: a.PrimaryEmailConfirmed, Checked: ago(a.CheckedAt, h.now())}
	}
	return render.Render(c, http.StatusOK, pages.PayPalSettingsPage(vm))
}

// ConnectPayPal asks PayPal's Partner Referrals for a sign-up link naming the shop, and sends the
// owner there; PayPal sends them back to PayPalReturn. It is a GET, reached by a link: a form
// could not redirect the browser to PayPal under the form-action 'self' policy, and making a
// sign-up link changes nothing of the shop's.
func (h *Handlers) ConnectPayPal(c echo.Context) error {
	v := ViewerOf(c)
	ref, err := h.PayPal.CreatePartnerReferral(c.Request().Context(), models.TrackingID(v.Shop.ID), h.BaseURL+payPalSettings+"/return")
	if err != nil || ref.ActionURL == "" {
		h.flash(c, "error", "PayPal could not start the sign-up just now. Try again in a moment.")
		return c.Redirect(http.StatusSeeOther, payPalSettings)
	}
	return c.Redirect(http.StatusSeeOther, ref.ActionURL)
}

// PayPalReturn is where PayPal sends the owner back after signing up. The query says who they are
// and what they agreed to; it is only a hint, so the account is confirmed with merchant-integrations
// before it is kept: it must be the seller this shop sent, and PayPal must say whether it can take
// payments.
func (h *Handlers) PayPalReturn(c echo.Context) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	q := c.QueryParams()
	merchantID := q.Get("merchantIdInPayPal")
	fail := func(msg string) error {
		h.flash(c, "error", msg)
		return c.Redirect(http.StatusSeeOther, payPalSettings)
	}
	if q.Get("merchantId") != models.TrackingID(v.Shop.ID) || merchantID == "" {
		return fail("That PayPal sign-up was not started from this shop. Use Connect with PayPal below.")
	}
	if q.Get("permissionsGranted") != "true" || q.Get("consentStatus") != "true" {
		return fail("PayPal says you did not grant chatshop the permissions it needs to take payments for you. Connect again and agree to them on PayPal.")
	}
	m, err := connect.Merchant(ctx, h.PayPal, merchantID)
	if err != nil {
		return fail("PayPal could not confirm your account just now. It will be confirmed when PayPal tells chatshop your sign-up is complete; or connect again in a moment.")
	}
	if m.TrackingID != models.TrackingID(v.Shop.ID) {
		return fail("That PayPal account was signed up for another shop.")
	}
	if err := v.Data.ConnectPayPal(ctx, m, actor(c)); errors.Is(err, models.ErrConflict) {
		return fail("That PayPal account is connected to another chatshop shop.")
	} else if err != nil {
		return err
	}
	switch {
	case m.PaymentsReceivable && m.PrimaryEmailConfirmed && m.PermissionsGranted:
		h.flash(c, "success", "PayPal is connected: shoppers can pay you in the chat.")
	case q.Get("isEmailConfirmed") == "false":
		h.flash(c, "info", "Your PayPal account is linked. Confirm your email address with PayPal (they sent you a link), then use Check status.")
	default:
		h.flash(c, "info", "Your PayPal account is linked, but PayPal cannot take payments for it yet. See below for what is missing.")
	}
	return c.Redirect(http.StatusSeeOther, payPalSettings)
}

// RefreshPayPal reads the account's status from merchant-integrations again.
func (h *Handlers) RefreshPayPal(c echo.Context) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	conns, err := v.Data.Connections(ctx)
	if err != nil {
		return err
	}
	if conns.PayPal == nil {
		h.flash(c, "error", "No PayPal account is connected.")
		return c.Redirect(http.StatusSeeOther, payPalSettings)
	}
	m, err := connect.Merchant(ctx, h.PayPal, conns.PayPal.MerchantID)
	if err != nil {
		h.flash(c, "error", "PayPal did not answer just now. Try again in a moment.")
		return c.Redirect(http.StatusSeeOther, payPalSettings)
	}
	if err := v.Data.RecordMerchantStatus(ctx, m); err != nil {
		return err
	}
	h.flash(c, "success", "Status updated from PayPal.")
	return c.Redirect(http.StatusSeeOther, payPalSettings)
}

// DisconnectPayPal asks for confirmation, then stops the shop from taking PayPal payments.
func (h *Handlers) DisconnectPayPal(c echo.Context) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	if c.FormValue("confirm") != "1" {
		return render.Render(c, http.StatusOK, pages.ConfirmPage(pages.Confirm{Page: h.page(c, "Disconnect PayPal", "settings", layout.ShopConsole),
			Heading: "Disconnect PayPal?", Action: payPalSettings + "/disconnect", Button: "Disconnect", Danger: true, CancelTo: payPalSettings,
			Message: "Shoppers can no longer pay in the chat until you connect PayPal again. Payments already made, refunds and disputes are not affected; to remove chatshop's permissions entirely, also revoke them in your PayPal account."}))
	}
	if err := v.Data.DisconnectPayPal(ctx, actor(c)); err != nil {
		return err
	}
	h.flash(c, "success", "PayPal is disconnected.")
	return c.Redirect(http.StatusSeeOther, payPalSettings)
}
