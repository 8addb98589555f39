package paypal

import (
	"context"
	"net/url"
)

// RefundRequest is the body of a capture refund: no amount refunds what is left.
type RefundRequest struct {
	Amount      *Money `json:"amount,omitempty"`
	NoteToPayer string `json:"note_to_payer,omitempty"`
	CustomID    string `json:"custom_id,omitempty"`
}

// Refund is PayPal's refund resource, as far as chatshop reads it.
type Refund struct {
	ID     string `json:"id"`
	Status string `json:"status"` // COMPLETED, PENDING, FAILED, CANCELLED
	Amount *Money `json:"amount"`
}

// RefundCapture refunds a capture for the merchant. requestID is the PayPal-Request-Id: the same
// id on a retry returns the first refund instead of making a second one.
func (c *Client) RefundCapture(ctx context.Context, merchantID, captureID, requestID string, r RefundRequest) (*Refund, error) {
	headers := c.merchantHeaders(merchantID, requestID)
	headers["Prefer"] = "return=representation"
	var out Refund
	if err := c.call(ctx, "POST", "/v2/payments/captures/"+url.PathEscape(captureID)+"/refund", r, headers, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
