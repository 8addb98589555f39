package handlers

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
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

// Inbox stores verified deliveries durably; their events wait as pending for the worker.
type Inbox interface {
	Receive(ctx context.Context, d models.WebhookDelivery, events []models.WebhookEvent) (models.ReceiveResult, error)
}

// RejectLog keeps deliveries whose signature failed.
type RejectLog interface {
	RecordRejected(ctx context.Context, d models.WebhookDelivery) error
}

// PayPalVerifier checks a PayPal delivery's signature.
type PayPalVerifier interface {
	Verify(ctx context.Context, h http.Header, body []byte) error
}

// Webhooks receives PayPal and Messenger deliveries: verify, store durably, acknowledge.
// Processing happens in the worker.
type Webhooks struct {
	Inbox            Inbox
	Rejects          RejectLog
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
	d, err := readDelivery(c, models.ProviderMessenger)
	if err != nil {
		return err
	}
	if err := messenger.VerifySignature(w.MetaAppSecret, d.Body, c.Request().Header.Get(messenger.SignatureHeader)); err != nil {
		return w.reject(c, d, "signature", err)
	}
	parsed, err := messenger.ParseDelivery(d.Body)
	if err != nil {
		return w.reject(c, d, "malformed", err)
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
	d, err := readDelivery(c, models.ProviderPayPal)
	if err != nil {
		return err
	}
	if err := w.PayPalSignatures.Verify(c.Request().Context(), c.Request().Header, d.Body); err != nil {
		return w.reject(c, d, "signature", err)
	}
	e, err := paypal.ParseEvent(d.Body)
	if err != nil {
		return w.reject(c, d, "malformed", err)
	}
	event := models.WebhookEvent{EventKey: e.ID, EventType: e.EventType, AccountRef: e.MerchantID(), Payload: d.Body}
	return w.accept(c, d, []models.WebhookEvent{event}, start)
}

func readDelivery(c echo.Context, provider string) (models.WebhookDelivery, error) {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, MaxWebhookBody+1))
	if err != nil {
		return models.WebhookDelivery{}, err
	}
	if len(body) > MaxWebhookBody {
		return models.WebhookDelivery{}, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "delivery too large")
	}
	headers := map[string]string{}
	for k, v := range c.Request().Header {
		if k != "Cookie" && k != "Authorization" && len(v) > 0 {
			headers[k] = v[0]
		}
	}
	hj, _ := json.Marshal(headers)
	return models.WebhookDelivery{Provider: provider, Headers: string(hj), Body: body, RemoteAddr: c.RealIP(), Verified: true}, nil
}

// reject keeps the refused delivery for the event log, counts it, and answers 401 (bad signature)
// or 400 (verified but unreadable). It is never processed.
func (w *Webhooks) reject(c echo.Context, d models.WebhookDelivery, reason string, cause error) error {
	d.Verified, d.Rejection = false, cause.Error()
	if err := w.Rejects.RecordRejected(c.Request().Context(), d); err != nil {
		return err
	}
	w.Metrics.rejected.WithLabelValues(d.Provider, reason).Inc()
	status := http.StatusUnauthorized
	if reason == "malformed" {
		status = http.StatusBadRequest
	}
	return c.JSON(status, map[string]any{"error": map[string]any{"status": status, "message": cause.Error()}})
}

// accept stores the delivery durably and only then answers 200; a failure to store is a 503,
// so the provider delivers it again.
func (w *Webhooks) accept(c echo.Context, d models.WebhookDelivery, events []models.WebhookEvent, start time.Time) error {
	res, err := w.Inbox.Receive(c.Request().Context(), d, events)
	if errors.Is(err, models.ErrInboxClosed) {
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
