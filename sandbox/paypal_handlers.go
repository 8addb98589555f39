package sandbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/paypal"
)

// PayPalToken is POST /v1/oauth2/token: client credentials for the app's configured id and secret.
func (s *Sandbox) PayPalToken(c echo.Context) error {
	id, secret, ok := c.Request().BasicAuth()
	if !ok || id != s.cfg.PayPalClientID || secret != s.cfg.PayPalClientSecret || c.FormValue("grant_type") != "client_credentials" {
		return c.JSON(http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "Client Authentication failed"})
	}
	tok, expires := s.paypal.issueToken()
	return c.JSON(http.StatusOK, map[string]any{
		"scope":        "https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/payments/refund https://uri.paypal.com/services/applications/webhooks https://uri.paypal.com/services/applications/verify-webhook-signature",
		"access_token": tok, "token_type": "Bearer", "app_id": "APP-80W284485P519543T", "expires_in": expires,
		"nonce": time.Now().UTC().Format(time.RFC3339) + "-" + randomHex(16),
	})
}

// RequireToken refuses PayPal API calls without a live bearer token, as PayPal does.
func (s *Sandbox) RequireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		tok, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		if !ok || !s.paypal.validToken(tok) {
			return payPalIssues(c, http.StatusUnauthorized, nil)
		}
		return next(c)
	}
}

// PayPalCertificate serves the emulator's webhook signing certificate.
func (s *Sandbox) PayPalCertificate(c echo.Context) error {
	if c.Param("id") != s.paypal.certID {
		return payPalIssues(c, http.StatusNotFound, notFound("cert_id", c.Param("id"), "path"))
	}
	return c.Blob(http.StatusOK, "application/x-pem-file", s.paypal.certPEM)
}

// PayPalVerifyWebhookSignature is POST /v1/notifications/verify-webhook-signature.
func (s *Sandbox) PayPalVerifyWebhookSignature(c echo.Context) error {
	var req struct {
		AuthAlgo         string          `json:"auth_algo"`
		CertURL          string          `json:"cert_url"`
		TransmissionID   string          `json:"transmission_id"`
		TransmissionSig  string          `json:"transmission_sig"`
		TransmissionTime string          `json:"transmission_time"`
		WebhookID        string          `json:"webhook_id"`
		WebhookEvent     json.RawMessage `json:"webhook_event"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil || req.WebhookID == "" || len(req.WebhookEvent) == 0 {
		return payPalIssues(c, http.StatusBadRequest, []issue{{Location: "body", Issue: "MISSING_REQUIRED_PARAMETER", Description: "A required field / parameter is missing."}})
	}
	h := http.Header{}
	h.Set(paypal.HeaderAuthAlgo, req.AuthAlgo)
	h.Set(paypal.HeaderCertURL, req.CertURL)
	h.Set(paypal.HeaderTransmissionID, req.TransmissionID)
	h.Set(paypal.HeaderTransmissionSig, req.TransmissionSig)
	h.Set(paypal.HeaderTransmissionTime, req.TransmissionTime)
	v := &paypal.Verifier{WebhookID: req.WebhookID, TrustedCertPrefixes: []string{s.cfg.PayPalAPIBase + "/v1/notifications/certs/"},
		Fetch: func(context.Context, string) ([]byte, error) { return s.paypal.certPEM, nil }}
	status := "SUCCESS"
	if v.Verify(c.Request().Context(), h, req.WebhookEvent) != nil {
		status = "FAILURE"
	}
	return c.JSON(http.StatusOK, map[string]string{"verification_status": status})
}

// resourceTypes names the resource of each event type, as PayPal's envelopes do.
var resourceTypes = map[string]string{
	"CHECKOUT.ORDER.APPROVED": "checkout-order", "CHECKOUT.ORDER.COMPLETED": "checkout-order",
	"PAYMENT.CAPTURE.COMPLETED": "capture", "PAYMENT.CAPTURE.PENDING": "capture", "PAYMENT.CAPTURE.DENIED": "capture",
	"PAYMENT.CAPTURE.DECLINED": "capture", "PAYMENT.CAPTURE.REFUNDED": "refund", "PAYMENT.CAPTURE.REVERSED": "refund",
	"CUSTOMER.DISPUTE.CREATED": "dispute", "CUSTOMER.DISPUTE.UPDATED": "dispute", "CUSTOMER.DISPUTE.RESOLVED": "dispute",
	"MERCHANT.ONBOARDING.COMPLETED": "merchant-onboarding", "MERCHANT.PARTNER-CONSENT.REVOKED": "partner-consent",
}

// SendPayPalWebhook is the control API POST /sandbox/paypal/api/webhooks {event_type, resource}:
// the emulator wraps the resource in PayPal's envelope, signs it and delivers it to the app.
func (s *Sandbox) SendPayPalWebhook(c echo.Context) error {
	var req struct {
		EventType string          `json:"event_type"`
		Resource  json.RawMessage `json:"resource"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil || req.EventType == "" || !json.Valid(req.Resource) {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "send {\"event_type\": \"PAYMENT.CAPTURE.COMPLETED\", \"resource\": {...}}")
	}
	id, err := s.emitPayPal(req.EventType, req.Resource)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{"event_id": id})
}

