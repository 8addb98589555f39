package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// Vault v3 (vault_payment_tokens_v3.json) for PayPal wallets: the merchant makes a setup token,
// the buyer approves it on the emulator's consent page, the merchant exchanges it for a payment
// token, and orders with payment_source.paypal.vault_id are then paid without the buyer.
type (
	vaultCustomer struct {
		ID string `json:"id,omitempty"`
	}
	vaultWallet struct {
		Description                 string             `json:"description,omitempty"`
		UsageType                   string             `json:"usage_type,omitempty"`
		CustomerType                string             `json:"customer_type,omitempty"`
		PermitMultiplePaymentTokens bool               `json:"permit_multiple_payment_tokens"`
		ExperienceContext           *experienceContext `json:"experience_context,omitempty"`
		EmailAddress                string             `json:"email_address,omitempty"`
		PayerID                     string             `json:"payer_id,omitempty"`
		Name                        *name              `json:"name,omitempty"`
		Address                     *address           `json:"address,omitempty"`
	}
	setupToken struct {
		ID            string         `json:"id,omitempty"`
		Customer      *vaultCustomer `json:"customer,omitempty"`
		Status        string         `json:"status,omitempty"`
		PaymentSource struct {
			PayPal *vaultWallet     `json:"paypal,omitempty"`
			Card   *json.RawMessage `json:"card,omitempty"`
			Venmo  *json.RawMessage `json:"venmo,omitempty"`
		} `json:"payment_source"`
		Links []link `json:"links,omitempty"`
	}
	paymentToken struct {
		ID            string         `json:"id,omitempty"`
		Customer      *vaultCustomer `json:"customer,omitempty"`
		PaymentSource struct {
			PayPal *vaultWallet `json:"paypal,omitempty"`
			Token  *struct {
				ID   string `json:"id"`
				Type string `json:"type"`
			} `json:"token,omitempty"`
			Card *json.RawMessage `json:"card,omitempty"`
		} `json:"payment_source"`
		Links []link `json:"links,omitempty"`
	}
)

// CreateSetupToken is POST /v3/vault/setup-tokens: a PayPal wallet to vault, with the URLs the
// buyer returns to from the consent page.
func (s *Sandbox) CreateSetupToken(c echo.Context) error {
	var t setupToken
	if err := json.NewDecoder(c.Request().Body).Decode(&t); err != nil {
		return payPalIssues(c, http.StatusBadRequest, malformedJSON())
	}
	if c.Request().Header.Get("PayPal-Request-Id") == "" {
		return payPalIssues(c, http.StatusBadRequest, missingRequestID())
	}
	return s.idempotent(c, "vault.setup-tokens", func() (int, any, error) {
		if status, bad := validateSetupToken(&t); status != 0 {
			return status, errorBody(status, bad), nil
		}
		ec := t.PaymentSource.PayPal.ExperienceContext
		t.ID, t.Status = payPalID(), "PAYER_ACTION_REQUIRED"
		if t.Customer == nil || t.Customer.ID == "" {
			t.Customer = &vaultCustomer{ID: "customer_" + strings.ToLower(randomHex(6))}
		}
		t.PaymentSource.PayPal.ExperienceContext = nil // kept apart, as PayPal does not echo it
		stored := &sandboxdb.SetupToken{ID: t.ID, MerchantID: assertedMerchant(c), CustomerID: t.Customer.ID,
			Status: t.Status, ReturnURL: ec.ReturnURL, CancelURL: ec.CancelURL}
		body, err := json.Marshal(t)
		if err != nil {
			return 0, nil, err
		}
		stored.Body = string(body)
		if err := s.dir.CreateSandboxSetupToken(c.Request().Context(), stored); err != nil {
			return 0, nil, err
		}
		t.Links = s.setupTokenLinks(&t)
		return http.StatusCreated, t, nil
	})
}

