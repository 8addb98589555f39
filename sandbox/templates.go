package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/sandbox/views"
)

// templateReview is how long Meta's review of a new template takes in the emulator ("within
// seconds of creation").
const templateReview = 300 * time.Millisecond

// templateFields are the webhook fields of a template's status change: Meta's documents name both.
var templateFields = []string{"message_template_status_update", "messenger_template_status_update"}

var (
	templateName = regexp.MustCompile(`^[a-z0-9_]{1,512}$`)
	placeholder  = regexp.MustCompile(`\{\{([^}]*)\}\}`)
	// marketing words make Meta reject a utility template (TAG_SHOULD_BE_MARKETING).
	marketing = regexp.MustCompile(`(?i)\b(sale|discount|\d+% off|coupon|promo|offer|deal|shop now|buy now|limited time)\b`)
)

// templateComponent is a component of a template as created (HEADER, BODY, BUTTONS).
type templateComponent struct {
	Type    string `json:"type"`
	Format  string `json:"format,omitempty"`
	Text    string `json:"text,omitempty"`
	Example *struct {
		BodyText   [][]string `json:"body_text,omitempty"`
		HeaderText []string   `json:"header_text,omitempty"`
	} `json:"example,omitempty"`
	Buttons []map[string]any `json:"buttons,omitempty"`
}

// MessageTemplates is the Graph edge /{page-id}/message_templates: POST creates a Page-owned
// utility template (reviewed within a second: approved, or rejected as marketing), GET lists the
// Page's templates (by name), DELETE deletes them by name (or one by template_id / hsm_id).
func (s *Sandbox) MessageTemplates(c echo.Context) error {
	token := c.QueryParam("access_token")
	if !s.validProof(c, token) {
		return invalidProof(c)
	}
	pageID := c.Param("page")
	if !s.pageTokenValid(c.Request().Context(), pageID, token) {
		return graphError(c, http.StatusBadRequest, messenger.CodeInvalidToken, 0, "OAuthException", "Invalid OAuth access token.")
	}
	switch c.Request().Method {
	case http.MethodGet:
		return s.listTemplates(c, pageID)
	case http.MethodDelete:
		name := c.QueryParam("name")
		if name == "" {
			return invalidParam(c, "The parameter name is required")
		}
		id := c.QueryParam("template_id")
		if id == "" {
			id = c.QueryParam("hsm_id")
		}
		if err := s.dir.DeleteTemplates(c.Request().Context(), pageID, name, id); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]bool{"success": true})
	}
	return s.createTemplate(c, pageID)
}

