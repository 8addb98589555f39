package messenger

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// TemplateRequest is a Page-owned utility template as POST /{page-id}/message_templates takes it:
// a body with positional placeholders ({{1}}, {{2}} ...) and an example value for each.
type TemplateRequest struct {
	Name     string
	Language string
	Body     string
	Examples []string
}

// Template is a Page's template as Meta reviews it: PENDING, APPROVED, REJECTED (with a reason),
// PAUSED, DISABLED ...
type Template struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Language       string `json:"language"`
	Status         string `json:"status"`
	RejectedReason string `json:"rejected_reason"`
}

// CreateTemplate asks Meta for a Page-owned utility template; Meta answers its id and the status
// of its review (PENDING until reviewed, within seconds).
func (c *Client) CreateTemplate(ctx context.Context, pageID, pageToken string, t TemplateRequest) (*Template, error) {
	body, err := json.Marshal(map[string]any{"name": t.Name, "language": t.Language, "category": "UTILITY",
		"components": []any{map[string]any{"type": "BODY", "text": t.Body, "example": map[string]any{"body_text": [][]string{t.Examples}}}}})
	if err != nil {
		return nil, err
	}
	var out Template
	if err := c.do(ctx, http.MethodPost, "/"+url.PathEscape(pageID)+"/message_templates", url.Values{}, pageToken, body, &out); err != nil {
		return nil, err
	}
	out.Name, out.Language = t.Name, t.Language
	return &out, nil
}

// Templates lists the Page's templates of a name, in every language.
func (c *Client) Templates(ctx context.Context, pageID, pageToken, name string) ([]Template, error) {
	var out struct {
		Data []Template `json:"data"`
	}
	q := url.Values{"name": {name}, "fields": {"id,name,language,status,rejected_reason"}, "limit": {"100"}}
	if err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(pageID)+"/message_templates", q, pageToken, nil, &out); err != nil {
		return nil, err
	}
	return out.Data, nil
}

// DeleteTemplate deletes one of the Page's templates (by name and id).
func (c *Client) DeleteTemplate(ctx context.Context, pageID, pageToken, name, templateID string) error {
	var out struct {
		Success bool `json:"success"`
	}
	q := url.Values{"name": {name}, "template_id": {templateID}}
	return c.do(ctx, http.MethodDelete, "/"+url.PathEscape(pageID)+"/message_templates", q, pageToken, nil, &out)
}

// UtilityMessage is the message of a UTILITY send: the template by name and language, with the
// values of its body's placeholders in order.
func UtilityMessage(name, language string, values ...string) json.RawMessage {
	params := make([]map[string]string, len(values))
	for i, v := range values {
		params[i] = map[string]string{"type": "text", "text": strings.TrimSpace(v)}
	}
	body, _ := json.Marshal(map[string]any{"template": map[string]any{"name": name, "language": map[string]string{"code": language},
		"components": []any{map[string]any{"type": "body", "parameters": params}}}})
	return body
}
