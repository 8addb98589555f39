package sandbox

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/sandbox/views"
	"github.com/chatshop/chatshop/views/render"
)

// VaultPage is PayPal's consent page for a setup token (its approve link): sign in as a sandbox
// buyer, then agree to be charged later, or cancel.
func (s *Sandbox) VaultPage(c echo.Context) error {
	t, stored, err := s.loadSetupToken(c, c.QueryParam("approval_session_id"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "This link to save PayPal is not valid.")
	} else if err != nil {
		return err
	}
	vm := views.SandboxVault{SetupTokenID: t.ID, Merchant: s.merchantName(c, stored.MerchantID),
		Description: t.PaymentSource.PayPal.Description, Buyers: buyerChoices()}
	if stored.MerchantID == "" {
		vm.Merchant = "the merchant"
	}
	if t.Status != "PAYER_ACTION_REQUIRED" {
		vm.Done = "You already agreed. You can close this page."
	}
	return render.Render(c, http.StatusOK, views.SandboxVaultPage(vm))
}

// VaultApprove records the chosen buyer's consent and sends them back to the merchant's return
// URL with approval_token_id and approval_session_id.
func (s *Sandbox) VaultApprove(c echo.Context) error {
	id := c.FormValue("approval_session_id")
	b, ok := buyerByEmail(c.FormValue("buyer"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose one of the sandbox buyers.")
	}
	stored, err := s.approveSetupToken(c, id, b)
	switch {
	case errors.Is(err, sandboxdb.ErrNotFound):
		return echo.NewHTTPError(http.StatusNotFound, "This link to save PayPal is not valid.")
	case errors.Is(err, errSetupNotApprovable):
		return c.Redirect(http.StatusSeeOther, s.vaultApproveURL(id))
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, vaultReturnURL(stored.ReturnURL, id))
}

// VaultCancel sends the buyer back to the merchant's cancel URL.
func (s *Sandbox) VaultCancel(c echo.Context) error {
	id := c.FormValue("approval_session_id")
	_, stored, err := s.loadSetupToken(c, id)
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "This link to save PayPal is not valid.")
	} else if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, vaultReturnURL(stored.CancelURL, id))
}

// ApproveSetupTokenAPI is the control API POST /sandbox/paypal/api/vault/approve
// {setup_token_id, buyer?}: the consent page's Agree, for tests and the benchmark.
func (s *Sandbox) ApproveSetupTokenAPI(c echo.Context) error {
	var req struct {
		SetupTokenID string `json:"setup_token_id"`
		Buyer        string `json:"buyer"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil || req.SetupTokenID == "" {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, `send {"setup_token_id": "...", "buyer": "buyer@sandbox.chatshop.test"}`)
	}
	b, ok := buyerByEmail(req.Buyer)
	if !ok {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "unknown buyer "+req.Buyer+"; see GET /sandbox/api/info")
	}
	stored, err := s.approveSetupToken(c, req.SetupTokenID, b)
	switch {
	case errors.Is(err, sandboxdb.ErrNotFound):
		return echo.NewHTTPError(http.StatusNotFound, "no setup token "+req.SetupTokenID)
	case errors.Is(err, errSetupNotApprovable):
		return echo.NewHTTPError(http.StatusConflict, err.Error())
	case err != nil:
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"setup_token_id": req.SetupTokenID, "status": "APPROVED",
		"payer_id": b.PayerID(), "return_url": vaultReturnURL(stored.ReturnURL, req.SetupTokenID)})
}

// vaultReturnURL is where PayPal sends the buyer back from the consent page.
func vaultReturnURL(base, id string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	q.Set("approval_token_id", id)
	q.Set("approval_session_id", id)
	u.RawQuery = q.Encode()
	return u.String()
}
