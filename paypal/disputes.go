package paypal

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
)

// Disputes v1, read and answered for the merchant (PayPal-Auth-Assertion). The actions PayPal
// allows depend on the dispute's stage and status; Dispute.Allows tells which from its links.

// Dispute is PayPal's dispute resource, as far as chatshop reads it.
type Dispute struct {
	ID                   string `json:"dispute_id"`
	CreateTime           string `json:"create_time"`
	UpdateTime           string `json:"update_time"`
	Reason               string `json:"reason"`
	Status               string `json:"status"` // OPEN, WAITING_FOR_BUYER_RESPONSE, WAITING_FOR_SELLER_RESPONSE, UNDER_REVIEW, RESOLVED, OTHER
	Stage                string `json:"dispute_life_cycle_stage"`
	Amount               Money  `json:"dispute_amount"`
	SellerResponseDue    string `json:"seller_response_due_date"`
	DisputedTransactions []struct {
		SellerTransactionID string `json:"seller_transaction_id"`
		Custom              string `json:"custom"`
		Seller              struct {
			MerchantID string `json:"merchant_id"`
		} `json:"seller"`
	} `json:"disputed_transactions"`
	Outcome *struct {
		OutcomeCode    string `json:"outcome_code"`
		AmountRefunded *Money `json:"amount_refunded"`
	} `json:"dispute_outcome"`
	Messages []struct {
		PostedBy   string     `json:"posted_by"`
		TimePosted string     `json:"time_posted"`
		Content    string     `json:"content"`
		Documents  []Document `json:"documents"`
	} `json:"messages"`
	Evidences []struct {
		Evidence
		Date string `json:"date"`
	} `json:"evidences"`
	Offer *struct {
		OfferType           string `json:"offer_type"`
		SellerOfferedAmount *Money `json:"seller_offered_amount"`
	} `json:"offer"`
	Links []Link `json:"links"`
	// Raw is the dispute as PayPal sent it, when read from the API.
	Raw json.RawMessage `json:"-"`
}

// Actions are the rels of the seller actions PayPal offers now.
func (d *Dispute) Actions() []string {
	var out []string
	for _, l := range d.Links {
		if l.Rel != "self" && l.Method == "POST" {
			out = append(out, l.Rel)
		}
	}
	return out
}

// Allows reports whether PayPal offers the action (a link rel such as accept_claim) now.
func (d *Dispute) Allows(rel string) bool {
	for _, l := range d.Links {
		if l.Rel == rel {
			return true
		}
	}
	return false
}

// File is a document sent with a dispute action.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// Evidence is one piece of evidence: a type such as PROOF_OF_FULFILLMENT, notes, and for
// fulfilment the tracking numbers.
type Evidence struct {
	Type      string        `json:"evidence_type"`
	Notes     string        `json:"notes,omitempty"`
	Info      *EvidenceInfo `json:"evidence_info,omitempty"`
	Documents []Document    `json:"documents,omitempty"`
}

// EvidenceInfo carries shipment tracking (and refund ids).
type EvidenceInfo struct {
	Tracking []Tracking `json:"tracking_info,omitempty"`
}

// Tracking is a shipment's carrier and number.
type Tracking struct {
	CarrierName    string `json:"carrier_name"`
	TrackingNumber string `json:"tracking_number"`
}

// Document names a document already sent.
type Document struct {
	Name string `json:"name"`
}

// GetDispute reads a dispute of the merchant.
func (c *Client) GetDispute(ctx context.Context, merchantID, id string) (*Dispute, error) {
	var raw json.RawMessage
	if err := c.call(ctx, "GET", "/v1/customer/disputes/"+url.PathEscape(id), nil, c.merchantHeaders(merchantID, ""), &raw); err != nil {
		return nil, err
	}
	var out Dispute
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	out.Raw = raw
	return &out, nil
}

// ListDisputes lists the merchant's disputes, newest first; captureID narrows to one payment.
func (c *Client) ListDisputes(ctx context.Context, merchantID, captureID string, pageSize int) ([]Dispute, error) {
	q := url.Values{"page_size": {strconv.Itoa(pageSize)}}
	if captureID != "" {
		q.Set("disputed_transaction_id", captureID)
	}
	var out struct {
		Items []Dispute `json:"items"`
	}
	if err := c.call(ctx, "GET", "/v1/customer/disputes?"+q.Encode(), nil, c.merchantHeaders(merchantID, ""), &out); err != nil {
		return nil, err
	}
	return out.Items, nil
}

// SendDisputeMessage writes to the buyer (INQUIRY stage only).
func (c *Client) SendDisputeMessage(ctx context.Context, merchantID, id, message string) error {
	return c.disputeAction(ctx, merchantID, id, "send-message", map[string]string{"message": message}, nil, "message_document")
}

// MakeDisputeOffer offers the buyer a refund (INQUIRY stage only); amount may be nil.
func (c *Client) MakeDisputeOffer(ctx context.Context, merchantID, id, note, offerType string, amount *Money) error {
	body := map[string]any{"note": note, "offer_type": offerType}
	if amount != nil {
		body["offer_amount"] = amount
	}
	return c.call(ctx, "POST", "/v1/customer/disputes/"+url.PathEscape(id)+"/make-offer", body, c.merchantHeaders(merchantID, ""), nil)
}

// EscalateDispute turns an inquiry into a claim PayPal reviews.
func (c *Client) EscalateDispute(ctx context.Context, merchantID, id, note string) error {
	return c.call(ctx, "POST", "/v1/customer/disputes/"+url.PathEscape(id)+"/escalate", map[string]string{"note": note}, c.merchantHeaders(merchantID, ""), nil)
}

// AcceptDisputeClaim accepts liability: the buyer is refunded the amount (all of it when nil).
func (c *Client) AcceptDisputeClaim(ctx context.Context, merchantID, id, note string, amount *Money) error {
	body := map[string]any{"note": note, "accept_claim_type": "REFUND"}
	if amount != nil {
		body["refund_amount"], body["accept_claim_type"] = amount, "PARTIAL_REFUND"
	}
	return c.disputeAction(ctx, merchantID, id, "accept-claim", body, nil, "accept-claim-document")
}

// ProvideDisputeEvidence sends evidence and its documents (JPG, GIF, PNG or PDF, under 10 MB each
// and 50 MB in all).
func (c *Client) ProvideDisputeEvidence(ctx context.Context, merchantID, id string, evidences []Evidence, files []File) error {
	return c.disputeAction(ctx, merchantID, id, "provide-evidence", map[string]any{"evidences": evidences}, files, "evidence-file")
}

// disputeAction posts multipart/form-data as the Disputes API wants: the JSON in an "input" part
// and each file in a part named filePart.
func (c *Client) disputeAction(ctx context.Context, merchantID, id, action string, input any, files []File, filePart string) error {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	js, err := json.Marshal(input)
	if err != nil {
		return err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="input"; filename="input.json"`)
	h.Set("Content-Type", "application/json")
	part, err := w.CreatePart(h)
	if err != nil {
		return err
	}
	part.Write(js)
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+filePart+`"; filename="`+f.Name+`"`)
		h.Set("Content-Type", f.ContentType)
		part, err := w.CreatePart(h)
		if err != nil {
			return err
		}
		part.Write(f.Data)
	}
	if err := w.Close(); err != nil {
		return err
	}
	headers := c.merchantHeaders(merchantID, "")
	headers["Content-Type"] = w.FormDataContentType()
	return c.callRaw(ctx, http.MethodPost, "/v1/customer/disputes/"+url.PathEscape(id)+"/"+action, buf.Bytes(), headers, nil)
}
