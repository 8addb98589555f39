package sandbox

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/sandbox/views"
	"github.com/chatshop/chatshop/views/render"
)

// OnboardingPage is PayPal's seller sign-up reached from a referral's action_url.
func (s *Sandbox) OnboardingPage(c echo.Context) error {
	r, err := s.dir.SandboxReferralByID(c.Request().Context(), c.QueryParam("referralToken"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "This sign-up link is not valid.")
	} else if err != nil {
		return err
	}
	vm := views.SandboxOnboarding{ReferralID: r.ID, Platform: "chatshop", LegalName: "Sandbox Store " + r.TrackingID,
		Email: "sb-store-" + r.TrackingID + "@business.example.com"}
	if r.MerchantID != "" {
		vm.Done = "This sign-up was completed already (merchant " + r.MerchantID + ")."
	}
	return render.Render(c, http.StatusOK, views.SandboxOnboardingPage(vm))
}

// OnboardingComplete creates the seller's sandbox account, sends MERCHANT.ONBOARDING.COMPLETED
// when permissions were granted, and returns the seller to the platform's return_url with
// PayPal's query parameters.
func (s *Sandbox) OnboardingComplete(c echo.Context) error {
	ctx := c.Request().Context()
	r, err := s.dir.SandboxReferralByID(ctx, c.FormValue("referral"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "This sign-up link is not valid.")
	} else if err != nil {
		return err
	}
	if r.MerchantID != "" {
		return c.Redirect(http.StatusSeeOther, s.cfg.PayPalAPIBase+"/bizsignup/partner/entry?referralToken="+url.QueryEscape(r.ID))
	}
	m := &sandboxdb.Merchant{MerchantID: newMerchantID(), TrackingID: r.TrackingID, LegalName: c.FormValue("legal_name"),
		Email: c.FormValue("email"), PermissionsGranted: c.FormValue("grant") == "1", PrimaryEmailConfirmed: c.FormValue("email_confirmed") == "1"}
	if err := s.dir.CompleteSandboxReferral(ctx, r.ID, m); err != nil {
		return err
	}
	if m.PermissionsGranted {
		self := s.cfg.PayPalAPIBase + "/v1/customer/partners/" + s.cfg.PayPalPartnerID + "/merchant-integrations/" + m.MerchantID
		resource, _ := json.Marshal(map[string]any{"partner_client_id": s.cfg.PayPalClientID, "merchant_id": m.MerchantID, "tracking_id": m.TrackingID,
			"links": []map[string]string{{"method": "GET", "rel": "self", "href": self,
				"description": "Get the merchant status information of merchants onboarded by this partner"}}})
		if _, err := s.emitPayPal("MERCHANT.ONBOARDING.COMPLETED", resource); err != nil {
			return err
		}
	}
	if r.ReturnURL == "" {
		return c.Redirect(http.StatusSeeOther, s.cfg.PayPalAPIBase+"/bizsignup/partner/entry?referralToken="+url.QueryEscape(r.ID))
	}
	back, err := url.Parse(r.ReturnURL)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The platform's return URL is not valid.")
	}
	q := back.Query()
	yes := map[bool]string{true: "true", false: "false"}
	q.Set("merchantId", r.TrackingID)
	q.Set("merchantIdInPayPal", m.MerchantID)
	q.Set("permissionsGranted", yes[m.PermissionsGranted])
	q.Set("consentStatus", yes[m.PermissionsGranted])
	q.Set("productIntentId", "addipmt")
	q.Set("productIntentID", "addipmt")
	q.Set("isEmailConfirmed", yes[m.PrimaryEmailConfirmed])
	q.Set("accountStatus", "BUSINESS_ACCOUNT")
	back.RawQuery = q.Encode()
	return c.Redirect(http.StatusSeeOther, back.String())
}

// newMerchantID is a new 13-character PayPal merchant id.
func newMerchantID() string {
	const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	b := make([]byte, 13)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
