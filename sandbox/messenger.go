package sandbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/static"
)

// CreateShopper is the control API POST /sandbox/messenger/api/shoppers {page_id, name, locale} → {psid}.
func (s *Sandbox) CreateShopper(c echo.Context) error {
	var req struct {
		PageID string `json:"page_id"`
		Name   string `json:"name"`
		Locale string `json:"locale"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil || req.PageID == "" || req.Name == "" {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, `send {"page_id": "...", "name": "...", "locale": "en_US"}`)
	}
	if ok, err := s.pageKnown(c, req.PageID); err != nil {
		return err
	} else if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "no simulated Page "+req.PageID+" is connected to a shop")
	}
	if req.Locale == "" {
		req.Locale = "en_US"
	}
	sh := &sandboxdb.Shopper{PSID: psid(), PageID: req.PageID, Name: req.Name, Locale: req.Locale}
	if err := s.dir.CreateSandboxShopper(c.Request().Context(), sh); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"psid": sh.PSID})
}

// tap is a postback button or a quick reply the shopper tapped.
type tap struct {
	Title   string `json:"title"`
	Payload string `json:"payload"`
}

// shopperInput is what a shopper sends: text, a postback or a quick reply.
type shopperInput struct {
	PageID     string `json:"page_id"`
	PSID       string `json:"psid"`
	Text       string `json:"text"`
	Postback   *tap   `json:"postback"`
	QuickReply *tap   `json:"quick_reply"`
	// Attachment is a picture, video, audio or file the shopper sends (type and URL); Sticker is
	// the thumbs-up, which Meta delivers as an image attachment with a sticker_id.
	Attachment *struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	} `json:"attachment"`
	Sticker bool `json:"sticker"`
}

// thumbsUp is the sticker id Meta gives the Like button.
const thumbsUp = 369239263222822

var errUnknownShopper = errors.New("no such simulated shopper on this Page")

// ShopperSend is the control API POST /sandbox/messenger/api/send {page_id, psid, text | postback
// | quick_reply | attachment | sticker}: the shopper writes, taps or sends something, and the
// emulator delivers the signed webhook Meta would.
func (s *Sandbox) ShopperSend(c echo.Context) error {
	var in shopperInput
	if err := json.NewDecoder(c.Request().Body).Decode(&in); err != nil || (in.Text == "" && in.Postback == nil && in.QuickReply == nil && in.Attachment == nil && !in.Sticker) {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, `send {"page_id", "psid"} with "text", "postback" {title, payload} or "quick_reply" {title, payload}`)
	}
	mid, err := s.sendAsShopper(c, in)
	if errors.Is(err, errUnknownShopper) {
		return echo.NewHTTPError(http.StatusNotFound, "no simulated shopper "+in.PSID+" on Page "+in.PageID)
	} else if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"mid": mid})
}

// sendAsShopper records the shopper's message in the thread and delivers it as a webhook.
func (s *Sandbox) sendAsShopper(c echo.Context, in shopperInput) (string, error) {
	ctx := c.Request().Context()
	sh, err := s.dir.SandboxShopperByPSID(ctx, in.PSID)
	if errors.Is(err, sandboxdb.ErrNotFound) || (err == nil && sh.PageID != in.PageID) {
		return "", errUnknownShopper
	} else if err != nil {
		return "", err
	}
	now := time.Now()
	mid := newMID()
	item := map[string]any{"sender": map[string]string{"id": in.PSID}, "recipient": map[string]string{"id": in.PageID}, "timestamp": now.UnixMilli()}
	var recorded any
	switch {
	case in.Postback != nil:
		pb := map[string]string{"mid": mid, "title": in.Postback.Title, "payload": in.Postback.Payload}
		item["postback"], recorded = pb, map[string]any{"postback": pb}
	case in.QuickReply != nil:
		title := in.QuickReply.Title
		if title == "" {
			title = in.QuickReply.Payload
		}
		msg := map[string]any{"mid": mid, "text": title, "quick_reply": map[string]string{"payload": in.QuickReply.Payload}}
		item["message"], recorded = msg, msg
	case in.Sticker:
		msg := map[string]any{"mid": mid, "sticker_id": thumbsUp, "attachments": []any{map[string]any{"type": "image",
			"payload": map[string]any{"url": strings.TrimRight(s.cfg.BaseURL, "/") + static.Path("img/favicon.svg"), "sticker_id": thumbsUp}}}}
		item["message"], recorded = msg, msg
	case in.Attachment != nil:
		msg := map[string]any{"mid": mid, "attachments": []any{map[string]any{"type": in.Attachment.Type, "payload": map[string]string{"url": in.Attachment.URL}}}}
		item["message"], recorded = msg, msg
	default:
		msg := map[string]any{"mid": mid, "text": in.Text}
		item["message"], recorded = msg, msg
	}
	stored, _ := json.Marshal(recorded)
	if err := s.dir.AddSandboxMessage(ctx, &sandboxdb.Message{PageID: in.PageID, PSID: in.PSID, Sender: "shopper", MID: mid, Message: string(stored)}); err != nil {
		return "", err
	}
	field := "messages"
	if in.Postback != nil {
		field = "messaging_postbacks"
	}
	if err := s.emitMessenger(ctx, in.PageID, field, item); err != nil {
		return "", err
	}
	return mid, nil
}

// defaultFields are the webhook fields of a Page the app has not subscribed itself: the Pages
// connected before subscriptions existed get the events a shop cannot work without.
var defaultFields = []string{"messages", "messaging_postbacks", "messaging_account_linking"}

// emitMessenger delivers one messaging item of the Page in Meta's entry[].messaging[] envelope,
// if the Page is subscribed to its webhook field.
func (s *Sandbox) emitMessenger(ctx context.Context, pageID, field string, item map[string]any) error {
	fields, found, err := s.dir.SandboxPageSubscription(ctx, pageID)
	if err != nil {
		return err
	}
	if !found {
		fields = defaultFields
	}
	if !slices.Contains(fields, field) {
		return nil
	}
	envelope := map[string]any{"object": "page", "entry": []any{map[string]any{"id": pageID, "time": time.Now().UnixMilli(), "messaging": []any{item}}}}
	body, err := json.Marshal(envelope)
	if err != nil {
		return err
	}
	s.deliverMessenger(asciiJSON(body))
	return nil
}

// deliverMessenger posts a Page delivery signed as Meta signs: HMAC over the bytes sent, which are
// ASCII-only JSON, in X-Hub-Signature-256 and the legacy X-Hub-Signature.
func (s *Sandbox) deliverMessenger(body []byte) {
	sha1Sig := hmac.New(sha1.New, []byte(s.cfg.MetaAppSecret))
	sha1Sig.Write(body)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "facebookexternalua")
	h.Set(messenger.SignatureHeader, messenger.SignatureHeaderValue(s.cfg.MetaAppSecret, body))
	h.Set("X-Hub-Signature", "sha1="+hex.EncodeToString(sha1Sig.Sum(nil)))
	s.deliver("messenger", func() bool {
		req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, s.appURL+"/webhooks/messenger", bytes.NewReader(body))
		if err != nil {
			return false
		}
		req.Header = h.Clone()
		return s.post(req)
	})
}

// Thread is the control API GET /sandbox/messenger/api/thread?page_id=&psid=: every message both
// ways, oldest first, the Page's exactly as sent to the Send API, with the messaging_type and tag
// it was sent with.
func (s *Sandbox) Thread(c echo.Context) error {
	ms, err := s.dir.SandboxThread(c.Request().Context(), c.QueryParam("page_id"), c.QueryParam("psid"))
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(ms))
	for _, m := range ms {
		item := map[string]any{"from": m.Sender, "mid": m.MID, "timestamp": m.CreatedAt.UnixMilli(), "message": json.RawMessage(m.Message)}
		if m.Sender == "page" {
			item["messaging_type"], item["tag"] = m.MessagingType, m.Tag
		}
		out = append(out, item)
	}
	return c.JSON(http.StatusOK, map[string]any{"messages": out})
}

// asciiJSON escapes every non-ASCII character as \uXXXX with lowercase hex digits (surrogate
// pairs above the BMP), and / as \/, as Meta does in the bytes it signs.
func asciiJSON(b []byte) []byte {
	var out bytes.Buffer
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == '/':
			out.WriteString(`\/`)
		case r < utf8.RuneSelf:
			out.WriteByte(b[0])
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&out, `\u%04x\u%04x`, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&out, `\u%04x`, r)
		}
		b = b[size:]
	}
	return out.Bytes()
}

// psid is a 16-digit page-scoped id, like Messenger's.
func psid() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(9e15))
	return strconv.FormatInt(n.Int64()+1e15, 10)
}

// newMID is a message id in Messenger's current m_<base64url> form.
func newMID() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return "m_" + base64.RawURLEncoding.EncodeToString(b)
}
