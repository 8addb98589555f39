package messenger

import (
	"context"
	"encoding/json"
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