func validateSetupToken(t *setupToken) (int, []issue) {
	ps := t.PaymentSource
	switch {
	case ps.Card != nil || ps.Venmo != nil:
		return 422, []issue{{Field: "/payment_source", Location: "body", Issue: "PAYMENT_SOURCE_NOT_SUPPORTED",
			Description: "The sandbox vaults PayPal wallets only."}}
	case ps.PayPal == nil:
		return 400, []issue{{Field: "/payment_source/paypal", Location: "body", Issue: "MISSING_REQUIRED_PARAMETER",
			Description: "A required field / parameter is missing."}}
	}
	var bad []issue
	missing := func(field string) {
		bad = append(bad, issue{Field: field, Location: "body", Issue: "MISSING_REQUIRED_PARAMETER", Description: "A required field / parameter is missing."})
	}
	if ps.PayPal.UsageType == "" {
		missing("/payment_source/paypal/usage_type")
	}
	ec := ps.PayPal.ExperienceContext
	if ec == nil || ec.ReturnURL == "" {
		missing("/payment_source/paypal/experience_context/return_url")
	}
	if ec == nil || ec.CancelURL == "" {
		missing("/payment_source/paypal/experience_context/cancel_url")
	}
	if len(bad) > 0 {
		return 400, bad
	}
	return 0, nil
}

// GetSetupToken is GET /v3/vault/setup-tokens/:id.
func (s *Sandbox) GetSetupToken(c echo.Context) error {
	t, _, err := s.loadSetupToken(c, c.Param("id"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return payPalIssues(c, http.StatusNotFound, notFound("id", c.Param("id"), "path"))
	} else if err != nil {
		return err
	}
	t.Links = s.setupTokenLinks(t)
	return c.JSON(http.StatusOK, t)
}

// CreatePaymentToken is POST /v3/vault/payment-tokens with payment_source.token {id, type
// SETUP_TOKEN}: an approved setup token becomes a payment token, once.
func (s *Sandbox) CreatePaymentToken(c echo.Context) error {
	var req paymentToken
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
		return payPalIssues(c, http.StatusBadRequest, malformedJSON())
	}
	if c.Request().Header.Get("PayPal-Request-Id") == "" {
		return payPalIssues(c, http.StatusBadRequest, missingRequestID())
	}
	ctx := c.Request().Context()
	return s.idempotent(c, "vault.payment-tokens", func() (int, any, error) {
		tok := req.PaymentSource.Token
		if tok == nil || tok.ID == "" || tok.Type != "SETUP_TOKEN" {
			return 400, errorBody(400, []issue{{Field: "/payment_source/token", Location: "body", Issue: "MISSING_REQUIRED_PARAMETER",
				Description: "A required field / parameter is missing."}}), nil
		}
		setup, stored, err := s.loadSetupToken(c, tok.ID)
		if errors.Is(err, sandboxdb.ErrNotFound) {
			return 404, errorBody(404, notFound("/payment_source/token/id", tok.ID, "body")), nil
		} else if err != nil {
			return 0, nil, err
		}
		if stored.Status == "VAULTED" { // the same approval asked twice: PayPal answers with the token it made
			p, _, err := s.loadPaymentToken(c, stored.PaymentTokenID)
			if err != nil {
				return 0, nil, err
			}
			p.Links = s.paymentTokenLinks(p.ID)
			return http.StatusOK, p, nil
		}
		if stored.Status != "APPROVED" {
			return 422, errorBody(422, []issue{{Field: "/payment_source/token/id", Value: tok.ID, Location: "body",
				Issue: "SETUP_TOKEN_NOT_APPROVED", Description: "The payer has not approved the setup token yet."}}), nil
		}
		p := paymentToken{ID: strings.ToLower(randomHex(4)), Customer: setup.Customer}
		p.PaymentSource.PayPal = setup.PaymentSource.PayPal
		body, err := json.Marshal(p)
		if err != nil {
			return 0, nil, err
		}
		setup.Status = "VAULTED"
		setupBody, err := json.Marshal(setup)
		if err != nil {
			return 0, nil, err
		}
		row := &sandboxdb.PaymentToken{ID: p.ID, MerchantID: stored.MerchantID, CustomerID: stored.CustomerID,
			PayerID: stored.PayerID, Body: string(body)}
		vaulted, err := s.dir.VaultSandboxSetupToken(ctx, stored.ID, string(setupBody), row)
		if err != nil {
			return 0, nil, err
		}
		if !vaulted {
			return 422, errorBody(422, []issue{{Field: "/payment_source/token/id", Value: tok.ID, Location: "body",
				Issue: "SETUP_TOKEN_NOT_APPROVED", Description: "The setup token was already used or is not approved."}}), nil
		}
		p.Links = s.paymentTokenLinks(p.ID)
		return http.StatusCreated, p, nil
	})
}

