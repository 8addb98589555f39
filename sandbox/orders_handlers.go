package sandbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// payPalIssues answers a request with PayPal's error shape, details and information links.
func payPalIssues(c echo.Context, status int, issues []issue) error {
	return c.JSON(status, errorBody(status, issues))
}

// notFound is PayPal's issue for an id that names nothing.
func notFound(field, value, location string) []issue {
	return []issue{{Field: field, Value: value, Location: location, Issue: "INVALID_RESOURCE_ID",
		Description: "Specified resource ID does not exist. Please check the resource ID and try again."}}
}

// idempotent answers a repeated PayPal-Request-Id with the first successful answer (200 instead
// of 201), or runs handle and remembers its answer if it succeeded: a refusal may not hold once
// the state changes (the buyer approves, say).
func (s *Sandbox) idempotent(c echo.Context, endpoint string, handle func() (int, any, error)) error {
	ctx := c.Request().Context()
	rid := c.Request().Header.Get("PayPal-Request-Id")
	if rid != "" {
		status, body, found, err := s.dir.SandboxRequest(ctx, endpoint, rid)
		if err != nil {
			return err
		}
		if found {
			// Payments v2 documents only 201 for a refund; the others document 200 for a replay.
			if status == http.StatusCreated && !strings.HasPrefix(endpoint, "captures.refund") {
				status = http.StatusOK
			}
			return c.JSONBlob(status, []byte(body))
		}
	}
	status, res, err := handle()
	if err != nil {
		return err
	}
	if answer, ok := res.(kept); ok {
		return c.JSONBlob(status, answer)
	}
	body, err := json.Marshal(res)
	if err != nil {
		return err
	}
	if rid != "" && status < 300 {
		if err := s.dir.RememberSandboxRequest(ctx, endpoint, rid, status, string(body)); err != nil {
			return err
		}
	}
	return c.JSONBlob(status, body)
}

// CreateOrder is POST /v2/checkout/orders.
func (s *Sandbox) CreateOrder(c echo.Context) error {
	var o order
	dec := json.NewDecoder(c.Request().Body)
	if err := dec.Decode(&o); err != nil {
		return payPalIssues(c, http.StatusBadRequest, []issue{{Location: "body", Issue: "MALFORMED_REQUEST_JSON",
			Description: "The request JSON is not well formed."}})
	}
	return s.idempotent(c, "orders.create", func() (int, any, error) {
		if status, bad := validateOrder(&o); status != 0 {
			return status, errorBody(status, bad), nil
		}
		src := o.PaymentSource
		if src != nil && src.PayPal != nil && src.PayPal.VaultID != "" {
			return s.payWithVault(c, &o)
		}
		o.ID, o.Status, o.CreateTime = payPalID(), "CREATED", payPalTime(time.Now())
		stored := &sandboxdb.Order{ID: o.ID, MerchantID: o.PurchaseUnits[0].Payee.MerchantID}
		if src != nil && src.PayPal != nil && src.PayPal.ExperienceContext != nil {
			o.Status = "PAYER_ACTION_REQUIRED"
			stored.ReturnURL, stored.CancelURL = src.PayPal.ExperienceContext.ReturnURL, src.PayPal.ExperienceContext.CancelURL
			o.PaymentSource = nil // PayPal does not echo the experience context
		}
		stored.Status = o.Status
		body, err := json.Marshal(o)
		if err != nil {
			return 0, nil, err
		}
		stored.Body = string(body)
		if err := s.dir.CreateSandboxOrder(c.Request().Context(), stored); err != nil {
			return 0, nil, err
		}
		return http.StatusCreated, s.orderView(c, &o), nil
	})
}

