package messenger

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
)

// AccountLinkingRecipient is the PSID of the person behind an account_linking_token (valid five
// minutes after they tapped the Log In button).
func (c *Client) AccountLinkingRecipient(ctx context.Context, pageToken, linkingToken string) (string, error) {
	var out struct {
		ID        string `json:"id"`
		Recipient string `json:"recipient"`
	}
	q := url.Values{"fields": {"recipient"}, "account_linking_token": {linkingToken}}
	if err := c.do(ctx, http.MethodGet, "/me", q, pageToken, nil, &out); err != nil {
		return "", err
	}
	return out.Recipient, nil
}

// UnlinkAccount ends the account link of a person, from the business's side.
func (c *Client) UnlinkAccount(ctx context.Context, pageToken, psid string) error {
	body, _ := json.Marshal(map[string]string{"psid": psid})
	var out struct {
		Result string `json:"result"`
	}
	return c.post(ctx, "/me/unlink_accounts", pageToken, body, &out)
}

// AccountLinking is an account_linking messaging item: the person linked (with the business's
// authorization_code) or unlinked their account.
type AccountLinking struct {
	Status            string // linked or unlinked
	AuthorizationCode string
}

// ReadAccountLinking reads an account_linking messaging item.
func ReadAccountLinking(item json.RawMessage) (AccountLinking, error) {
	var raw struct {
		AccountLinking *struct {
			Status            string `json:"status"`
			AuthorizationCode string `json:"authorization_code"`
		} `json:"account_linking"`
	}
	if err := json.Unmarshal(item, &raw); err != nil {
		return AccountLinking{}, err
	}
	if raw.AccountLinking == nil {
		return AccountLinking{}, errors.New("messenger: not an account_linking item")
	}
	return AccountLinking{Status: raw.AccountLinking.Status, AuthorizationCode: raw.AccountLinking.AuthorizationCode}, nil
}