func (s *Sandbox) createTemplate(c echo.Context, pageID string) error {
	var req struct {
		Name       string              `json:"name"`
		Language   string              `json:"language"`
		Category   string              `json:"category"`
		Components []templateComponent `json:"components"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
		return invalidParam(c, "Invalid JSON for the template")
	}
	switch {
	case !templateName.MatchString(req.Name):
		return invalidParam(c, "Param name must be lowercase letters, digits and underscores")
	case req.Language == "":
		return invalidParam(c, "The parameter language is required")
	case req.Category != "UTILITY":
		return invalidParam(c, "Param category must be one of {UTILITY}")
	}
	body, problem := templateBody(req.Components)
	if problem != "" {
		return graphError(c, http.StatusBadRequest, 100, 2388043, "OAuthException", "(#100) "+problem)
	}
	components, err := json.Marshal(req.Components)
	if err != nil {
		return err
	}
	t := &sandboxdb.Template{ID: psid()[:15], PageID: pageID, Name: req.Name, Language: req.Language, Status: "PENDING", Components: string(components)}
	if err := s.dir.CreateTemplate(c.Request().Context(), t); errors.Is(err, sandboxdb.ErrConflict) {
		return graphError(c, http.StatusBadRequest, 100, 2388024, "OAuthException",
			"(#100) Message template already exists: a template with the name "+req.Name+" and the language "+req.Language+" exists for this Page")
	} else if err != nil {
		return err
	}
	status, reason := "APPROVED", ""
	if marketing.MatchString(body) {
		status, reason = "REJECTED", "TAG_SHOULD_BE_MARKETING"
	}
	s.review(t, status, reason)
	return c.JSON(http.StatusOK, map[string]string{"id": t.ID, "status": t.Status, "category": "UTILITY"})
}

// templateBody checks a template's components as Meta's review does and returns its text: a
// BODY, placeholders {{1}}..{{n}} in order with an example each, none at either end.
func templateBody(components []templateComponent) (string, string) {
	var text string
	for _, comp := range components {
		switch strings.ToUpper(comp.Type) {
		case "BODY":
			text = comp.Text
			n := 0
			for _, m := range placeholder.FindAllStringSubmatch(comp.Text, -1) {
				n++
				if m[1] != strconv.Itoa(n) {
					return "", "INCORRECT_PARAMS: placeholders are {{1}}, {{2}} ... in order"
				}
			}
			if n > 0 && (comp.Example == nil || len(comp.Example.BodyText) == 0 || len(comp.Example.BodyText[0]) != n) {
				return "", "TEMPLATE_VARIABLES_MISSING_SAMPLE_VALUES: give an example for each placeholder"
			}
			trimmed := strings.TrimSpace(comp.Text)
			if strings.HasPrefix(trimmed, "{{") || strings.HasSuffix(trimmed, "}}") {
				return "", "INCORRECT_PARAMS: a template may not start or end with a placeholder"
			}
		case "HEADER", "BUTTONS", "FOOTER":
		default:
			return "", "Invalid component type " + comp.Type
		}
	}
	if text == "" {
		return "", "A template needs a BODY component"
	}
	return text, ""
}

// review finishes Meta's review of a new template shortly after it was made, and tells the Page's
// app when it subscribed to the status field.
func (s *Sandbox) review(t *sandboxdb.Template, status, reason string) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(templateReview):
		}
		if err := s.setTemplateStatus(s.ctx, t, []string{"PENDING"}, status, reason); err != nil && s.ctx.Err() == nil {
			s.log.Warn("sandbox: template review", "template", t.ID, "err", err)
		}
	}()
}

// setTemplateStatus records a template's new status (if it is one of from; any when empty) and
// sends the status webhook.
func (s *Sandbox) setTemplateStatus(ctx context.Context, t *sandboxdb.Template, from []string, status, reason string) error {
	if changed, err := s.dir.SetTemplateStatus(ctx, t.ID, from, status, reason); err != nil || !changed {
		return err
	}
	fields, _, err := s.dir.SandboxPageSubscription(ctx, t.PageID)
	if err != nil {
		return err
	}
	for _, field := range templateFields {
		if !slices.Contains(fields, field) {
			continue
		}
		value := map[string]any{"event": status, "message_template_id": t.ID, "message_template_name": t.Name,
			"message_template_language": t.Language, "reason": reasonOrNone(reason), "message_template_category": "UTILITY"}
		envelope := map[string]any{"object": "page", "entry": []any{map[string]any{"id": t.PageID, "time": time.Now().Unix(),
			"changes": []any{map[string]any{"field": field, "value": value}}}}}
		body, err := json.Marshal(envelope)
		if err != nil {
			return err
		}
		s.deliverMessenger(asciiJSON(body))
	}
	return nil
}

func reasonOrNone(reason string) string {
	if reason == "" {
		return "NONE"
	}
	return reason
}

func (s *Sandbox) listTemplates(c echo.Context, pageID string) error {
	rows, err := s.dir.Templates(c.Request().Context(), pageID, c.QueryParam("name"))
	if err != nil {
		return err
	}
	data := []map[string]any{}
	for _, t := range rows {
		item := map[string]any{"id": t.ID, "name": t.Name, "language": t.Language, "status": t.Status, "category": "UTILITY",
			"components": json.RawMessage(t.Components)}
		if t.RejectedReason != "" {
			item["rejected_reason"] = t.RejectedReason
		}
		data = append(data, item)
	}
	return c.JSON(http.StatusOK, map[string]any{"data": data, "paging": map[string]any{"cursors": map[string]string{"before": "", "after": ""}}})
}

// RejectTemplateAPI is the control API POST /sandbox/messenger/api/templates/reject {page_id,
// name, language, reason}: Meta's review turns a template down afterwards (a re-review, a
// pause), as the status webhook would tell.
func (s *Sandbox) RejectTemplateAPI(c echo.Context) error {
	var req struct {
		PageID   string `json:"page_id"`
		Name     string `json:"name"`
		Language string `json:"language"`
		Reason   string `json:"reason"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil || req.PageID == "" || req.Name == "" {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, `send {"page_id": "...", "name": "...", "language": "en", "reason": "TAG_SHOULD_BE_MARKETING"}`)
	}
	rows, err := s.dir.Templates(c.Request().Context(), req.PageID, req.Name)
	if err != nil {
		return err
	}
	for _, t := range rows {
		if req.Language == "" || t.Language == req.Language {
			if err := s.setTemplateStatus(c.Request().Context(), &t, nil, "REJECTED", reasonOrNone(req.Reason)); err != nil {
				return err
			}
			return c.JSON(http.StatusOK, map[string]string{"id": t.ID, "status": "REJECTED"})
		}
	}
	return echo.NewHTTPError(http.StatusNotFound, "no template "+req.Name+" of Page "+req.PageID)
}

