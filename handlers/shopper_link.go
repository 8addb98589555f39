package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// Linking PayPal to Messenger: the Log In button opens LinkPayPal with Messenger's
// account_linking_token and redirect_uri. We learn the shopper from the token (Graph API), make a
// PayPal vault setup token for the shop's merchant and send the shopper to PayPal's consent page.
// PayPal sends them back to LinkPayPalReturn, where the approved setup token becomes a payment
// token; the shopper goes back to Messenger's redirect_uri with an authorization_code, which the
// account_linking webhook brings to the worker to link the shopper.

// providerTimeout bounds the provider calls a shopper waits for.
const providerTimeout = 15 * time.Second

// LinkPayPal is GET /link/paypal?page=&account_linking_token=&redirect_uri=.
func (h *Handlers) LinkPayPal(c echo.Context) error {
	pageID, alt, redirect := c.QueryParam("page"), c.QueryParam("account_linking_token"), c.QueryParam("redirect_uri")
	if pageID == "" || alt == "" || !h.messengerRedirect(redirect) {
		return h.linkNotice(c, http.StatusBadRequest, "", "This link is incomplete", "Go back to Messenger and tap the button there again.")
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), providerTimeout)
	defer cancel()
	sh, front, err := h.linkingShopper(ctx, pageID, alt)
	switch {
	case errors.Is(err, errLinkRefused):
		return h.linkNotice(c, http.StatusBadRequest, "", "This link has expired",
			"Links from Messenger last five minutes. Go back to Messenger and tap the button there again.")
	case errors.Is(err, models.ErrNotFound):
		return h.linkNotice(c, http.StatusNotFound, "", "This shop is not taking orders here any more", "Nothing was linked.")
	case err != nil:
		return err
	case front.MerchantID == "":
		return h.linkNotice(c, http.StatusConflict, front.Name, "PayPal is not available right now",
			front.Name+" can't take PayPal payments at the moment. Nothing was linked.")
	}
	state := randomHex(24)
	back := strings.TrimRight(h.BaseURL, "/") + "/link/paypal/return?state=" + state
	st, err := h.PayPal.CreateSetupToken(ctx, front.MerchantID, "link-"+state, paypal.SetupTokenRequest{
		Description: "Pay " + front.Name + " in Messenger with one tap", BrandName: front.Name,
		ReturnURL: back, CancelURL: back + "&cancelled=1"})
	if err != nil {
		return h.linkNotice(c, http.StatusBadGateway, front.Name, "PayPal could not start linking",
			"Please try again in a moment from Messenger. Nothing was linked.")
	}
	l := &models.PayPalLink{ShopID: sh.ShopID, ShopperID: sh.ID, State: state, RedirectURI: redirect, SetupTokenID: st.ID}
	if err := h.Checkout.StartLink(l); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, st.ApproveURL())
}

var errLinkRefused = errors.New("Messenger refused the account_linking_token")

// linkingShopper is the shopper behind an account_linking_token of the Page (Messenger says whose
// it is, while it is valid), and their shop.
func (h *Handlers) linkingShopper(ctx context.Context, pageID, alt string) (*models.Shopper, *models.Storefront, error) {
	shopID, err := h.Checkout.ShopForPage(ctx, pageID)
	if err != nil {
		return nil, nil, err
	}
	token, err := h.Checkout.PageToken(ctx, shopID, pageID)
	if err != nil {
		return nil, nil, err
	}
	psid, err := h.Graph.AccountLinkingRecipient(ctx, token, alt)
	if err != nil {
		if messenger.Retryable(err) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("%w: %w", errLinkRefused, err)
	}
	sh, err := h.Checkout.ShopperOnPage(ctx, pageID, psid)
	if err != nil {
		return nil, nil, err
	}
	front, err := h.Checkout.Storefront(sh.ShopID)
	return sh, front, err
}

// LinkPayPalReturn is where PayPal sends the shopper back from its consent page
// (?state=&approval_token_id=, or &cancelled=1).
func (h *Handlers) LinkPayPalReturn(c echo.Context) error {
	l, err := h.Checkout.LinkByState(c.QueryParam("state"))
	switch {
	case errors.Is(err, models.ErrNotFound):
		return h.linkNotice(c, http.StatusNotFound, "", "This link is not valid", "Go back to Messenger and tap the button there again.")
	case errors.Is(err, models.ErrLinkExpired):
		return h.linkNotice(c, http.StatusGone, "", "This link has expired", "Go back to Messenger and tap the button there again.")
	case err != nil:
		return err
	}
	approved := c.QueryParam("approval_token_id")
	if c.QueryParam("cancelled") != "" || approved == "" {
		return c.Redirect(http.StatusSeeOther, l.RedirectURI) // no code: Messenger tells the shopper linking did not finish
	}
	if approved != l.SetupTokenID {
		return h.linkNotice(c, http.StatusBadRequest, "", "This link is not valid", "Go back to Messenger and tap the button there again.")
	}
	front, err := h.Checkout.Storefront(l.ShopID)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), providerTimeout)
	defer cancel()
	pt, err := h.PayPal.CreatePaymentToken(ctx, front.MerchantID, l.SetupTokenID)
	if err != nil {
		return h.linkNotice(c, http.StatusBadGateway, front.Name, "PayPal could not link your account",
			"Please try again in a moment from Messenger. Nothing was linked.")
	}
	email, country := "", ""
	if w := pt.PaymentSource.PayPal; w != nil {
		email = w.EmailAddress
		if w.Address != nil {
			country = w.Address.CountryCode
		}
	}
	if err := h.Checkout.LinkVaulted(l, pt.ID, email, country, randomHex(24)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, withQuery(l.RedirectURI, "authorization_code", l.AuthorizationCode))
}

// messengerRedirect accepts only Messenger's redirect_uri (or the sandbox's), so the link page
// never sends a shopper's code elsewhere.
func (h *Handlers) messengerRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return false
	}
	if h.Sandbox {
		return strings.HasPrefix(raw, strings.TrimRight(h.BaseURL, "/")+"/sandbox/messenger/account_linking")
	}
	return u.Scheme == "https" && (u.Host == "www.facebook.com" || u.Host == "facebook.com") &&
		strings.HasPrefix(u.Path, "/messenger_platform/account_linking")
}

func (h *Handlers) linkNotice(c echo.Context, status int, shop, title, message string) error {
	return render.Render(c, status, pages.ShopperNoticePage(pages.ShopperNotice{Shop: shop, Title: title, Message: message, Sandbox: h.Sandbox}))
}

// withQuery adds a parameter to a URL that may carry its own.
func withQuery(raw, key, value string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
