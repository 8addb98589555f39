package messenger

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client calls the Graph API's Messenger endpoints. BaseURL includes the version, for example
// https://graph.facebook.com/v21.0 or the sandbox's /sandbox/graph/v21.0.
type Client struct {
	BaseURL   string
	AppSecret string // for appsecret_proof
	HTTP      *http.Client
}

// NewClient makes a client with a 10 s timeout per call.
func NewClient(baseURL, appSecret string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), AppSecret: appSecret, HTTP: &http.Client{Timeout: 10 * time.Second}}
}

// Messaging types of the Send API.
const (
	MessagingResponse = "RESPONSE"
	MessagingUpdate   = "UPDATE"
	MessagingTag      = "MESSAGE_TAG"
	// MessagingUtility sends a Page-owned utility template Meta approved, at any time since the
	// shopper last wrote (the replacement of the retired post-purchase tags).
	MessagingUtility = "UTILITY"
)

// SendRequest is a Send API call: a message to one PSID.
type SendRequest struct {
	Recipient     Recipient       `json:"recipient"`
	MessagingType string          `json:"messaging_type"`
	Message       json.RawMessage `json:"message"`
	Tag           string          `json:"tag,omitempty"`
}

// Recipient addresses a person by their page-scoped id.
type Recipient struct {
	ID string `json:"id"`
}

// SendResponse is what the Send API answers.
type SendResponse struct {
	RecipientID string `json:"recipient_id"`
	MessageID   string `json:"message_id"`
}

// Send delivers a message with the Page's access token.
func (c *Client) Send(ctx context.Context, pageToken string, req SendRequest) (*SendResponse, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	var out SendResponse
	if err := c.post(ctx, "/me/messages", pageToken, body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AppSecretProof is the HMAC-SHA256 of the access token under the app secret, hex-encoded.
func AppSecretProof(appSecret, token string) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// Profile is what the User Profile API tells of a person (the fields chatshop asks for).
type Profile struct {
	ID         string `json:"id"`
	FirstName  string `json:"first_name"`
	LastName   string `json:"last_name"`
	ProfilePic string `json:"profile_pic"`
	Locale     string `json:"locale"`
	Timezone   int    `json:"timezone"`
}

// UserProfile reads a person's name, picture, locale and timezone with the Page's token.
func (c *Client) UserProfile(ctx context.Context, pageToken, psid string) (*Profile, error) {
	var out Profile
	q := url.Values{"fields": {"first_name,last_name,profile_pic,locale,timezone"}}
	if err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(psid), q, pageToken, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *Client) post(ctx context.Context, path, token string, body []byte, out any) error {
	return c.do(ctx, http.MethodPost, path, url.Values{}, token, body, out)
}

// do makes a Graph call with the token and its appsecret_proof and decodes Meta's errors.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, token string, body []byte, out any) error {
	q.Set("access_token", token)
	q.Set("appsecret_proof", AppSecretProof(c.AppSecret, token))
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path+"?"+q.Encode(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return &Error{Transport: err} // a timeout or a refused connection: retryable
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return &Error{Transport: err}
	}
	if res.StatusCode/100 != 2 {
		return decodeError(res.StatusCode, raw)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("messenger: %s answered %q: %w", path, raw, err)
	}
	return nil
}
