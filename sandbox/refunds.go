package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// refund is PayPal's refund resource (payments_payment_v2.json).
type refund struct {
	ID                     string         `json:"id"`
	Status                 string         `json:"status"`
	Amount                 paypalMoney    `json:"amount"`
	NoteToPayer            string         `json:"note_to_payer,omitempty"`
	CustomID               string         `json:"custom_id,omitempty"`
	InvoiceID              string         `json:"invoice_id,omitempty"`
	SellerPayableBreakdown map[string]any `json:"seller_payable_breakdown"`
	Payer                  *payee         `json:"payer,omitempty"`
	Links                  []link         `json:"links"`
	CreateTime             string         `json:"create_time"`
	UpdateTime             string         `json:"update_time"`
}

// GetCapture is GET /v2/payments/captures/:id.
func (s *Sandbox) GetCapture(c echo.Context) error {
	stored, err := s.dir.SandboxCaptureByID(c.Request().Context(), c.Param("id"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return payPalIssues(c, http.StatusNotFound, notFound("capture_id", c.Param("id"), "path"))
	} else if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, []byte(stored.Body))
}

// RefundCapture is POST /v2/payments/captures/:id/refund: no amount refunds what is left; a
// refund larger than what is left, of another currency or of a capture that is not completed is
// refused as PayPal refuses it. Each refund sends PAYMENT.CAPTURE.REFUNDED.
func (s *Sandbox) RefundCapture(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	var req struct {
		Amount      *paypalMoney `json:"amount"`
		NoteToPayer string       `json:"note_to_payer"`
		CustomID    string       `json:"custom_id"`
		InvoiceID   string       `json:"invoice_id"`
	}
	if c.Request().ContentLength != 0 {
		if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
			return payPalIssues(c, http.StatusBadRequest, []issue{{Location: "body", Issue: "MALFORMED_REQUEST_JSON", Description: "The request JSON is not well formed."}})
		}
	}
	return s.idempotent(c, "captures.refund:"+id, func() (int, any, error) {
		capt, err := s.dir.SandboxCaptureByID(ctx, id)
		if errors.Is(err, sandboxdb.ErrNotFound) {
			return http.StatusNotFound, errorBody(404, notFound("capture_id", id, "path")), nil
		} else if err != nil {
			return 0, nil, err
		}
		left := capt.AmountMinor - capt.RefundedMinor
		amount := left
		refuse := func(code, description string) (int, any, error) {
			return http.StatusUnprocessableEntity, errorBody(422, []issue{{Issue: code, Description: description}}), nil
		}
		switch {
		case capt.Status == "REFUNDED" || left <= 0:
			return refuse("CAPTURE_FULLY_REFUNDED", "The capture has already been fully refunded")
		case capt.Status == "PENDING":
			return refuse("PENDING_CAPTURE", "Cannot initiate a refund as the capture is pending. Capture is typically pending when the payer has funded the transaction using e-check/bank funded.")
		case capt.Status != "COMPLETED" && capt.Status != "PARTIALLY_REFUNDED":
			return refuse("REFUND_NOT_ALLOWED", "Capture cannot be refunded.")
		}
		if req.Amount != nil {
			if req.Amount.CurrencyCode != capt.Currency {
				return refuse("REFUND_CAPTURE_CURRENCY_MISMATCH", "Refund must be in the same currency as the capture")
			}
			v, ok := minor(*req.Amount)
			switch {
			case !ok:
				return http.StatusUnprocessableEntity, errorBody(422, []issue{{Field: "/amount/value", Value: req.Amount.Value, Location: "body", Issue: "DECIMAL_PRECISION",
					Description: "If the currency supports decimals, only two decimal place precision is supported."}}), nil
			case v <= 0:
				return refuse("CANNOT_BE_ZERO_OR_NEGATIVE", "Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.")
			case v > left:
				return refuse("REFUND_AMOUNT_EXCEEDED", "The refund amount must be less than or equal to the capture amount that has not yet been refunded.")
			}
			amount = v
		}
		r, ok, err := s.takeBack(ctx, capt, amount, refund{NoteToPayer: req.NoteToPayer, CustomID: req.CustomID, InvoiceID: req.InvoiceID},
			"PAYMENT.CAPTURE.REFUNDED")
		if err != nil {
			return 0, nil, err
		}
		if !ok {
			return http.StatusConflict, map[string]any{"name": "RESOURCE_CONFLICT", "message": "The server has detected a conflict while processing this request.",
				"debug_id": randomHex(7)[:13], "details": []issue{{Issue: "PREVIOUS_REQUEST_IN_PROGRESS",
					Description: "A previous request on this resource is currently in progress. Please wait for sometime and try again. It is best to space out the initial and the subsequent request(s) to avoid receiving this error."}}}, nil
		}
		if c.Request().Header.Get("Prefer") == "return=representation" {
			return http.StatusCreated, r, nil
		}
		return http.StatusCreated, map[string]any{"id": r.ID, "status": r.Status, "links": r.Links}, nil
	})
}

// takeBack gives amount of the capture back to the buyer, as a refund (r carries the merchant's
// note and ids) or a dispute's settlement: the capture becomes partially or fully refunded and the
// merchant gets event with the refund. False if another refund changed the capture meanwhile.
func (s *Sandbox) takeBack(ctx context.Context, capt *sandboxdb.Capture, amount int64, r refund, event string) (refund, bool, error) {
	now := time.Now().In(time.FixedZone("PDT", -7*3600)).Format(time.RFC3339)
	fee := amount * 349 / 10000
	code := capt.Currency
	r.ID, r.Status, r.Amount, r.CreateTime, r.UpdateTime = payPalID(), "COMPLETED", amountOf(amount, code), now, now
	r.SellerPayableBreakdown = map[string]any{"gross_amount": amountOf(amount, code), "paypal_fee": amountOf(fee, code),
		"net_amount": amountOf(amount-fee, code), "total_refunded_amount": amountOf(capt.RefundedMinor+amount, code)}
	r.Payer = &payee{EmailAddress: sandboxdb.MerchantEmail(capt.MerchantID), MerchantID: capt.MerchantID}
	base := s.cfg.PayPalAPIBase
	r.Links = []link{{base + "/v2/payments/refunds/" + r.ID, "self", "GET"}, {base + "/v2/payments/captures/" + capt.ID, "up", "GET"}}

	var body map[string]any
	if err := json.Unmarshal([]byte(capt.Body), &body); err != nil {
		return r, false, err
	}
	status := "PARTIALLY_REFUNDED"
	if capt.RefundedMinor+amount == capt.AmountMinor {
		status = "REFUNDED"
	}
	body["status"], body["update_time"] = status, payPalTime(time.Now())
	newBody, _ := json.Marshal(body)
	ok, err := s.dir.RefundSandboxCapture(ctx, capt.ID, capt.RefundedMinor, capt.RefundedMinor+amount, status, string(newBody))
	if err != nil || !ok {
		return r, false, err
	}
	resource, _ := json.Marshal(r)
	_, err = s.emitPayPal(event, resource)
	return r, true, err
}
