package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// graphError answers in the Graph API's error shape.
func graphError(c echo.Context, status, code, subcode int, typ, message string) error {
	e := map[string]any{"message": message, "type": typ, "code": code, "fbtrace_id": "A" + randomHex(11)}
	if subcode != 0 {
		e["error_subcode"] = subcode
	}
	return c.JSON(status, map[string]any{"error": e})
}

// validProof reports whether the call's appsecret_proof is the token's HMAC with the app secret.
func (s *Sandbox) validProof(c echo.Context, token string) bool {
	return c.QueryParam("appsecret_proof") == messenger.AppSecretProof(s.cfg.MetaAppSecret, token)
}

func invalidProof(c echo.Context) error {
	return graphError(c, http.StatusBadRequest, 100, 0, "GraphMethodException", "Invalid appsecret_proof provided in the API argument")
}

// recipient is the shopper a Page's call is about, or nil and the Graph error to answer: an
// invalid token (190) or a PSID the Page does not know (100/2018001).
func (s *Sandbox) recipient(c echo.Context, token, psid string) (*sandboxdb.Shopper, error) {
	sh, err := s.dir.SandboxShopperByPSID(c.Request().Context(), psid)
	if err == nil && s.pageTokenValid(c.Request().Context(), sh.PageID, token) {
		return sh, nil
	}
	if err == nil || token == "" {
		return nil, graphError(c, http.StatusBadRequest, messenger.CodeInvalidToken, 0, "OAuthException", "Invalid OAuth access token.")
	}
	return nil, graphError(c, http.StatusBadRequest, 100, 2018001, "OAuthException", "(#100) No matching user found")
}

func invalidParam(c echo.Context, message string) error {
	return graphError(c, http.StatusBadRequest, 100, 0, "OAuthException", "(#100) "+message)
}

