package paypal

import (
	"context"
	"net/url"
	"slices"
)

// OrderRequest is the body of POST /v2/checkout/orders. Every optional field is omitted when
// empty: PayPal refuses empty strings where its schema has minLength 1.
type OrderRequest struct {
	Intent        string         `json:"intent"` // CAPTURE
	PurchaseUnits []PurchaseUnit `json:"purchase_units"`
	PaymentSource *PaymentSource `json:"payment_source,omitempty"`
}

// PurchaseUnit is what one merchant is paid for.
type PurchaseUnit struct {
	ReferenceID string `json:"reference_id,omitempty"`
	Amount      Amount `json:"amount"`
	Payee       *Payee `json:"payee,omitempty"`
	Description string `json:"description,omitempty"`
	CustomID    string `json:"custom_id,omitempty"`
	InvoiceID   string `json:"invoice_id,omitempty"`
	Items       []Item `json:"items,omitempty"`
}

// Amount is a purchase unit's total with its breakdown.
type Amount struct {
	CurrencyCode string     `json:"currency_code"`
	Value        string     `json:"value"`
	Breakdown    *Breakdown `json:"breakdown,omitempty"`
}

// Breakdown splits an amount; chatshop sends the item total (and shipping, when there is some).
type Breakdown struct {
	ItemTotal *Money `json:"item_total,omitempty"`
	Shipping  *Money `json:"shipping,omitempty"`
	TaxTotal  *Money `json:"tax_total,omitempty"`
}

// Item is one line of a purchase unit.
type Item struct {
	Name       string `json:"name"`
	UnitAmount Money  `json:"unit_amount"`
	Quantity   string `json:"quantity"`
	SKU        string `json:"sku,omitempty"`
	Category   string `json:"category,omitempty"` // PHYSICAL_GOODS, DIGITAL_GOODS, DONATION
}

// Payee is the merchant paid.
type Payee struct {
	MerchantID string `json:"merchant_id,omitempty"`
}

// PaymentSource says how the buyer pays: a vaulted PayPal wallet, or PayPal with its experience.
type PaymentSource struct {
	PayPal *PayPalSource `json:"paypal,omitempty"`
}

// PayPalSource is the PayPal wallet as a payment source.
type PayPalSource struct {
	VaultID           string             `json:"vault_id,omitempty"`
	ExperienceContext *ExperienceContext `json:"experience_context,omitempty"`
}

// ExperienceContext tunes PayPal's buyer pages and where they send the buyer back.
type ExperienceContext struct {
	BrandName          string `json:"brand_name,omitempty"`
	Locale             string `json:"locale,omitempty"`
	ShippingPreference string `json:"shipping_preference,omitempty"` // GET_FROM_FILE, NO_SHIPPING, SET_PROVIDED_ADDRESS
	UserAction         string `json:"user_action,omitempty"`         // CONTINUE, PAY_NOW
	ReturnURL          string `json:"return_url,omitempty"`
	CancelURL          string `json:"cancel_url,omitempty"`
}

// Order is PayPal's order resource, as far as chatshop reads it.
type Order struct {
	ID            string `json:"id"`
	Status        string `json:"status"` // CREATED, SAVED, APPROVED, VOIDED, COMPLETED, PAYER_ACTION_REQUIRED
	Intent        string `json:"intent,omitempty"`
	PurchaseUnits []struct {
		ReferenceID string `json:"reference_id"`
		CustomID    string `json:"custom_id"`
		Amount      Money  `json:"amount"`
		Payee       Payee  `json:"payee"`
		Payments    struct {
			Captures []Capture `json:"captures"`
		} `json:"payments"`
		Shipping *Shipping `json:"shipping,omitempty"`
	} `json:"purchase_units,omitempty"`
	Payer *struct {
		PayerID      string `json:"payer_id"`
		EmailAddress string `json:"email_address"`
		Address      struct {
			CountryCode string `json:"country_code"`
		} `json:"address"`
	} `json:"payer,omitempty"`
	Links []Link `json:"links"`
}

// Shipping is where a purchase unit goes (shipping_detail): the name and address the buyer chose
// on PayPal's page with shipping_preference GET_FROM_FILE.
type Shipping struct {
	Name *struct {
		FullName string `json:"full_name"`
	} `json:"name,omitempty"`
	Address *struct {
		AddressLine1 string `json:"address_line_1"`
		AddressLine2 string `json:"address_line_2"`
		AdminArea2   string `json:"admin_area_2"` // city
		AdminArea1   string `json:"admin_area_1"` // state or province
		PostalCode   string `json:"postal_code"`
		CountryCode  string `json:"country_code"`
	} `json:"address,omitempty"`
	// Trackers are the shipments the merchant told PayPal of (POST .../track).
	Trackers []Tracker `json:"trackers,omitempty"`
}

// Capture is a payment capture.
type Capture struct {
	ID            string `json:"id"`
	Status        string `json:"status"` // COMPLETED, PENDING, DECLINED, REFUNDED, PARTIALLY_REFUNDED, FAILED
	Amount        Money  `json:"amount"`
	CustomID      string `json:"custom_id"`
	StatusDetails *struct {
		Reason string `json:"reason"`
	} `json:"status_details,omitempty"`
}

// Link is a HATEOAS link.
type Link struct {
	Href   string `json:"href"`
	Rel    string `json:"rel"`
	Method string `json:"method"`
}

// linkHref is the href of the first link with one of the relations rels.
func linkHref(links []Link, rels ...string) string {
	for _, l := range links {
		if slices.Contains(rels, l.Rel) {
			return l.Href
		}
	}
	return ""
}

// BuyerURL is where the buyer approves the order: the approve or payer-action link.
func (o *Order) BuyerURL() string { return linkHref(o.Links, "approve", "payer-action") }

// CreateOrder creates an order; requestID (PayPal-Request-Id) makes a retry return the same order.
func (c *Client) CreateOrder(ctx context.Context, requestID string, r OrderRequest) (*Order, error) {
	var out Order
	headers := map[string]string{"PayPal-Request-Id": requestID, "Prefer": "return=representation"}
	if err := c.call(ctx, "POST", "/v2/checkout/orders", r, headers, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateMerchantOrder creates an order acting for the merchant (PayPal-Auth-Assertion): an order
// paid with a payment token from the merchant's vault.
func (c *Client) CreateMerchantOrder(ctx context.Context, merchantID, requestID string, r OrderRequest) (*Order, error) {
	var out Order
	headers := c.merchantHeaders(merchantID, requestID)
	headers["Prefer"] = "return=representation"
	if err := c.call(ctx, "POST", "/v2/checkout/orders", r, headers, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetOrder reads an order.
func (c *Client) GetOrder(ctx context.Context, id string) (*Order, error) {
	var out Order
	if err := c.call(ctx, "GET", "/v2/checkout/orders/"+url.PathEscape(id), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CaptureOrder captures an approved order; the same requestID on a retry returns the first
// capture instead of failing with ORDER_ALREADY_CAPTURED.
func (c *Client) CaptureOrder(ctx context.Context, id, requestID string) (*Order, error) {
	var out Order
	headers := map[string]string{"PayPal-Request-Id": requestID, "Prefer": "return=representation"}
	if err := c.call(ctx, "POST", "/v2/checkout/orders/"+url.PathEscape(id)+"/capture", struct{}{}, headers, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
