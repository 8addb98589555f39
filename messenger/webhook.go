// Package messenger is chatshop's client of the Messenger Platform: webhook verification and
// parsing, the Send API and templates. It knows nothing of the database.
package messenger

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// SignatureHeader carries the HMAC-SHA256 of the raw body under the app secret.
const SignatureHeader = "X-Hub-Signature-256"

var (
	// ErrMissingSignature means the delivery carried no X-Hub-Signature-256 header.
	ErrMissingSignature = errors.New("messenger: missing X-Hub-Signature-256")
	// ErrBadSignature means the signature does not match the body under our app secret.
	ErrBadSignature = errors.New("messenger: signature does not match the body")
)

// VerifySignature checks header ("sha256=<hex>") against the HMAC-SHA256 of the raw body, in
// constant time. The body must be the bytes received, never a re-encoding.
func VerifySignature(appSecret string, body []byte, header string) error {
	if header == "" {
		return ErrMissingSignature
	}
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return ErrBadSignature
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return ErrBadSignature
	}
	if !hmac.Equal(got, Sign(appSecret, body)) {
		return ErrBadSignature
	}
	return nil
}

// Sign is the HMAC-SHA256 of body under appSecret.
func Sign(appSecret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write(body)
	return m.Sum(nil)
}

// SignatureHeaderValue is what the platform puts in X-Hub-Signature-256 for body.
func SignatureHeaderValue(appSecret string, body []byte) string {
	return "sha256=" + hex.EncodeToString(Sign(appSecret, body))
}

// Event is one messaging item of a delivery. A delivery with several entries and several items
// becomes several events.
type Event struct {
	PageID    string
	PSID      string // the shopper's page-scoped id (the recipient for echoes)
	Type      string // message, echo, postback, delivery, read, account_linking, referral, optin, unknown
	Timestamp int64  // milliseconds since the epoch
	// Key identifies the event across redeliveries: the message id where there is one,
	// otherwise what the platform sends again unchanged (sender, watermark, timestamp).
	Key string
	// Item is the messaging item exactly as received.
	Item json.RawMessage
}

type envelope struct {
	Object string `json:"object"`
	Entry  []struct {
		ID        string            `json:"id"`
		Time      int64             `json:"time"`
		Messaging []json.RawMessage `json:"messaging"`
		Standby   []json.RawMessage `json:"standby"`
		Changes   []change          `json:"changes"`
	} `json:"entry"`
}

// change is a Page field's change (entry[].changes[]).
type change struct {
	Field string          `json:"field"`
	Value json.RawMessage `json:"value"`
}

// TemplateStatusFields are the webhook fields of a utility template's review: Meta's documents
// name both.
var TemplateStatusFields = []string{"message_template_status_update", "messenger_template_status_update"}

// TemplateStatus is a template's new review status, as the status webhook tells it.
type TemplateStatus struct {
	Event      string          `json:"event"` // APPROVED, REJECTED, PAUSED ...
	TemplateID json.RawMessage `json:"message_template_id"`
	Name       string          `json:"message_template_name"`
	Language   string          `json:"message_template_language"`
	Reason     string          `json:"reason"`
}

// ID is the template's id, which Meta writes as a number or a string.
func (t TemplateStatus) ID() string { return strings.Trim(string(t.TemplateID), `"`) }

// item is the part of a messaging item needed to classify it.
type item struct {
	Sender    struct{ ID string } `json:"sender"`
	Recipient struct{ ID string } `json:"recipient"`
	Timestamp int64               `json:"timestamp"`
	Message   *struct {
		Mid    string `json:"mid"`
		IsEcho bool   `json:"is_echo"`
	} `json:"message"`
	Postback *struct {
		Mid     string `json:"mid"`
		Payload string `json:"payload"`
	} `json:"postback"`
	Delivery *struct {
		Watermark int64 `json:"watermark"`
	} `json:"delivery"`
	Read *struct {
		Watermark int64 `json:"watermark"`
	} `json:"read"`
	AccountLinking *struct {
		Status string `json:"status"`
	} `json:"account_linking"`
	Referral *json.RawMessage `json:"referral"`
	Optin    *json.RawMessage `json:"optin"`
}

// ParseDelivery splits a webhook body into its events. A body that is not a Page delivery is an error.
func ParseDelivery(body []byte) ([]Event, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("messenger: delivery is not JSON: %w", err)
	}
	if env.Object != "page" {
		return nil, fmt.Errorf("messenger: delivery object is %q, not page", env.Object)
	}
	var events []Event
	for _, e := range env.Entry {
		for _, raw := range append(e.Messaging, e.Standby...) {
			ev, err := classify(e.ID, raw)
			if err != nil {
				return nil, err
			}
			events = append(events, ev)
		}
		for _, ch := range e.Changes {
			if !slices.Contains(TemplateStatusFields, ch.Field) {
				continue
			}
			var st TemplateStatus
			if err := json.Unmarshal(ch.Value, &st); err != nil {
				return nil, fmt.Errorf("messenger: template status: %w", err)
			}
			events = append(events, Event{PageID: e.ID, Type: "template_status", Timestamp: e.Time * 1000, Item: ch.Value,
				Key: fmt.Sprintf("template:%s:%s:%s:%d", e.ID, st.ID(), st.Event, e.Time)})
		}
	}
	return events, nil
}

func classify(pageID string, raw json.RawMessage) (Event, error) {
	var it item
	if err := json.Unmarshal(raw, &it); err != nil {
		return Event{}, fmt.Errorf("messenger: messaging item: %w", err)
	}
	ev := Event{PageID: pageID, PSID: it.Sender.ID, Timestamp: it.Timestamp, Item: raw, Type: "unknown"}
	byTime := func(kind string) string { return fmt.Sprintf("%s:%s:%s:%d", kind, pageID, it.Sender.ID, it.Timestamp) }
	switch {
	case it.Message != nil && it.Message.IsEcho:
		ev.Type, ev.PSID, ev.Key = "echo", it.Recipient.ID, "mid:"+it.Message.Mid
	case it.Message != nil:
		ev.Type, ev.Key = "message", "mid:"+it.Message.Mid
	case it.Postback != nil:
		ev.Type, ev.Key = "postback", byTime("postback")
		if it.Postback.Mid != "" {
			ev.Key = "mid:" + it.Postback.Mid
		}
	case it.Delivery != nil:
		ev.Type, ev.Key = "delivery", fmt.Sprintf("delivery:%s:%s:%d", pageID, it.Sender.ID, it.Delivery.Watermark)
	case it.Read != nil:
		ev.Type, ev.Key = "read", fmt.Sprintf("read:%s:%s:%d", pageID, it.Sender.ID, it.Read.Watermark)
	case it.AccountLinking != nil:
		ev.Type, ev.Key = "account_linking", byTime("account_linking:"+it.AccountLinking.Status)
	case it.Referral != nil:
		ev.Type, ev.Key = "referral", byTime("referral")
	case it.Optin != nil:
		ev.Type, ev.Key = "optin", byTime("optin")
	default:
		sum := sha256.Sum256(raw)
		ev.Key = "unknown:" + hex.EncodeToString(sum[:12])
	}
	if ev.Key == "mid:" {
		return Event{}, errors.New("messenger: message without mid")
	}
	return ev, nil
}