// SendAPI is POST /sandbox/graph/{version}/me/messages: the Send API with Meta's checks, errors
// and limits. Accepted messages are added to the simulated thread.
func (s *Sandbox) SendAPI(c echo.Context) error {
	token := c.QueryParam("access_token")
	if !s.validProof(c, token) {
		return invalidProof(c)
	}
	var req struct {
		Recipient     struct{ ID string } `json:"recipient"`
		MessagingType string              `json:"messaging_type"`
		Tag           string              `json:"tag"`
		Message       json.RawMessage     `json:"message"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
		return invalidParam(c, "Invalid JSON for postback body")
	}
	ctx := c.Request().Context()
	sh, refusal := s.recipient(c, token, req.Recipient.ID)
	if sh == nil {
		return refusal
	}
	if !s.sends.allow(sh.PageID, time.Now()) {
		return graphError(c, http.StatusBadRequest, messenger.CodeRateLimit, 0, "OAuthException", "(#613) Calls to this api have exceeded the rate limit.")
	}
	if sh.Blocked {
		return graphError(c, http.StatusBadRequest, messenger.CodeUserUnavailable, 1545041, "OAuthException", "(#551) This person isn't available right now.")
	}
	last, err := s.dir.LastShopperMessageAt(ctx, sh.PageID, sh.PSID)
	if err != nil {
		return err
	}
	since := time.Since(last)
	switch req.MessagingType {
	case messenger.MessagingResponse, messenger.MessagingUpdate:
		if last.IsZero() || since > 24*time.Hour {
			return graphError(c, http.StatusBadRequest, messenger.CodeOutsideWindow, messenger.SubcodeWindowClosed, "OAuthException",
				"(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview")
		}
	case messenger.MessagingUtility:
		if refusal := s.checkUtility(c, sh.PageID, req.Message); refusal != nil {
			return refusal
		}
	case messenger.MessagingTag:
		if retiredTags[req.Tag] {
			return graphError(c, http.StatusBadRequest, 100, 1893061, "OAuthException", "(#100) Invalid parameter")
		}
		if req.Tag != "HUMAN_AGENT" {
			return invalidParam(c, fmt.Sprintf("Param tag must be one of {HUMAN_AGENT} in the sandbox, got %q", req.Tag))
		}
		if last.IsZero() || since > 7*24*time.Hour {
			return graphError(c, http.StatusBadRequest, messenger.CodeOutsideWindow, messenger.SubcodeWindowClosed, "OAuthException",
				"(#10) This message is sent outside of allowed window. The HUMAN_AGENT tag allows 7 days.")
		}
	default:
		return invalidParam(c, "param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG, UTILITY}")
	}
	if req.MessagingType == messenger.MessagingUtility {
		// checked against its template above
	} else if msg := checkMessage(req.Message); msg != "" {
		return invalidParam(c, msg)
	}
	mid := newMID()
	if err := s.dir.AddSandboxMessage(ctx, &sandboxdb.Message{PageID: sh.PageID, PSID: sh.PSID, Sender: "page", MID: mid, Message: string(req.Message),
		MessagingType: req.MessagingType, Tag: req.Tag}); err != nil {
		return err
	}
	if err := s.echoAndDeliver(ctx, sh, mid, req.Message); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"recipient_id": sh.PSID, "message_id": mid})
}

// message is the part of a Send API message the emulator checks.
type message struct {
	Text         *string `json:"text"`
	QuickReplies []struct {
		ContentType string `json:"content_type"`
		Title       string `json:"title"`
		Payload     string `json:"payload"`
	} `json:"quick_replies"`
	Attachment *struct {
		Type    string `json:"type"`
		Payload struct {
			TemplateType string `json:"template_type"`
			Text         string `json:"text"`
			Elements     []struct {
				Title    string            `json:"title"`
				Subtitle string            `json:"subtitle"`
				Buttons  []json.RawMessage `json:"buttons"`
			} `json:"elements"`
			Buttons       []json.RawMessage `json:"buttons"`
			RecipientName string            `json:"recipient_name"`
			OrderNumber   string            `json:"order_number"`
			Currency      string            `json:"currency"`
			PaymentMethod string            `json:"payment_method"`
			Summary       *struct {
				TotalCost *float64 `json:"total_cost"`
			} `json:"summary"`
		} `json:"payload"`
	} `json:"attachment"`
}

// checkMessage applies the Send API's documented limits; "" means the message is acceptable.
func checkMessage(raw json.RawMessage) string {
	var m message
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return "param message must be a JSON object"
	}
	if (m.Text == nil) == (m.Attachment == nil) {
		return "Must send either message.text or message.attachment"
	}
	if m.Text != nil && (utf8.RuneCountInString(*m.Text) == 0 || utf8.RuneCountInString(*m.Text) > 2000) {
		return "param message[text] must be non-empty UTF-8 text of at most 2000 characters"
	}
	if len(m.QuickReplies) > 13 {
		return "param message[quick_replies] must have at most 13 elements"
	}
	for _, q := range m.QuickReplies {
		if q.ContentType == "text" && (q.Title == "" || utf8.RuneCountInString(q.Title) > 20 || q.Payload == "" || len(q.Payload) > 1000) {
			return "quick_replies: title must have 1-20 characters and payload 1-1000"
		}
	}
	if a := m.Attachment; a != nil && a.Type == "template" {
		p := a.Payload
		switch p.TemplateType {
		case "generic":
			if len(p.Elements) == 0 || len(p.Elements) > 10 {
				return "param message[attachment][payload][elements] must have 1 to 10 elements"
			}
			for _, e := range p.Elements {
				if e.Title == "" || utf8.RuneCountInString(e.Title) > 80 || utf8.RuneCountInString(e.Subtitle) > 80 || len(e.Buttons) > 3 {
					return "generic template element: title 1-80 characters, subtitle at most 80, at most 3 buttons"
				}
			}
		case "button":
			if p.Text == "" || utf8.RuneCountInString(p.Text) > 640 || len(p.Buttons) == 0 || len(p.Buttons) > 3 {
				return "button template: text 1-640 characters and 1 to 3 buttons"
			}
		case "receipt":
			if p.RecipientName == "" || p.OrderNumber == "" || p.Currency == "" || p.PaymentMethod == "" || p.Summary == nil || p.Summary.TotalCost == nil {
				return "receipt template requires recipient_name, order_number, currency, payment_method and summary.total_cost"
			}
		default:
			return fmt.Sprintf("template_type %q is not supported by the sandbox", p.TemplateType)
		}
	}
	return ""
}
