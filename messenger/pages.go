package messenger

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// Page is a Facebook Page as the Graph API names it.
type Page struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PageOfToken asks which Page a Page access token belongs to (GET /me with the token): the way to
// check a token before keeping it, and later to check it still works.
func (c *Client) PageOfToken(ctx context.Context, pageToken string) (*Page, error) {
	var out Page
	if err := c.do(ctx, http.MethodGet, "/me", url.Values{"fields": {"id,name"}}, pageToken, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// PageFields are the webhook fields chatshop subscribes a Page to.
var PageFields = []string{"messages", "messaging_postbacks", "messaging_account_linking", "message_echoes", "message_deliveries", "message_reads",
	"message_template_status_update"}

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

// UnsubscribeApp removes the app's webhook subscription from the Page.
func (c *Client) UnsubscribeApp(ctx context.Context, pageID, pageToken string) error {
	var out struct {
		Success bool `json:"success"`
	}
	return c.do(ctx, http.MethodDelete, "/"+url.PathEscape(pageID)+"/subscribed_apps", url.Values{}, pageToken, nil, &out)
}
