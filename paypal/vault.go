package paypal

import (
	"context"
	"net/url"
)

// Vault v3 for PayPal wallets: a setup token the buyer approves on PayPal's consent page (its
// approve link), then exchanged for a payment token that orders use as
// payment_source.paypal.vault_id. Calls are made for the merchant (PayPal-Auth-Assertion), whose
// vault the token lives in.

// SetupTokenRequest asks to vault a buyer's PayPal wallet for the merchant.
type SetupTokenRequest struct {
	Description string // shown to the buyer on the consent page
	BrandName   string
	ReturnURL   string // PayPal appends approval_token_id and approval_session_id
	CancelURL   string
}

// SetupToken is PayPal's setup token resource, as far as chatshop reads it.
type SetupToken struct {
	ID       string `json:"id"`
	Status   string `json:"status"` // PAYER_ACTION_REQUIRED, APPROVED, VAULTED
	Customer struct {
		ID string `json:"id"`
	} `json:"customer"`
	Links []Link `json:"links"`
}

// ApproveURL is where the buyer gives consent.
func (t *SetupToken) ApproveURL() string { return linkHref(t.Links, "approve") }

// PaymentToken is a vaulted PayPal wallet.
type PaymentToken struct {
	ID       string `json:"id"`
	Customer struct {
		ID string `json:"id"`
	} `json:"customer"`
	PaymentSource struct {
		PayPal *struct {
			EmailAddress string `json:"email_address"`
			PayerID      string `json:"payer_id"`
			Address      *struct {
				CountryCode string `json:"country_code"`
			} `json:"address"`
		} `json:"paypal"`
	} `json:"payment_source"`
}

// CreateSetupToken starts vaulting a PayPal wallet for the merchant; requestID makes a retry
// return the same token.
func (c *Client) CreateSetupToken(ctx context.Context, merchantID, requestID string, r SetupTokenRequest) (*SetupToken, error) {
	ec := map[string]string{"return_url": r.ReturnURL, "cancel_url": r.CancelURL, "shipping_preference": "NO_SHIPPING"}
	if r.BrandName != "" {
		ec["brand_name"] = r.BrandName
	}
	wallet := map[string]any{"usage_type": "MERCHANT", "customer_type": "CONSUMER", "permit_multiple_payment_tokens": false,
		"experience_context": ec}
	if r.Description != "" {
		wallet["description"] = r.Description
	}
	body := map[string]any{"payment_source": map[string]any{"paypal": wallet}}
	var out SetupToken
	if err := c.call(ctx, "POST", "/v3/vault/setup-tokens", body, c.merchantHeaders(merchantID, requestID), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreatePaymentToken exchanges an approved setup token for a payment token; asking twice with the
// same setup token returns the same payment token.
func (c *Client) CreatePaymentToken(ctx context.Context, merchantID, setupTokenID string) (*PaymentToken, error) {
	body := map[string]any{"payment_source": map[string]any{"token": map[string]string{"id": setupTokenID, "type": "SETUP_TOKEN"}}}
	var out PaymentToken
	if err := c.call(ctx, "POST", "/v3/vault/payment-tokens", body, c.merchantHeaders(merchantID, "vault-"+setupTokenID), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetPaymentToken reads a payment token.
func (c *Client) GetPaymentToken(ctx context.Context, merchantID, id string) (*PaymentToken, error) {
	var out PaymentToken
	if err := c.call(ctx, "GET", "/v3/vault/payment-tokens/"+url.PathEscape(id), nil, c.merchantHeaders(merchantID, ""), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeletePaymentToken removes a payment token from the merchant's vault.
func (c *Client) DeletePaymentToken(ctx context.Context, merchantID, id string) error {
	return c.call(ctx, "DELETE", "/v3/vault/payment-tokens/"+url.PathEscape(id), nil, c.merchantHeaders(merchantID, ""), nil)
}

// merchantHeaders acts for the merchant, with a PayPal-Request-Id when one is given.
func (c *Client) merchantHeaders(merchantID, requestID string) map[string]string {
	h := map[string]string{"PayPal-Auth-Assertion": AuthAssertion(c.ClientID, merchantID)}
	if requestID != "" {
		h["PayPal-Request-Id"] = requestID
	}
	return h
}
