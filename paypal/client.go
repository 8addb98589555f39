package paypal

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Client calls PayPal's REST APIs with an OAuth2 client-credentials token, cached until a minute
// before it expires.
type Client struct {
	BaseURL, ClientID, Secret string
	// PartnerID is the platform's own PayPal merchant id, for merchant-integrations.
	PartnerID string
	HTTP      *http.Client
	Now       func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
}

// NewClient makes a client with a 15 s timeout per call.
func NewClient(baseURL, clientID, secret string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), ClientID: clientID, Secret: secret,
		HTTP: &http.Client{Timeout: 15 * time.Second}, Now: time.Now}
}

// APIError is a failed call: PayPal's error object, an HTTP failure, or a transport failure.
type APIError struct {
	HTTPStatus int    `json:"-"`
	Name       string `json:"name"`
	Message    string `json:"message"`
	DebugID    string `json:"debug_id"`
	Details    []struct {
		Field       string `json:"field"`
		Issue       string `json:"issue"`
		Description string `json:"description"`
	} `json:"details"`
	Transport error `json:"-"`
}

func (e *APIError) Error() string {
	if e.Transport != nil {
		return "paypal: " + e.Transport.Error()
	}
	issue := ""
	if len(e.Details) > 0 {
		issue = " " + e.Details[0].Issue
	}
	return fmt.Sprintf("paypal: HTTP %d %s%s: %s (debug id %s)", e.HTTPStatus, e.Name, issue, e.Message, e.DebugID)
}

func (e *APIError) Unwrap() error { return e.Transport }

// Issue is the first detail's issue code, such as ORDER_ALREADY_CAPTURED.
func (e *APIError) Issue() string {
	if len(e.Details) > 0 {
		return e.Details[0].Issue
	}
	return ""
}

// Retryable reports whether the same call, with the same PayPal-Request-Id, may succeed later:
// timeouts, 5xx, 429 and a previous request still in progress. A business refusal (422) or a
// bad request fails the same way again.
func Retryable(err error) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	return e.Transport != nil || e.HTTPStatus >= 500 || e.HTTPStatus == http.StatusTooManyRequests ||
		(e.HTTPStatus == http.StatusConflict && e.Issue() == "PREVIOUS_REQUEST_IN_PROGRESS")
}

func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && c.Now().Before(c.expires.Add(-time.Minute)) {
		return c.token, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/v1/oauth2/token",
		strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.ClientID+":"+c.Secret)))
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := c.send(req, &tok); err != nil {
		return "", err
	}
	c.token, c.expires = tok.AccessToken, c.Now().Add(time.Duration(tok.ExpiresIn)*time.Second)
	return c.token, nil
}

// call makes an authenticated JSON request; headers add PayPal-Request-Id and the like.
func (c *Client) call(ctx context.Context, method, path string, body any, headers map[string]string, out any) error {
	var raw []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		raw = b
	}
	return c.callRaw(ctx, method, path, raw, headers, out)
}

// callRaw makes an authenticated request with a body already encoded (JSON unless headers say
// another Content-Type).
func (c *Client) callRaw(ctx context.Context, method, path string, body []byte, headers map[string]string, out any) error {
	token, err := c.accessToken(ctx)
	if err != nil {
		return err
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		if v != "" { // PayPal refuses empty headers such as PayPal-Request-Id
			req.Header.Set(k, v)
		}
	}
	return c.send(req, out)
}

func (c *Client) send(req *http.Request, out any) error {
	res, err := c.HTTP.Do(req)
	if err != nil {
		return &APIError{Transport: err}
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return &APIError{Transport: err}
	}
	if res.StatusCode/100 != 2 {
		e := &APIError{HTTPStatus: res.StatusCode}
		if json.Unmarshal(raw, e) != nil || e.Name == "" {
			e.Name, e.Message = http.StatusText(res.StatusCode), truncate(raw)
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("paypal: %s %s answered %q: %w", req.Method, req.URL.Path, truncate(raw), err)
	}
	return nil
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// AuthAssertion is the PayPal-Auth-Assertion header that lets a partner act for a merchant it
// onboarded: an unsigned JWT naming the partner's client id and the merchant's payer id.
func AuthAssertion(clientID, merchantID string) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"none"}`))
	claims, _ := json.Marshal(map[string]string{"iss": clientID, "payer_id": merchantID})
	return header + "." + enc.EncodeToString(claims) + "."
}
