package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/sandbox/views"
	"github.com/chatshop/chatshop/views/render"
)

var chatLocales = []string{"en_US", "en_GB", "en_CA", "fr_CA", "es_MX", "de_DE", "fr_FR"}

// ChatPage is GET /sandbox/messenger: the shopper's side of a conversation with a shop's Page.
func (s *Sandbox) ChatPage(c echo.Context) error {
	ctx := c.Request().Context()
	conns, err := s.shops.ConnectedAccounts(ctx)
	if err != nil {
		return err
	}
	vm := views.SandboxChat{PageID: c.QueryParam("page_id"), PSID: c.QueryParam("psid"), Locales: chatLocales}
	for _, conn := range conns {
		if conn.Kind == "page" {
			vm.Pages = append(vm.Pages, views.ChatPage{ID: conn.ID, Name: conn.Name, Shop: conn.ShopName})
		}
	}
	if vm.PageID == "" && len(vm.Pages) > 0 {
		vm.PageID = vm.Pages[0].ID
	}
	if vm.PageID != "" {
		shoppers, err := s.dir.SandboxShoppers(ctx, vm.PageID)
		if err != nil {
			return err
		}
		for _, sh := range shoppers {
			vm.Shoppers = append(vm.Shoppers, views.ChatShopper{PSID: sh.PSID, Name: sh.Name, Locale: sh.Locale})
			if sh.PSID == vm.PSID {
				vm.Shopper = sh.Name
			}
		}
	}
	if vm.Shopper == "" {
		vm.PSID = ""
	} else if vm.Thread, err = s.chatThread(c, vm.PageID, vm.PSID); err != nil {
		return err
	}
	return render.Render(c, http.StatusOK, views.SandboxChatPage(vm))
}

// ChatThread is GET /sandbox/messenger/thread: the conversation alone, for the page's polling.
func (s *Sandbox) ChatThread(c echo.Context) error {
	t, err := s.chatThread(c, c.QueryParam("page_id"), c.QueryParam("psid"))
	if err != nil {
		return err
	}
	return render.Render(c, http.StatusOK, views.ChatThreadView(t))
}

// ChatNewShopper is POST /sandbox/messenger/shoppers from the chat page's form.
func (s *Sandbox) ChatNewShopper(c echo.Context) error {
	pageID, name := c.FormValue("page_id"), strings.TrimSpace(c.FormValue("name"))
	if name == "" {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "Give the shopper a name.")
	}
	if ok, err := s.pageKnown(c, pageID); err != nil {
		return err
	} else if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "No simulated Page "+pageID+" is connected to a shop.")
	}
	sh := &sandboxdb.Shopper{PSID: psid(), PageID: pageID, Name: name, Locale: c.FormValue("locale")}
	if sh.Locale == "" {
		sh.Locale = "en_US"
	}
	if err := s.dir.CreateSandboxShopper(c.Request().Context(), sh); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, views.ChatURL(pageID, sh.PSID))
}

// ChatSay is POST /sandbox/messenger/say: the shopper types a message.
func (s *Sandbox) ChatSay(c echo.Context) error {
	in := shopperInput{PageID: c.FormValue("page_id"), PSID: c.FormValue("psid"), Text: strings.TrimSpace(c.FormValue("text"))}
	if in.Text == "" {
		return c.Redirect(http.StatusSeeOther, views.ChatURL(in.PageID, in.PSID))
	}
	return s.chatSend(c, in)
}

// ChatTap is POST /sandbox/messenger/tap: the shopper taps a button or a quick reply.
func (s *Sandbox) ChatTap(c echo.Context) error {
	in := shopperInput{PageID: c.FormValue("page_id"), PSID: c.FormValue("psid")}
	t := &tap{Title: c.FormValue("title"), Payload: c.FormValue("payload")}
	switch c.FormValue("kind") {
	case "account_unlink":
		if err := s.unlinkFromChat(c, in.PageID, in.PSID); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, views.ChatURL(in.PageID, in.PSID))
	case "quick_reply":
		in.QuickReply = t
	default:
		in.Postback = t
	}
	return s.chatSend(c, in)
}

func (s *Sandbox) chatSend(c echo.Context, in shopperInput) error {
	if _, err := s.sendAsShopper(c, in); errors.Is(err, errUnknownShopper) {
		return echo.NewHTTPError(http.StatusNotFound, "That shopper does not exist on this Page.")
	} else if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, views.ChatURL(in.PageID, in.PSID))
}