// GetOrder is GET /v2/checkout/orders/:id.
func (s *Sandbox) GetOrder(c echo.Context) error {
	o, _, err := s.loadOrder(c.Request().Context(), c.Param("id"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return payPalIssues(c, http.StatusNotFound, notFound("order_id", c.Param("id"), "path"))
	} else if err != nil {
		return err
	}
	if err := s.showTrackers(c.Request().Context(), o); err != nil {
		return err
	}
	o.Links = s.orderLinks(o)
	return c.JSON(http.StatusOK, o)
}

// CaptureOrder is POST /v2/checkout/orders/:id/capture: an approved order is captured once; the
// buyer decides the outcome (the sandbox's pending and declining buyers).
func (s *Sandbox) CaptureOrder(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	endpoint := "orders.capture:" + id
	return s.idempotent(c, endpoint, func() (int, any, error) {
		o, _, err := s.loadOrder(ctx, id)
		if errors.Is(err, sandboxdb.ErrNotFound) {
			return http.StatusNotFound, errorBody(404, notFound("order_id", id, "path")), nil
		} else if err != nil {
			return 0, nil, err
		}
		switch o.Status {
		case "APPROVED":
		case "COMPLETED":
			return 422, errorBody(422, []issue{{Issue: "ORDER_ALREADY_CAPTURED", Description: "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed."}}), nil
		default:
			return 422, errorBody(422, []issue{{Issue: "ORDER_NOT_APPROVED", Description: "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid `payment_source` in the request."}}), nil
		}
		if strings.Contains(c.Request().Header.Get("PayPal-Mock-Response"), "INSTRUMENT_DECLINED") {
			return 422, errorBody(422, []issue{{Issue: "INSTRUMENT_DECLINED", Description: "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment."}}), nil
		}
		buyer := buyerByPayerID(o.Payer.PayerID)
		cap := s.newCapture(o, buyer)
		o.PurchaseUnits[0].Payments = &struct {
			Captures []capture `json:"captures"`
		}{Captures: []capture{cap}}
		o.Status, o.UpdateTime = "COMPLETED", cap.CreateTime
		answer, paid, err := s.pay(c, endpoint, o, []string{"APPROVED"}, cap)
		if err != nil {
			return 0, nil, err
		}
		if !paid {
			return 422, errorBody(422, []issue{{Issue: "ORDER_ALREADY_CAPTURED", Description: "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed."}}), nil
		}
		return http.StatusCreated, answer, nil
	})
}

// captureEvents names the webhook each capture outcome sends.
var captureEvents = map[string]string{"COMPLETED": "PAYMENT.CAPTURE.COMPLETED", "PENDING": "PAYMENT.CAPTURE.PENDING", "DECLINED": "PAYMENT.CAPTURE.DENIED"}

func (s *Sandbox) newCapture(o *order, b Buyer) capture {
	pu := o.PurchaseUnits[0]
	now := payPalTime(time.Now())
	gross, _ := minor(pu.Amount.paypalMoney)
	fee := gross*349/10000 + 49
	code := pu.Amount.CurrencyCode
	cap := capture{ID: payPalID(), Status: "COMPLETED", Amount: pu.Amount.paypalMoney, FinalCapture: true, DisbursementMode: "INSTANT",
		CustomID: pu.CustomID, InvoiceID: pu.InvoiceID, CreateTime: now, UpdateTime: now,
		SellerProtection: map[string]any{"status": "ELIGIBLE", "dispute_categories": []string{"ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"}},
		SellerReceivableBreakdown: map[string]any{"gross_amount": pu.Amount.paypalMoney, "paypal_fee": amountOf(fee, code),
			"net_amount": amountOf(gross-fee, code)},
		SupplementaryData: map[string]any{"related_ids": map[string]string{"order_id": o.ID}},
		Payee:             &payee{EmailAddress: sandboxdb.MerchantEmail(pu.Payee.MerchantID), MerchantID: pu.Payee.MerchantID},
	}
	switch b.Outcome {
	case "pending":
		cap.Status = "PENDING"
		cap.StatusDetails = &struct {
			Reason string `json:"reason"`
		}{"PENDING_REVIEW"}
	case "declined":
		cap.Status = "DECLINED"
	}
	base := s.cfg.PayPalAPIBase
	cap.Links = []link{{base + "/v2/payments/captures/" + cap.ID, "self", "GET"},
		{base + "/v2/payments/captures/" + cap.ID + "/refund", "refund", "POST"},
		{base + "/v2/checkout/orders/" + o.ID, "up", "GET"}}
	return cap
}

// approveOrder records a buyer's approval and tells the app (CHECKOUT.ORDER.APPROVED).
func (s *Sandbox) approveOrder(ctx context.Context, id string, b Buyer) (*order, *sandboxdb.Order, error) {
	o, stored, err := s.loadOrder(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	preference := ""
	if o.PaymentSource != nil && o.PaymentSource.PayPal != nil && o.PaymentSource.PayPal.ExperienceContext != nil {
		preference = o.PaymentSource.PayPal.ExperienceContext.ShippingPreference
	}
	b.shipOrder(o, preference)
	o.Payer = &payer{Name: b.payerName(), EmailAddress: b.Email, PayerID: b.PayerID(), Address: &address{CountryCode: b.Country}}
	o.PaymentSource = &struct {
		PayPal *payPalSource `json:"paypal,omitempty"`
	}{PayPal: &payPalSource{EmailAddress: b.Email, AccountID: b.PayerID(), AccountStatus: "VERIFIED", Name: o.Payer.Name, Address: o.Payer.Address}}
	o.Status, o.UpdateTime = "APPROVED", payPalTime(time.Now())
	body, err := json.Marshal(o)
	if err != nil {
		return nil, nil, err
	}
	moved, err := s.dir.MoveSandboxOrder(ctx, id, []string{"CREATED", "PAYER_ACTION_REQUIRED"}, "APPROVED", string(body))
	if err != nil {
		return nil, nil, err
	}
	if !moved {
		return nil, nil, errOrderNotApprovable
	}
	o.Links = s.orderLinks(o)
	resource, _ := json.Marshal(o)
	if _, err := s.emitPayPal("CHECKOUT.ORDER.APPROVED", resource); err != nil {
		return nil, nil, err
	}
	return o, stored, nil
}

var errOrderNotApprovable = errors.New("the order is not waiting for approval")

// ApproveOrderAPI is the control API POST /sandbox/paypal/api/approve {order_id, buyer?}.
func (s *Sandbox) ApproveOrderAPI(c echo.Context) error {
	var req struct {
		OrderID string `json:"order_id"`
		Buyer   string `json:"buyer"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil || req.OrderID == "" {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, `send {"order_id": "...", "buyer": "buyer@sandbox.chatshop.test"}`)
	}
	b, ok := buyerByEmail(req.Buyer)
	if !ok {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "unknown buyer "+req.Buyer+"; see GET /sandbox/api/info")
	}
	o, stored, err := s.approveOrder(c.Request().Context(), req.OrderID, b)
	switch {
	case errors.Is(err, sandboxdb.ErrNotFound):
		return echo.NewHTTPError(http.StatusNotFound, "no order "+req.OrderID)
	case errors.Is(err, errOrderNotApprovable):
		return echo.NewHTTPError(http.StatusConflict, err.Error())
	case err != nil:
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"order_id": o.ID, "status": o.Status, "payer_id": b.PayerID(),
		"return_url": returnURL(stored.ReturnURL, o.ID, b.PayerID())})
}

// returnURL is where PayPal sends the buyer back after approval: ?token=<order>&PayerID=<payer>.
func returnURL(base, orderID, payerID string) string {
	if base == "" {
		return ""
	}
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("token", orderID)
	if payerID != "" {
		q.Set("PayerID", payerID)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func (s *Sandbox) loadOrder(ctx context.Context, id string) (*order, *sandboxdb.Order, error) {
	stored, err := s.dir.SandboxOrderByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	var o order
	if err := json.NewDecoder(bytes.NewReader([]byte(stored.Body))).Decode(&o); err != nil {
		return nil, nil, err
	}
	return &o, stored, nil
}

// orderView is the answer to create and capture: minimal (id, status, links) unless the caller
// asked for Prefer: return=representation.
func (s *Sandbox) orderView(c echo.Context, o *order) any {
	o.Links = s.orderLinks(o)
	if strings.Contains(c.Request().Header.Get("Prefer"), "return=representation") {
		return o
	}
	return map[string]any{"id": o.ID, "status": o.Status, "links": o.Links}
}

func (s *Sandbox) orderLinks(o *order) []link {
	self := s.cfg.PayPalAPIBase + "/v2/checkout/orders/" + o.ID
	links := []link{{self, "self", "GET"}}
	switch o.Status {
	case "CREATED":
		links = append(links, link{s.checkoutURL(o.ID), "approve", "GET"}, link{self, "update", "PATCH"}, link{self + "/capture", "capture", "POST"})
	case "PAYER_ACTION_REQUIRED":
		links = append(links, link{s.checkoutURL(o.ID), "payer-action", "GET"})
	case "APPROVED":
		links = append(links, link{self, "update", "PATCH"}, link{self + "/capture", "capture", "POST"})
	}
	return links
}

// checkoutURL is the buyer's approval page for an order.
func (s *Sandbox) checkoutURL(orderID string) string {
	return strings.TrimSuffix(s.cfg.PayPalAPIBase, "/") + "/checkout/now?token=" + orderID
}

// payPalErrors are the name and message PayPal gives each error status.
var payPalErrors = map[int][2]string{
	400: {"INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema."},
	401: {"AUTHENTICATION_FAILURE", "Authentication failed due to missing authorization header, or invalid authentication credentials."},
	404: {"RESOURCE_NOT_FOUND", "The specified resource does not exist."},
	422: {"UNPROCESSABLE_ENTITY", "The requested action could not be performed, semantically incorrect, or failed business validation."},
}

// errorBody is PayPal's error shape: name, details, message, debug id and an information link per issue.
func errorBody(status int, issues []issue) map[string]any {
	body := map[string]any{"name": payPalErrors[status][0], "message": payPalErrors[status][1], "debug_id": randomHex(7)[:13]}
	if len(issues) > 0 {
		var links []link
		for _, is := range issues {
			links = append(links, link{Href: "https://developer.paypal.com/docs/api/orders/v2/#error-" + is.Issue, Rel: "information_link", Method: "GET"})
		}
		body["details"], body["links"] = issues, links
	}
	return body
}

func payPalTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// PayerID is the buyer's 13-character PayPal payer id, stable for the buyer.
func (b Buyer) PayerID() string {
	sum := sha256.Sum256([]byte(b.Email))
	const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	out := make([]byte, 13)
	for i := range out {
		out[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return string(out)
}

func buyerByEmail(email string) (Buyer, bool) {
	if email == "" {
		return Buyers[0], true
	}
	for _, b := range Buyers {
		if strings.EqualFold(b.Email, email) {
			return b, true
		}
	}
	return Buyer{}, false
}

func buyerByPayerID(id string) Buyer {
	for _, b := range Buyers {
		if b.PayerID() == id {
			return b
		}
	}
	return Buyers[0]
}
