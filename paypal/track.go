package paypal

import (
	"context"
	"net/url"
)

// TrackRequest is the body of POST /v2/checkout/orders/{id}/track (order_tracker_request): a
// shipment of a captured order. Carrier is one of PayPal's shipment_carrier codes, or OTHER
// with CarrierNameOther.
type TrackRequest struct {
	CaptureID        string        `json:"capture_id"`
	TrackingNumber   string        `json:"tracking_number"`
	Carrier          string        `json:"carrier"`
	CarrierNameOther string        `json:"carrier_name_other,omitempty"`
	NotifyPayer      bool          `json:"notify_payer"`
	Items            []TrackerItem `json:"items,omitempty"`
}

// TrackerItem is one line of a shipment (tracker_item).
type TrackerItem struct {
	Name     string `json:"name"`
	Quantity string `json:"quantity"`
	SKU      string `json:"sku,omitempty"`
}

// Tracker is a shipment's tracker on an order (purchase_units[].shipping.trackers[]).
type Tracker struct {
	ID     string        `json:"id"`
	Status string        `json:"status"` // SHIPPED or CANCELLED
	Items  []TrackerItem `json:"items,omitempty"`
}

// AddTracker adds a shipment's tracker to an order paid to the merchant, and returns the order
// with its trackers. requestID (PayPal-Request-Id) makes a retry return the first answer.
func (c *Client) AddTracker(ctx context.Context, merchantID, orderID, requestID string, r TrackRequest) (*Order, error) {
	var out Order
	if err := c.call(ctx, "POST", "/v2/checkout/orders/"+url.PathEscape(orderID)+"/track", r, c.merchantHeaders(merchantID, requestID), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CancelTracker cancels a tracker: PATCH its status to CANCELLED, the one change PayPal takes.
func (c *Client) CancelTracker(ctx context.Context, merchantID, orderID, trackerID string) error {
	patch := []map[string]string{{"op": "replace", "path": "/status", "value": "CANCELLED"}}
	path := "/v2/checkout/orders/" + url.PathEscape(orderID) + "/trackers/" + url.PathEscape(trackerID)
	return c.call(ctx, "PATCH", path, patch, c.merchantHeaders(merchantID, ""), nil)
}

// TrackerOf finds the tracker of a capture's tracking number in an order's answer.
func (o *Order) TrackerOf(captureID, trackingNumber string) *Tracker {
	for _, pu := range o.PurchaseUnits {
		if pu.Shipping == nil {
			continue
		}
		for i, t := range pu.Shipping.Trackers {
			if t.ID == TrackerID(captureID, trackingNumber) {
				return &pu.Shipping.Trackers[i]
			}
		}
	}
	return nil
}

// TrackerID is the id PayPal gives the tracker of a capture's tracking number:
// "{capture_id}-{tracking_number}", as its own tracking API and its integrations use.
func TrackerID(captureID, trackingNumber string) string { return captureID + "-" + trackingNumber }
