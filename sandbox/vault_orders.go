package sandbox

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// payWithVault creates an order paid with a vaulted PayPal wallet (payment_source.paypal.vault_id):
// no buyer approval, PayPal captures at once and answers COMPLETED with the capture, whose status
// depends on the buyer behind the token. A token that is gone, or is another merchant's, cannot
// be used (PAYMENT_SOURCE_CANNOT_BE_USED, from the create-order 422 issues).
func (s *Sandbox) payWithVault(c echo.Context, o *order) (int, any, error) {
	ctx := c.Request().Context()
	vaultID := o.PaymentSource.PayPal.VaultID
	merchantID := o.PurchaseUnits[0].Payee.MerchantID
	tok, err := s.dir.SandboxPaymentTokenByID(ctx, vaultID)
	if errors.Is(err, sandboxdb.ErrNotFound) || (err == nil && tok.MerchantID != "" && tok.MerchantID != merchantID) {
		return 422, errorBody(422, []issue{{Field: "/payment_source/paypal/vault_id", Value: vaultID, Location: "body",
			Issue: "PAYMENT_SOURCE_CANNOT_BE_USED", Description: "The provided payment source cannot be used to pay for the order. Please try again with a different payment source by creating a new order."}}), nil
	} else if err != nil {
		return 0, nil, err
	}
	b := buyerByPayerID(tok.PayerID)
	now := payPalTime(time.Now())
	o.ID, o.CreateTime, o.UpdateTime = payPalID(), now, now
	b.shipOrder(o, "")
	o.Payer = &payer{Name: b.payerName(), EmailAddress: b.Email, PayerID: b.PayerID(), Address: &address{CountryCode: b.Country}}
	o.PaymentSource.PayPal = &payPalSource{EmailAddress: b.Email, AccountID: b.PayerID(), AccountStatus: "VERIFIED", Name: o.Payer.Name,
		Address: o.Payer.Address, Attributes: map[string]any{"vault": map[string]any{"id": tok.ID, "status": "VAULTED",
			"customer": map[string]string{"id": tok.CustomerID}}}}
	cap := s.newCapture(o, b)
	o.PurchaseUnits[0].Payments = &struct {
		Captures []capture `json:"captures"`
	}{Captures: []capture{cap}}
	o.Status = "COMPLETED"
	answer, _, err := s.pay(c, "orders.create", o, nil, cap)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, answer, nil
}
