package handlers

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// MaxWebhookBody bounds a delivery; Messenger and PayPal bodies are a few kilobytes.
const MaxWebhookBody = 1 << 20

// Intake stores verified deliveries durably; their events wait as pending for the worker.
type Intake interface {
	Receive(ctx context.Context, d models.WebhookDelivery, events []models.WebhookEvent) (models.ReceiveResult, error)
}

// RefusalLog counts refused deliveries and keeps a bounded sample of them, in memory until it
// writes them all at once: refusing a forged delivery must cost no write.
type RefusalLog interface {
	Refuse(d models.RefusedDelivery)
}

// PayPalVerifier checks a PayPal delivery's signature.
type PayPalVerifier interface {
	Verify(ctx context.Context, h http.Header, body []byte) error
}

// Webhooks receives PayPal and Messenger deliveries: verify, store durably, acknowledge.
// Processing happens in the worker.
type Webhooks struct {
	Intake           Intake
	Refusals         RefusalLog
	PayPalSignatures PayPalVerifier
	MetaAppSecret    string
	MetaVerifyToken  string
	Metrics          *WebhookMetrics
}

// MessengerHandshake answers Meta's subscription check: echo hub.challenge when the token matches.
func (w *Webhooks) MessengerHandshake(c echo.Context) error {
	token := c.QueryParam("hub.verify_token")
	if c.QueryParam("hub.mode") != "subscribe" || subtle.ConstantTimeCompare([]byte(token), []byte(w.MetaVerifyToken)) != 1 {
		return c.String(http.StatusForbidden, "verify token mismatch")
	}
	return c.String(http.StatusOK, c.QueryParam("hub.challenge"))
}

// Messenger receives a Page delivery; its messaging items become events.
func (w *Webhooks) Messenger(c echo.Context) error {
	start := time.Now()
	d, err := w.readDelivery(c, models.ProviderMessenger)
	if err != nil {
		return err
	}
	if err := messenger.VerifySignature(w.MetaAppSecret, d.Body, c.Request().Header.Get(messenger.SignatureHeader)); err != nil {
		return w.reject(c, d, models.RefusedSignature, err)
	}
	parsed, err := messenger.ParseDelivery(d.Body)
	if err != nil {
		return w.reject(c, d, models.RefusedMalformed, err)
	}
	events := make([]models.WebhookEvent, 0, len(parsed))
	for _, e := range parsed {
		events = append(events, models.WebhookEvent{EventKey: e.Key, EventType: e.Type, AccountRef: e.PageID, Payload: e.Item})
	}
	return w.accept(c, d, events, start)
}

// PayPal receives one PayPal event.
func (w *Webhooks) PayPal(c echo.Context) error {
	start := time.Now()
	d, err := w.readDelivery(c, models.ProviderPayPal)
	if err != nil {
		return err
	}
	if err := w.PayPalSignatures.Verify(c.Request().Context(), c.Request().Header, d.Body); err != nil {
		return w.reject(c, d, models.RefusedSignature, err)
	}
	e, err := paypal.ParseEvent(d.Body)
	if err != nil {
		return w.reject(c, d, models.RefusedMalformed, err)
	}
	event := models.WebhookEvent{EventKey: e.ID, EventType: e.EventType, AccountRef: e.MerchantID(), Payload: d.Body}
	return w.accept(c, d, []models.WebhookEvent{event}, start)
}

// readDelivery reads a delivery's body, refusing one larger than any real delivery, and keeps
// only the provider's own headers.
func (w *Webhooks) readDelivery(c echo.Context, provider string) (models.WebhookDelivery, error) {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxWebhookBody+1))
	if err != nil {
		return models.WebhookDelivery{}, err
	}
	d := models.WebhookDelivery{Provider: provider, Headers: providerHeaders(provider, c.Request().Header), Body: body,
		RemoteAddr: c.RealIP(), Verified: true}
	if len(body) > MaxWebhookBody {
		w.refuse(c, d, models.RefusedTooLarge, fmt.Errorf("a body of more than %d bytes", MaxWebhookBody))
		return d, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "delivery too large")
	}
	return d, nil
}

// reject refuses a delivery: 401 for a bad signature, 400 for a signed delivery chatshop cannot
// read. The answer names no internal error; the event log keeps the reason.
func (w *Webhooks) reject(c echo.Context, d models.WebhookDelivery, reason string, cause error) error {
	w.refuse(c, d, reason, cause)
	status, message := http.StatusUnauthorized, "the signature does not match the delivery"
	if reason == models.RefusedMalformed {
		status, message = http.StatusBadRequest, "the delivery could not be read"
	}
	return c.JSON(status, map[string]any{"error": map[string]any{"status": status, "message": message}})
}

// refuse counts a refused delivery and offers it as a sample: in memory, never processed.
func (w *Webhooks) refuse(c echo.Context, d models.WebhookDelivery, reason string, cause error) {
	w.Refusals.Refuse(models.RefusedDelivery{Provider: d.Provider, Reason: reason, Detail: cause.Error(),
		Headers: d.Headers, Body: d.Body, RemoteAddr: d.RemoteAddr})
	w.Metrics.rejected.WithLabelValues(d.Provider, reason).Inc()
}

// accept stores the delivery durably and only then answers 200; a failure to store is a 503,
// so the provider delivers it again.
func (w *Webhooks) accept(c echo.Context, d models.WebhookDelivery, events []models.WebhookEvent, start time.Time) error {
	res, err := w.Intake.Receive(c.Request().Context(), d, events)
	if errors.Is(err, models.ErrIntakeClosed) {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "shutting down; deliver again")
	} else if err != nil {
		return err
	}
	m := w.Metrics
	m.received.WithLabelValues(d.Provider).Inc()
	m.events.WithLabelValues(d.Provider).Add(float64(len(res.New)))
	m.duplicates.WithLabelValues(d.Provider).Add(float64(res.Duplicates))
	m.ackLatency.WithLabelValues(d.Provider).Observe(time.Since(start).Seconds())
	return c.String(http.StatusOK, "EVENT_RECEIVED")
}