// emitPayPal wraps a resource in PayPal's event envelope, signs it and delivers it to the app
// (with redelivery); it returns the event id.
func (s *Sandbox) emitPayPal(eventType string, resource json.RawMessage) (string, error) {
	req := struct {
		EventType string
		Resource  json.RawMessage
	}{eventType, resource}
	id := "WH-" + payPalID() + "-" + payPalID()
	event := map[string]any{
		"id": id, "event_version": "1.0", "create_time": time.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		"resource_type": resourceTypes[req.EventType], "event_type": req.EventType,
		"summary": strings.ToLower(strings.ReplaceAll(req.EventType, ".", " ")), "resource": req.Resource,
		"links": []map[string]string{
			{"href": s.cfg.PayPalAPIBase + "/v1/notifications/webhooks-events/" + id, "rel": "self", "method": "GET"},
			{"href": s.cfg.PayPalAPIBase + "/v1/notifications/webhooks-events/" + id + "/resend", "rel": "resend", "method": "POST"},
		},
	}
	if t := resourceTypes[req.EventType]; t == "capture" || t == "refund" || t == "checkout-order" {
		event["resource_version"] = "2.0"
	}
	body, err := json.Marshal(event)
	if err != nil {
		return "", err
	}
	s.deliverPayPal(body)
	return id, nil
}

// deliverPayPal posts a signed event to the app, redelivering on failure per the retry schedule.
func (s *Sandbox) deliverPayPal(body []byte) {
	transmissionID := uuidLike()
	s.deliver("paypal", func() bool { return s.postSigned(body, transmissionID) })
}

func (s *Sandbox) postSigned(body []byte, transmissionID string) bool {
	h, err := s.paypal.signer().Headers(body, transmissionID, time.Now())
	if err != nil {
		s.log.Error("sandbox: sign PayPal webhook", "err", err)
		return false
	}
	h.Set("User-Agent", "PayPal/AUHD-214.0-58391792")
	h.Set("Correlation-Id", randomHex(7)[:13])
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, s.appURL+"/webhooks/paypal", bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header = h
	return s.post(req)
}

const payPalAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

// payPalID is 17 upper-case alphanumerics, like PayPal's order, capture and refund ids.
func payPalID() string {
	b := make([]byte, 17)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = payPalAlphabet[int(b[i])%len(payPalAlphabet)]
	}
	return string(b)
}

func uuidLike() string {
	h := randomHex(16)
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[:8], h[8:12], h[12:16], h[16:20], h[20:])
}