// retiredTags are the message tags Meta answers with error 100 since April 27, 2026.
var retiredTags = map[string]bool{"POST_PURCHASE_UPDATE": true, "ACCOUNT_UPDATE": true, "CONFIRMED_EVENT_UPDATE": true}

// utilityMessage is a UTILITY send's message: a template of the Page, by name and language, and
// the parameters of its components.
type utilityMessage struct {
	Template *struct {
		Name     string `json:"name"`
		Language struct {
			Code string `json:"code"`
		} `json:"language"`
		Components []struct {
			Type       string `json:"type"`
			Parameters []struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"parameters"`
		} `json:"components"`
	} `json:"template"`
}

// checkUtility checks a UTILITY send: the message is a template of this Page, approved, in that
// language, with as many body parameters as the template has placeholders. It answers the Graph
// error, or returns nil.
func (s *Sandbox) checkUtility(c echo.Context, pageID string, raw json.RawMessage) error {
	var m utilityMessage
	if err := json.Unmarshal(raw, &m); err != nil || m.Template == nil || m.Template.Name == "" {
		return invalidParam(c, "A UTILITY message is a template: message.template with a name, a language and components")
	}
	rows, err := s.dir.Templates(c.Request().Context(), pageID, m.Template.Name)
	if err != nil {
		return err
	}
	var t *sandboxdb.Template
	for i := range rows {
		if rows[i].Language == m.Template.Language.Code {
			t = &rows[i]
		}
	}
	if t == nil {
		return invalidParam(c, "Template name does not exist in the translation: "+m.Template.Name+" ("+m.Template.Language.Code+")")
	}
	if t.Status != "APPROVED" {
		return invalidParam(c, "Template "+t.Name+" is not approved: its status is "+t.Status)
	}
	var components []templateComponent
	if err := json.Unmarshal([]byte(t.Components), &components); err != nil {
		return err
	}
	want, got := 0, 0
	for _, comp := range components {
		if strings.EqualFold(comp.Type, "BODY") {
			want = len(placeholder.FindAllString(comp.Text, -1))
		}
	}
	for _, comp := range m.Template.Components {
		if strings.EqualFold(comp.Type, "body") {
			got = len(comp.Parameters)
		}
	}
	if got != want {
		return invalidParam(c, fmt.Sprintf("Number of parameters does not match the expected number of params: the body of %s takes %d, got %d", t.Name, want, got))
	}
	return nil
}

// utilityView draws a UTILITY message as Messenger shows it: its template's header and body with
// the message's values in place of the placeholders.
func utilityView(raw string, templates []sandboxdb.Template) *views.ChatUtility {
	var m utilityMessage
	if json.Unmarshal([]byte(raw), &m) != nil || m.Template == nil {
		return &views.ChatUtility{Body: "(a utility message the sandbox cannot read)"}
	}
	values := map[string][]string{}
	for _, comp := range m.Template.Components {
		for _, p := range comp.Parameters {
			values[strings.ToLower(comp.Type)] = append(values[strings.ToLower(comp.Type)], p.Text)
		}
	}
	for _, t := range templates {
		if t.Name != m.Template.Name || t.Language != m.Template.Language.Code {
			continue
		}
		var components []templateComponent
		if json.Unmarshal([]byte(t.Components), &components) != nil {
			break
		}
		out := &views.ChatUtility{}
		for _, comp := range components {
			switch strings.ToUpper(comp.Type) {
			case "HEADER":
				out.Header = fill(comp.Text, values["header"])
			case "BODY":
				out.Body = fill(comp.Text, values["body"])
			}
		}
		return out
	}
	return &views.ChatUtility{Body: "(template " + m.Template.Name + ", which the Page does not have)"}
}

// fill puts values in place of a text's placeholders {{1}}, {{2}} ...
func fill(text string, values []string) string {
	return placeholder.ReplaceAllStringFunc(text, func(p string) string {
		n, err := strconv.Atoi(strings.Trim(p, "{}"))
		if err != nil || n < 1 || n > len(values) {
			return p
		}
		return values[n-1]
	})
}
