package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Control is a client of the sandbox's control API on a running server: what a person does in
// the sandbox's chat and on PayPal's pages, as the demo's first start and the benchmark do it.
type Control struct {
	Base string // the server's base URL
	HTTP *http.Client
}

// NewControl is a Control of the server at base.
func NewControl(base string, conns int) *Control {
	return &Control{Base: base, HTTP: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}}
}

// CreateShopper makes a simulated shopper on the Page and returns their PSID.
func (c *Control) CreateShopper(ctx context.Context, pageID, name, locale string) (string, error) {
	var out struct{ PSID string }
	err := c.post(ctx, "/sandbox/messenger/api/shoppers", map[string]string{"page_id": pageID, "name": name, "locale": locale}, &out)
	return out.PSID, err
}

// Say has the shopper write text to the Page.
func (c *Control) Say(ctx context.Context, pageID, psid, text string) error {
	return c.post(ctx, "/sandbox/messenger/api/send", shopperInput{PageID: pageID, PSID: psid, Text: text}, nil)
}

// Tap has the shopper tap a button whose postback payload is payload.
func (c *Control) Tap(ctx context.Context, pageID, psid, title, payload string) error {
	return c.post(ctx, "/sandbox/messenger/api/send", shopperInput{PageID: pageID, PSID: psid, Postback: &tap{Title: title, Payload: payload}}, nil)
}

// Approve has the sandbox's default buyer approve the PayPal order.
func (c *Control) Approve(ctx context.Context, orderID string) error {
	return c.post(ctx, "/sandbox/paypal/api/approve", map[string]string{"order_id": orderID}, nil)
}

// OpenDispute has the buyer of the capture open a dispute in the Resolution Center.
func (c *Control) OpenDispute(ctx context.Context, captureID, reason, message string) error {
	return c.post(ctx, "/sandbox/paypal/api/disputes", map[string]string{"capture_id": captureID, "reason": reason, "message": message}, nil)
}

func (c *Control) post(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("sandbox %s: HTTP %d", path, res.StatusCode)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(res.Body).Decode(out)
}
