package messenger

import "encoding/json"

// Message is a Send API message: text with quick replies, or an attachment (a template).
type Message struct {
	Text         string       `json:"text,omitempty"`
	Attachment   *Attachment  `json:"attachment,omitempty"`
	QuickReplies []QuickReply `json:"quick_replies,omitempty"`
	Metadata     string       `json:"metadata,omitempty"`
}

// QuickReply is a button under a message that sends its payload back as a quick_reply.
type QuickReply struct {
	ContentType string `json:"content_type"`
	Title       string `json:"title"` // at most 20 characters
	Payload     string `json:"payload"`
}

// Reply is a text quick reply.
func Reply(title, payload string) QuickReply {
	return QuickReply{ContentType: "text", Title: clip(title, 20), Payload: payload}
}

// Attachment holds a template.
type Attachment struct {
	Type    string          `json:"type"` // template
	Payload TemplatePayload `json:"payload"`
}

// TemplatePayload is a generic (carousel), button or receipt template.
type TemplatePayload struct {
	TemplateType string    `json:"template_type"`
	Elements     []Element `json:"elements,omitempty"` // generic: at most 10; receipt: the items
	Text         string    `json:"text,omitempty"`     // button: at most 640 characters
	Buttons      []Button  `json:"buttons,omitempty"`  // button: at most 3
	// A receipt's fields.
	RecipientName string   `json:"recipient_name,omitempty"`
	MerchantName  string   `json:"merchant_name,omitempty"`
	OrderNumber   string   `json:"order_number,omitempty"`
	Currency      string   `json:"currency,omitempty"`
	PaymentMethod string   `json:"payment_method,omitempty"`
	Timestamp     string   `json:"timestamp,omitempty"` // seconds, as a string
	Summary       *Summary `json:"summary,omitempty"`
}

// Summary is a receipt's totals, as decimal numbers in the receipt's currency.
type Summary struct {
	Subtotal     float64 `json:"subtotal,omitempty"`
	ShippingCost float64 `json:"shipping_cost,omitempty"`
	TotalCost    float64 `json:"total_cost"`
}

// Element is one card of a generic template, or one item of a receipt.
type Element struct {
	Title    string   `json:"title"`              // at most 80 characters
	Subtitle string   `json:"subtitle,omitempty"` // at most 80 characters
	ImageURL string   `json:"image_url,omitempty"`
	Buttons  []Button `json:"buttons,omitempty"` // at most 3
	// A receipt item's quantity and price (the line's, which may be 0).
	Quantity int64    `json:"quantity,omitempty"`
	Price    *float64 `json:"price,omitempty"`
	Currency string   `json:"currency,omitempty"`
}

// Button is a postback, web_url, account_link or account_unlink button.
type Button struct {
	Type    string `json:"type"`
	Title   string `json:"title,omitempty"` // at most 20 characters
	Payload string `json:"payload,omitempty"`
	URL     string `json:"url,omitempty"`
}

// Postback is a button that sends payload back as a postback.
func Postback(title, payload string) Button {
	return Button{Type: "postback", Title: clip(title, 20), Payload: payload}
}

// Carousel is a generic template of up to ten cards.
func Carousel(elements []Element) Message {
	return Message{Attachment: &Attachment{Type: "template", Payload: TemplatePayload{TemplateType: "generic", Elements: elements}}}
}

// ButtonTemplate is text with up to three buttons.
func ButtonTemplate(text string, buttons ...Button) Message {
	return Message{Attachment: &Attachment{Type: "template", Payload: TemplatePayload{TemplateType: "button", Text: clip(text, 640), Buttons: buttons}}}
}

// Receipt is a receipt template: an order's number, items and total, and how it was paid.
func Receipt(r TemplatePayload) Message {
	r.TemplateType = "receipt"
	return Message{Attachment: &Attachment{Type: "template", Payload: r}}
}

// URLButton opens url in the browser.
func URLButton(title, url string) Button {
	return Button{Type: "web_url", Title: clip(title, 20), URL: url}
}

// LogInButton is the account_link button: Messenger opens url with an account_linking_token and
// a redirect_uri.
func LogInButton(url string) Button { return Button{Type: "account_link", URL: url} }

// LogOutButton is the account_unlink button.
func LogOutButton() Button { return Button{Type: "account_unlink"} }

// CardText fits a card's title or subtitle (80 characters).
func CardText(s string) string { return clip(s, 80) }

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Incoming is what a shopper sent, read from a message or postback item.
type Incoming struct {
	MID     string
	Text    string
	Payload string // a quick reply's or a postback's payload
	// Attachments are the types of what was attached (image, video, audio, file, location, …).
	Attachments []string
	Sticker     bool // a sticker, or the thumbs-up
}

// ReadIncoming reads a message or postback messaging item.
func ReadIncoming(item json.RawMessage) (Incoming, error) {
	var raw struct {
		Message *struct {
			MID        string `json:"mid"`
			Text       string `json:"text"`
			StickerID  int64  `json:"sticker_id"`
			QuickReply *struct {
				Payload string `json:"payload"`
			} `json:"quick_reply"`
			Attachments []struct {
				Type string `json:"type"`
			} `json:"attachments"`
		} `json:"message"`
		Postback *struct {
			MID     string `json:"mid"`
			Title   string `json:"title"`
			Payload string `json:"payload"`
		} `json:"postback"`
	}
	if err := json.Unmarshal(item, &raw); err != nil {
		return Incoming{}, err
	}
	var in Incoming
	switch {
	case raw.Postback != nil:
		in.MID, in.Text, in.Payload = raw.Postback.MID, raw.Postback.Title, raw.Postback.Payload
	case raw.Message != nil:
		m := raw.Message
		in.MID, in.Text, in.Sticker = m.MID, m.Text, m.StickerID != 0
		if m.QuickReply != nil {
			in.Payload = m.QuickReply.Payload
		}
		for _, a := range m.Attachments {
			in.Attachments = append(in.Attachments, a.Type)
		}
	}
	return in, nil
}
