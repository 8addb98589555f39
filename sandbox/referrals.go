package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// referralRequest is the part of Partner Referrals v2's referral_data the emulator reads.
type referralRequest struct {
	Email                 string `json:"email,omitempty"`
	TrackingID            string `json:"tracking_id"`
	PartnerConfigOverride *struct {
		ReturnURL string `json:"return_url"`
	} `json:"partner_config_override,omitempty"`
	Operations    []json.RawMessage `json:"operations"`
	Products      []string          `json:"products,omitempty"`
	LegalConsents []struct {
		Type    string `json:"type"`
		Granted bool   `json:"granted"`
	} `json:"legal_consents"`
}

// CreateReferral is POST /v2/customer/partner-referrals: it answers with the self link and the
// action_url where the seller signs up and grants the platform its permissions.
func (s *Sandbox) CreateReferral(c echo.Context) error {
	raw, err := readAll(c)
	var req referralRequest
	if err == nil {
		err = json.Unmarshal(raw, &req)
	}
	if err != nil {
		return payPalIssues(c, http.StatusBadRequest, []issue{{Location: "body", Issue: "MALFORMED_REQUEST_JSON", Description: "The request JSON is not well formed."}})
	}
	var bad []issue
	// A missing list is MISSING_REQUIRED_PARAMETER, one of the wrong length INVALID_ARRAY_LENGTH;
	// the descriptions are in lower case as customer_partner_referrals_v2.json has them.
	list := func(field string, n int, missing bool) {
		switch {
		case missing:
			bad = append(bad, issue{Field: field, Location: "body", Issue: "MISSING_REQUIRED_PARAMETER", Description: "A required field / parameter is missing."})
		case n < 1 || n > 5:
			bad = append(bad, issue{Field: field, Location: "body", Issue: "INVALID_ARRAY_LENGTH", Description: "the number of items in an array parameter is too small or too large"})
		}
	}
	list("/operations", len(req.Operations), req.Operations == nil)
	list("/legal_consents", len(req.LegalConsents), req.LegalConsents == nil)
	if n := len(req.TrackingID); n > 127 {
		bad = append(bad, issue{Field: "/tracking_id", Location: "body", Issue: "INVALID_STRING_LENGTH", Description: "the value of a field is either too short or too long"})
	}
	if len(bad) > 0 {
		return payPalIssues(c, http.StatusBadRequest, bad)
	}
	id := base64.StdEncoding.EncodeToString([]byte(uuidLike() + randomHex(16) + "v2"))
	r := &sandboxdb.Referral{ID: id, TrackingID: req.TrackingID, Body: string(raw)}
	if req.PartnerConfigOverride != nil {
		r.ReturnURL = req.PartnerConfigOverride.ReturnURL
	}
	if err := s.dir.CreateSandboxReferral(c.Request().Context(), r); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"links": s.referralLinks(id)})
}

func (s *Sandbox) referralLinks(id string) []map[string]string {
	return []map[string]string{
		{"href": s.cfg.PayPalAPIBase + "/v2/customer/partner-referrals/" + url.PathEscape(id), "rel": "self", "method": "GET",
			"description": "Read Referral Data shared by the Caller."},
		{"href": s.cfg.PayPalAPIBase + "/bizsignup/partner/entry?referralToken=" + url.QueryEscape(id), "rel": "action_url", "method": "GET",
			"description": "Target WEB REDIRECT URL for the next action. Customer should be redirected to this URL in the browser."},
	}
}

// GetReferral is GET /v2/customer/partner-referrals/:id.
func (s *Sandbox) GetReferral(c echo.Context) error {
	r, err := s.dir.SandboxReferralByID(c.Request().Context(), c.Param("id"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return payPalIssues(c, http.StatusNotFound, notFound("partner_referral_id", c.Param("id"), "path"))
	} else if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"partner_referral_id": r.ID, "referral_data": json.RawMessage(r.Body), "links": s.referralLinks(r.ID)[:1]})
}

// MerchantIntegration is GET /v1/customer/partners/:partner/merchant-integrations/:merchant: the
// seller's status as the platform sees it.
func (s *Sandbox) MerchantIntegration(c echo.Context) error {
	m, err := s.merchant(c, c.Param("merchant"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return payPalIssues(c, http.StatusNotFound, notFound("merchant_id", c.Param("merchant"), "path"))
	} else if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, merchantIntegration(m, s.cfg.PayPalClientID))
}