// GetPaymentToken is GET /v3/vault/payment-tokens/:id.
func (s *Sandbox) GetPaymentToken(c echo.Context) error {
	p, _, err := s.loadPaymentToken(c, c.Param("id"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return payPalIssues(c, http.StatusNotFound, notFound("id", c.Param("id"), "path"))
	} else if err != nil {
		return err
	}
	p.Links = s.paymentTokenLinks(p.ID)
	return c.JSON(http.StatusOK, p)
}

// ListPaymentTokens is GET /v3/vault/payment-tokens?customer_id=: a customer's vault.
func (s *Sandbox) ListPaymentTokens(c echo.Context) error {
	customer := c.QueryParam("customer_id")
	if customer == "" {
		return payPalIssues(c, http.StatusBadRequest, []issue{{Field: "customer_id", Location: "query",
			Issue: "MISSING_REQUIRED_PARAMETER", Description: "A required field / parameter is missing."}})
	}
	rows, err := s.dir.SandboxPaymentTokens(c.Request().Context(), customer)
	if err != nil {
		return err
	}
	tokens := []paymentToken{}
	for _, row := range rows {
		if othersOf(c, row.MerchantID) {
			continue
		}
		var p paymentToken
		if err := json.Unmarshal([]byte(row.Body), &p); err != nil {
			return err
		}
		p.Links = s.paymentTokenLinks(p.ID)
		tokens = append(tokens, p)
	}
	self := s.cfg.PayPalAPIBase + "/v3/vault/payment-tokens?customer_id=" + customer
	return c.JSON(http.StatusOK, map[string]any{"customer": vaultCustomer{ID: customer}, "payment_tokens": tokens,
		"total_items": len(tokens), "total_pages": 1, "links": []link{{self, "self", "GET"}, {self, "first", "GET"}, {self, "last", "GET"}}})
}

// DeletePaymentToken is DELETE /v3/vault/payment-tokens/:id: the merchant may charge it no more.
func (s *Sandbox) DeletePaymentToken(c echo.Context) error {
	id := c.Param("id")
	if _, _, err := s.loadPaymentToken(c, id); errors.Is(err, sandboxdb.ErrNotFound) {
		return payPalIssues(c, http.StatusNotFound, notFound("id", id, "path"))
	} else if err != nil {
		return err
	}
	if err := s.dir.DeleteSandboxPaymentToken(c.Request().Context(), id); err != nil && !errors.Is(err, sandboxdb.ErrNotFound) {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// approveSetupToken records a buyer's vault consent.
func (s *Sandbox) approveSetupToken(c echo.Context, id string, b Buyer) (*sandboxdb.SetupToken, error) {
	t, stored, err := s.loadSetupToken(c, id)
	if err != nil {
		return nil, err
	}
	w := t.PaymentSource.PayPal
	w.EmailAddress, w.PayerID = b.Email, b.PayerID()
	w.Name, w.Address = b.payerName(), &address{CountryCode: b.Country}
	t.Status = "APPROVED"
	body, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	approved, err := s.dir.ApproveSandboxSetupToken(c.Request().Context(), id, b.PayerID(), string(body))
	if err != nil {
		return nil, err
	}
	if !approved {
		return nil, errSetupNotApprovable
	}
	stored.Status, stored.PayerID = "APPROVED", b.PayerID()
	return stored, nil
}

// loadSetupToken reads a setup token; another merchant's is not found.
func (s *Sandbox) loadSetupToken(c echo.Context, id string) (*setupToken, *sandboxdb.SetupToken, error) {
	stored, err := s.dir.SandboxSetupTokenByID(c.Request().Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if othersOf(c, stored.MerchantID) {
		return nil, nil, sandboxdb.ErrNotFound
	}
	var t setupToken
	if err := json.Unmarshal([]byte(stored.Body), &t); err != nil {
		return nil, nil, err
	}
	return &t, stored, nil
}

// loadPaymentToken reads a payment token; another merchant's is not found.
func (s *Sandbox) loadPaymentToken(c echo.Context, id string) (*paymentToken, *sandboxdb.PaymentToken, error) {
	stored, err := s.dir.SandboxPaymentTokenByID(c.Request().Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if othersOf(c, stored.MerchantID) {
		return nil, nil, sandboxdb.ErrNotFound
	}
	var p paymentToken
	if err := json.Unmarshal([]byte(stored.Body), &p); err != nil {
		return nil, nil, err
	}
	return &p, stored, nil
}

func (s *Sandbox) setupTokenLinks(t *setupToken) []link {
	self := s.cfg.PayPalAPIBase + "/v3/vault/setup-tokens/" + t.ID
	links := []link{{self, "self", "GET"}}
	switch t.Status {
	case "PAYER_ACTION_REQUIRED":
		links = append(links, link{s.vaultApproveURL(t.ID), "approve", "GET"})
	case "APPROVED":
		links = append(links, link{s.cfg.PayPalAPIBase + "/v3/vault/payment-tokens", "confirm", "POST"})
	}
	return links
}

func (s *Sandbox) paymentTokenLinks(id string) []link {
	self := s.cfg.PayPalAPIBase + "/v3/vault/payment-tokens/" + id
	return []link{{self, "self", "GET"}, {self, "delete", "DELETE"}}
}

// vaultApproveURL is the buyer's consent page for a setup token.
func (s *Sandbox) vaultApproveURL(id string) string {
	return strings.TrimSuffix(s.cfg.PayPalAPIBase, "/") + "/agreements/approve?approval_session_id=" + id
}

// othersOf reports whether a resource of owner (a merchant id, or "" for the partner's own) is
// another merchant's than the one the call acts for: such resources are not found.
func othersOf(c echo.Context, owner string) bool {
	m := assertedMerchant(c)
	return m != "" && owner != "" && m != owner
}

// assertedMerchant is the merchant a partner acts for (PayPal-Auth-Assertion), or "".
func assertedMerchant(c echo.Context) string {
	parts := strings.Split(c.Request().Header.Get("PayPal-Auth-Assertion"), ".")
	if len(parts) < 2 {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		PayerID string `json:"payer_id"`
	}
	if json.Unmarshal(raw, &claims) != nil {
		return ""
	}
	return claims.PayerID
}

var errSetupNotApprovable = errors.New("the setup token is not waiting for approval")

// missingRequestID is the refusal of a vault call without its required PayPal-Request-Id.
func missingRequestID() []issue {
	return []issue{{Field: "PayPal-Request-Id", Location: "header", Issue: "MISSING_REQUIRED_PARAMETER",
		Description: "A required field / parameter is missing."}}
}

func malformedJSON() []issue {
	return []issue{{Location: "body", Issue: "MALFORMED_REQUEST_JSON", Description: "The request JSON is not well formed."}}
}
