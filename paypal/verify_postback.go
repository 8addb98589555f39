package paypal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// PostbackVerifier checks webhook signatures by asking PayPal
// (POST /v1/notifications/verify-webhook-signature), the alternative to offline verification.
// PayPal does not verify its simulator's mock events this way.
type PostbackVerifier struct {
	Client    *Client
	WebhookID string
}

// Verify asks PayPal whether the delivery's signature is valid. The raw body is passed as the
// event unchanged, since PayPal checks it against its own serialisation.
func (v *PostbackVerifier) Verify(ctx context.Context, h http.Header, body []byte) error {
	id, at, sig, certURL, algo := h.Get(HeaderTransmissionID), h.Get(HeaderTransmissionTime), h.Get(HeaderTransmissionSig), h.Get(HeaderCertURL), h.Get(HeaderAuthAlgo)
	if id == "" || at == "" || sig == "" || certURL == "" || algo == "" {
		return ErrMissingHeaders
	}
	if !json.Valid(body) {
		return ErrBadSignature
	}
	req := map[string]any{
		"auth_algo":         algo,
		"cert_url":          certURL,
		"transmission_id":   id,
		"transmission_sig":  sig,
		"transmission_time": at,
		"webhook_id":        v.WebhookID,
		"webhook_event":     json.RawMessage(body),
	}
	var res struct {
		VerificationStatus string `json:"verification_status"`
	}
	if err := v.Client.call(ctx, http.MethodPost, "/v1/notifications/verify-webhook-signature", req, nil, &res); err != nil {
		return fmt.Errorf("paypal: verify-webhook-signature: %w", err)
	}
	if res.VerificationStatus != "SUCCESS" {
		return ErrBadSignature
	}
	return nil
}