// FindMerchantIntegration is GET /v1/customer/partners/:partner/merchant-integrations?tracking_id=.
func (s *Sandbox) FindMerchantIntegration(c echo.Context) error {
	m, err := s.dir.SandboxMerchantByTracking(c.Request().Context(), c.QueryParam("tracking_id"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return payPalIssues(c, http.StatusNotFound, notFound("tracking_id", c.QueryParam("tracking_id"), "query"))
	} else if err != nil {
		return err
	}
	self := s.cfg.PayPalAPIBase + "/v1/customer/partners/" + c.Param("partner") + "/merchant-integrations/" + m.MerchantID
	return c.JSON(http.StatusOK, map[string]any{"merchant_id": m.MerchantID, "tracking_id": m.TrackingID,
		"links": []link{{self, "read", "GET"}}})
}

// merchant is a seller account of the emulator; the merchants the app was connected to without
// signing up here (the demo's) count as fully onboarded accounts named after their shop.
func (s *Sandbox) merchant(c echo.Context, id string) (*sandboxdb.Merchant, error) {
	m, err := s.dir.SandboxMerchantByID(c.Request().Context(), id)
	if !errors.Is(err, sandboxdb.ErrNotFound) {
		return m, err
	}
	conns, cerr := s.shops.ConnectedAccounts(c.Request().Context())
	if cerr != nil {
		return nil, cerr
	}
	for _, conn := range conns {
		if conn.Kind != "page" && conn.ID == id {
			return &sandboxdb.Merchant{MerchantID: id, LegalName: conn.ShopName, Email: sandboxdb.MerchantEmail(id),
				PermissionsGranted: true, PrimaryEmailConfirmed: true}, nil
		}
	}
	return nil, sandboxdb.ErrNotFound
}

// merchantIntegration is the merchant-integration resource (partner_referrals_v1).
func merchantIntegration(m *sandboxdb.Merchant, partnerClientID string) map[string]any {
	ready := m.PermissionsGranted && !m.ConsentRevoked
	oauth := []any{}
	if ready {
		oauth = append(oauth, map[string]any{"integration_type": "OAUTH_THIRD_PARTY", "integration_method": "PAYPAL",
			"oauth_third_party": []any{map[string]any{"partner_client_id": partnerClientID, "merchant_client_id": "sandbox-" + m.MerchantID,
				"scopes": []string{"https://uri.paypal.com/services/payments/realtimepayment", "https://uri.paypal.com/services/payments/refund",
					"https://uri.paypal.com/services/disputes/read-seller", "https://uri.paypal.com/services/disputes/update-seller"}}}})
	}
	// Capabilities are ACTIVE, SUSPENDED or REVOKED: without the platform's permissions, REVOKED.
	capStatus := "ACTIVE"
	if !ready {
		capStatus = "REVOKED"
	}
	return map[string]any{
		"merchant_id": m.MerchantID, "tracking_id": m.TrackingID, "legal_name": m.LegalName, "primary_email": m.Email,
		"payments_receivable": ready, "primary_email_confirmed": m.PrimaryEmailConfirmed,
		"products":           []any{map[string]any{"name": "EXPRESS_CHECKOUT", "vetting_status": "SUBSCRIBED", "capabilities": []string{"RECEIVE_MONEY", "SEND_MONEY", "WITHDRAW_MONEY"}}},
		"capabilities":       []any{map[string]string{"name": "RECEIVE_MONEY", "status": capStatus}, map[string]string{"name": "SEND_MONEY", "status": capStatus}},
		"oauth_integrations": oauth,
	}
}

// RevokeConsentAPI is the control API POST /sandbox/paypal/api/merchants/:merchant/revoke: the
// seller takes the platform's permissions away, and MERCHANT.PARTNER-CONSENT.REVOKED is sent.
func (s *Sandbox) RevokeConsentAPI(c echo.Context) error {
	id := c.Param("merchant")
	m, err := s.merchant(c, id)
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "no sandbox merchant "+id)
	} else if err != nil {
		return err
	}
	if err := s.dir.RevokeSandboxConsent(c.Request().Context(), id); errors.Is(err, sandboxdb.ErrNotFound) {
		// A merchant the app knew before the emulator: remember it as revoked from now on.
		m.ConsentRevoked, m.PermissionsGranted = true, false
		if err := s.dir.CompleteSandboxReferral(c.Request().Context(), "", m); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	resource, _ := json.Marshal(map[string]string{"merchant_id": id, "tracking_id": m.TrackingID})
	eventID, err := s.emitPayPal("MERCHANT.PARTNER-CONSENT.REVOKED", resource)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"merchant_id": id, "event_id": eventID})
}

func readAll(c echo.Context) ([]byte, error) {
	return io.ReadAll(io.LimitReader(c.Request().Body, 1<<20))
}
