package messenger

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
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

// PageFields are the webhook fields chatshop subscribes a Page to.
var PageFields = []string{"messages", "messaging_postbacks", "messaging_account_linking", "message_echoes", "message_deliveries", "message_reads"}

// SubscribeApp subscribes the app to the Page's webhook fields.
func (c *Client) SubscribeApp(ctx context.Context, pageID, pageToken string, fields []string) error {
	var out struct {
		Success bool `json:"success"`
	}
	q := url.Values{"subscribed_fields": {strings.Join(fields, ",")}}
	return c.do(ctx, http.MethodPost, "/"+url.PathEscape(pageID)+"/subscribed_apps", q, pageToken, nil, &out)
}

// SubscribedFields lists the webhook fields the app is subscribed to on the Page; none if the app
// is not subscribed.
func (c *Client) SubscribedFields(ctx context.Context, pageID, pageToken string) ([]string, error) {
	var out struct {
		Data []struct {
			SubscribedFields []string `json:"subscribed_fields"`
		} `json:"data"`
	}
	if err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(pageID)+"/subscribed_apps", url.Values{}, pageToken, nil, &out); err != nil {
		return nil, err
	}
	if len(out.Data) == 0 {
		return nil, nil
	}
	return out.Data[0].SubscribedFields, nil
}
