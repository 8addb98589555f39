package paypal

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/bojanz/currency"
)

// Event is a webhook event envelope.
type Event struct {
	ID           string          `json:"id"`
	EventVersion string          `json:"event_version"`
	CreateTime   string          `json:"create_time"`
	ResourceType string          `json:"resource_type"`
	EventType    string          `json:"event_type"`
	Summary      string          `json:"summary"`
	Resource     json.RawMessage `json:"resource"`
}

// ParseEvent reads a webhook body; it needs an id and an event type.
func ParseEvent(body []byte) (*Event, error) {
	var e Event
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("paypal: event is not JSON: %w", err)
	}
	if e.ID == "" || e.EventType == "" {
		return nil, errors.New("paypal: event without id or event_type")
	}
	return &e, nil
}

// Money is PayPal's amount: a currency code and a decimal string.
type Money struct {
	CurrencyCode string `json:"currency_code"`
	Value        string `json:"value"`
}

// Minor converts the decimal string to integer minor units of the currency ("30.00" USD → 3000).
func (m Money) Minor() (int64, error) {
	a, err := currency.NewAmount(m.Value, m.CurrencyCode)
	if err != nil {
		return 0, fmt.Errorf("paypal: amount %q %s: %w", m.Value, m.CurrencyCode, err)
	}
	return a.Int64()
}

// FromMinor formats minor units as PayPal's decimal string.
func FromMinor(minor int64, code string) (Money, error) {
	a, err := currency.NewAmountFromInt64(minor, code)
	if err != nil {
		return Money{}, err
	}
	return Money{CurrencyCode: code, Value: a.Number()}, nil
}

type link struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
}

// resource holds the fields of the resources we route and account by.
type resource struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	CustomID   string `json:"custom_id"`
	MerchantID string `json:"merchant_id"`
	TrackingID string `json:"tracking_id"` // onboarding and consent events: the partner's id of the seller
	Amount     *Money `json:"amount"`
	Payee      *struct {
		MerchantID string `json:"merchant_id"`
	} `json:"payee"`
	// Payer is the merchant on a refund (the one who pays the money back).
	Payer *struct {
		MerchantID string `json:"merchant_id"`
	} `json:"payer"`
	PurchaseUnits []struct {
		CustomID string `json:"custom_id"`
		Payee    *struct {
			MerchantID string `json:"merchant_id"`
		} `json:"payee"`
	} `json:"purchase_units"`
	DisputedTransactions []struct {
		Custom string `json:"custom"`
		Seller struct {
			MerchantID string `json:"merchant_id"`
		} `json:"seller"`
	} `json:"disputed_transactions"`
	SupplementaryData struct {
		RelatedIDs struct {
			OrderID string `json:"order_id"`
		} `json:"related_ids"`
	} `json:"supplementary_data"`
	Links []link `json:"links"`
}

func (e *Event) resource() resource {
	var r resource
	_ = json.Unmarshal(e.Resource, &r) // a resource we cannot read routes nowhere
	return r
}

// MerchantID is the seller the event is about, wherever the resource type keeps it.
func (e *Event) MerchantID() string {
	r := e.resource()
	switch {
	case r.Payee != nil && r.Payee.MerchantID != "":
		return r.Payee.MerchantID
	case len(r.PurchaseUnits) > 0 && r.PurchaseUnits[0].Payee != nil:
		return r.PurchaseUnits[0].Payee.MerchantID
	case len(r.DisputedTransactions) > 0:
		return r.DisputedTransactions[0].Seller.MerchantID
	case r.Payer != nil && r.Payer.MerchantID != "":
		return r.Payer.MerchantID
	}
	return r.MerchantID
}

// ResourceID is the id of the event's resource (the order of CHECKOUT.ORDER.* events).
func (e *Event) ResourceID() string { return e.resource().ID }

// TrackingID is the partner's id of the seller in MERCHANT.* events (chatshop's shop).
func (e *Event) TrackingID() string { return e.resource().TrackingID }

// CustomID is the id we gave the payment (our order id), wherever the resource type keeps it.
func (e *Event) CustomID() string {
	r := e.resource()
	switch {
	case r.CustomID != "":
		return r.CustomID
	case len(r.PurchaseUnits) > 0:
		return r.PurchaseUnits[0].CustomID
	case len(r.DisputedTransactions) > 0:
		return r.DisputedTransactions[0].Custom
	}
	return ""
}

// PaymentChange is what a PAYMENT.CAPTURE.* event says about one capture.
type PaymentChange struct {
	CaptureID string
	OrderID   string // PayPal's order id, for captures
	RefundID  string // for refunds and reversals
	Status    string // the capture's status after the event: COMPLETED, PENDING, DECLINED, REFUNDED, REVERSED …
	Amount    Money  // the capture's amount, or the refund's
}

// PaymentChange reads a PAYMENT.CAPTURE.* event; ok is false for other events.
func (e *Event) PaymentChange() (PaymentChange, bool) {
	if !strings.HasPrefix(e.EventType, "PAYMENT.CAPTURE.") {
		return PaymentChange{}, false
	}
	r := e.resource()
	pc := PaymentChange{Status: r.Status}
	if r.Amount != nil {
		pc.Amount = *r.Amount
	}
	switch e.EventType {
	case "PAYMENT.CAPTURE.REFUNDED", "PAYMENT.CAPTURE.REVERSED":
		pc.RefundID = r.ID
		pc.Status = strings.TrimPrefix(e.EventType, "PAYMENT.CAPTURE.")
		for _, l := range r.Links {
			if l.Rel == "up" {
				pc.CaptureID = path.Base(l.Href)
			}
		}
	default:
		pc.CaptureID, pc.OrderID = r.ID, r.SupplementaryData.RelatedIDs.OrderID
		if pc.Status == "" {
			pc.Status = strings.TrimPrefix(e.EventType, "PAYMENT.CAPTURE.")
		}
	}
	return pc, pc.CaptureID != ""
}
