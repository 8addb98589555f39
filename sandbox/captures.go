package sandbox

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// kept is an answer its handler has remembered itself, in the transaction of its writes, so that
// idempotent does not remember it again.
type kept []byte

// pay keeps a captured order, its capture and the answer to the request (201, the order's view) in
// one transaction, then tells the app with the webhook the capture's outcome calls for. From names
// the statuses the order is captured from; none means the order is new. paid is false, with
// nothing kept, when the order has left those statuses (captured meanwhile).
func (s *Sandbox) pay(c echo.Context, endpoint string, o *order, from []string, cap capture) (answer kept, paid bool, err error) {
	body, err := json.Marshal(o)
	if err != nil {
		return nil, false, err
	}
	resource, err := json.Marshal(cap)
	if err != nil {
		return nil, false, err
	}
	if answer, err = json.Marshal(s.orderView(c, o)); err != nil {
		return nil, false, err
	}
	gross, _ := minor(cap.Amount)
	p := sandboxdb.Captured{
		Order: &sandboxdb.Order{ID: o.ID, MerchantID: cap.Payee.MerchantID, Status: o.Status, Body: string(body)},
		From:  from,
		Capture: &sandboxdb.Capture{ID: cap.ID, OrderID: o.ID, MerchantID: cap.Payee.MerchantID, Status: cap.Status,
			Currency: cap.Amount.CurrencyCode, AmountMinor: gross, Body: string(resource)},
	}
	if rid := c.Request().Header.Get("PayPal-Request-Id"); rid != "" {
		p.Answer = &sandboxdb.Answer{Endpoint: endpoint, RequestID: rid, Status: http.StatusCreated, Response: string(answer)}
	}
	if paid, err = s.dir.RecordSandboxCapture(c.Request().Context(), p); err != nil || !paid {
		return nil, false, err
	}
	_, err = s.emitPayPal(captureEvents[cap.Status], resource)
	return answer, true, err
}