func (s *Sandbox) chatThread(c echo.Context, pageID, psid string) (views.ChatThread, error) {
	ms, err := s.dir.SandboxThread(c.Request().Context(), pageID, psid)
	if err != nil {
		return views.ChatThread{}, err
	}
	if err := s.markRead(c.Request().Context(), pageID, psid, ms); err != nil {
		return views.ChatThread{}, err
	}
	templates, err := s.dir.Templates(c.Request().Context(), pageID, "")
	if err != nil {
		return views.ChatThread{}, err
	}
	t := views.ChatThread{PageID: pageID, PSID: psid}
	for _, m := range ms {
		cm := chatMessage(m)
		if m.MessagingType == messenger.MessagingUtility {
			cm.Other, cm.Utility = "", utilityView(m.Message, templates)
		}
		t.Messages = append(t.Messages, cm)
	}
	return t, nil
}

// sendMessage is the part of a Send API message (or a shopper's) that the chat draws.
type sendMessage struct {
	Text         string `json:"text"`
	QuickReplies []struct {
		Title   string `json:"title"`
		Payload string `json:"payload"`
	} `json:"quick_replies"`
	Postback *struct {
		Title string `json:"title"`
	} `json:"postback"`
	Attachment *struct {
		Type    string `json:"type"`
		Payload struct {
			TemplateType string        `json:"template_type"`
			Text         string        `json:"text"`
			Buttons      []buttonJSON  `json:"buttons"`
			Elements     []elementJSON `json:"elements"`
			OrderNumber  string        `json:"order_number"`
			Currency     string        `json:"currency"`
			Payment      string        `json:"payment_method"`
			Summary      struct {
				ShippingCost float64 `json:"shipping_cost"`
				TotalCost    float64 `json:"total_cost"`
			} `json:"summary"`
		} `json:"payload"`
	} `json:"attachment"`
}

type buttonJSON struct {
	Type    string `json:"type"`
	Title   string `json:"title"`
	Payload string `json:"payload"`
	URL     string `json:"url"`
}

type elementJSON struct {
	Title    string       `json:"title"`
	Subtitle string       `json:"subtitle"`
	ImageURL string       `json:"image_url"`
	Buttons  []buttonJSON `json:"buttons"`
	Price    float64      `json:"price"`
	Quantity int          `json:"quantity"`
}

func buttons(bs []buttonJSON) []views.ChatButton {
	var out []views.ChatButton
	for _, b := range bs {
		title := b.Title
		if title == "" { // Log In and Log Out buttons have no title of their own
			title = map[string]string{"account_link": "Link your PayPal account", "account_unlink": "Unlink your PayPal account"}[b.Type]
		}
		out = append(out, views.ChatButton{Kind: b.Type, Title: title, Payload: b.Payload, URL: b.URL})
	}
	return out
}

// chatMessage turns a stored message into what the chat draws.
func chatMessage(m sandboxdb.Message) views.ChatMessage {
	out := views.ChatMessage{FromShopper: m.Sender == "shopper"}
	var msg sendMessage
	if json.Unmarshal([]byte(m.Message), &msg) != nil {
		out.Other = "(a message the sandbox cannot read)"
		return out
	}
	out.Text = msg.Text
	if msg.Postback != nil {
		out.Text = msg.Postback.Title
	}
	for _, q := range msg.QuickReplies {
		out.QuickReplies = append(out.QuickReplies, views.ChatButton{Kind: "quick_reply", Title: q.Title, Payload: q.Payload})
	}
	if a := msg.Attachment; a != nil {
		p := a.Payload
		switch {
		case a.Type != "template":
			out.Other = "(" + a.Type + " attachment)"
		case p.TemplateType == "generic":
			for _, e := range p.Elements {
				out.Cards = append(out.Cards, views.ChatCard{Title: e.Title, Subtitle: e.Subtitle, ImageURL: e.ImageURL, Buttons: buttons(e.Buttons)})
			}
		case p.TemplateType == "button":
			out.ButtonText, out.Buttons = p.Text, buttons(p.Buttons)
		case p.TemplateType == "receipt":
			r := &views.ChatReceipt{OrderNumber: p.OrderNumber, PaymentMethod: p.Payment, Total: receiptMoney(p.Summary.TotalCost, p.Currency)}
			if p.Summary.ShippingCost > 0 {
				r.Shipping = receiptMoney(p.Summary.ShippingCost, p.Currency)
			}
			for _, e := range p.Elements {
				r.Items = append(r.Items, views.ChatReceiptItem{Title: fmt.Sprintf("%s × %d", e.Title, max(e.Quantity, 1)), Price: receiptMoney(e.Price, p.Currency)})
			}
			out.Receipt = r
		default:
			out.Other = "(" + p.TemplateType + " template)"
		}
	}
	return out
}

func receiptMoney(v float64, currency string) string {
	if currency == "USD" {
		return fmt.Sprintf("$%.2f", v)
	}
	return fmt.Sprintf("%.2f %s", v, currency)
}
