package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/bot"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// catalog is a shop's offered products, in id order.
type catalog []models.Product

func (c catalog) OfferedProducts(after int64, limit int) ([]models.Product, error) {
	var out []models.Product
	for _, p := range c {
		if p.ID > after && len(out) < limit {
			out = append(out, p)
		}
	}
	return out, nil
}

func (c catalog) OfferedProduct(id int64) (*models.Product, error) {
	for i := range c {
		if c[i].ID == id {
			return &c[i], nil
		}
	}
	return nil, models.ErrNotFound
}

var conv = bot.Conversation{ShopName: "Lakeside", BaseURL: "https://shop.example"}

func respond(t *testing.T, cat catalog, payload string) *messenger.Message {
	t.Helper()
	a, err := bot.Respond(messenger.Incoming{Payload: payload}, conv, cat)
	if err != nil || a.Reply == nil {
		t.Fatalf("%s: %+v %v", payload, a, err)
	}
	return a.Reply
}

func payloadOf(m *messenger.Message, title string) string {
	for _, q := range m.QuickReplies {
		if q.Title == title {
			return q.Payload
		}
	}
	return ""
}

// 23 products page as 10, 10 and 3 cards; the last page offers no more.
func TestBrowsePagesByTen(t *testing.T) {
	var cat catalog
	for i := 1; i <= 23; i++ {
		cat = append(cat, models.Product{ID: int64(i), Title: fmt.Sprintf("Product %d", i), ProductFigures: models.ProductFigures{Currency: "USD", PriceMinMinor: 1000, PriceMaxMinor: 1500}})
	}
	payload, pages := bot.Browse, 0
	var seen []string
	for payload != "" {
		m := respond(t, cat, payload)
		for _, e := range m.Attachment.Payload.Elements {
			seen = append(seen, e.Title)
			if e.Subtitle != "From $10.00" {
				t.Fatalf("card subtitle %q", e.Subtitle)
			}
		}
		payload = payloadOf(m, "More products")
		pages++
	}
	if pages != 3 || len(seen) != 23 || seen[22] != "Product 23" {
		t.Fatalf("%d pages, %d cards", pages, len(seen))
	}
}

// A product with two options asks for each in turn, offering only values some sellable variant
// has with the choices made; the last choice names the variant and its price.
func TestPickingOptions(t *testing.T) {
	p := models.Product{ID: 7, Title: "Canvas Tote", ProductFigures: models.ProductFigures{Currency: "USD", PriceMinMinor: 2000, PriceMaxMinor: 2400}}
	p.SetOptions([]string{"Color", "Size"})
	add := func(color, size string, price, qty int64) {
		v := models.Variant{PriceMinor: price, Currency: "USD", InventoryQty: qty, InventoryPolicy: models.PolicyDeny}
		v.SetOptionValues([]string{color, size})
		p.Variants = append(p.Variants, v)
	}
	add("Navy", "S", 2000, 3)
	add("Navy", "L", 2400, 0) // sold out
	add("Sand", "S", 2000, 0) // sold out: Sand has nothing left
	add("Sand", "L", 2400, 0)
	cat := catalog{p}

	m := respond(t, cat, "PRODUCT:7")
	if !strings.HasPrefix(m.Text, "Canvas Tote, from $20.00. Which color?") || len(m.QuickReplies) != 1 || m.QuickReplies[0].Title != "Navy" {
		t.Fatalf("first option: %+v", m)
	}
	m = respond(t, cat, m.QuickReplies[0].Payload)
	if m.Text != "Which size?" || len(m.QuickReplies) != 1 || m.QuickReplies[0].Title != "S" {
		t.Fatalf("second option: %+v", m)
	}
	m = respond(t, cat, m.QuickReplies[0].Payload)
	if !strings.HasPrefix(m.Text, "Canvas Tote (Navy / S): $20.00. Only 3 left. Paying here in Messenger isn't open yet.") {
		t.Fatalf("chosen, PayPal not connected: %q", m.Text)
	}
	for _, stale := range []string{"PICK:7:9", "PICK:7:x", "PICK:8:0", "PRODUCT:abc", "NOPE"} {
		if m := respond(t, cat, stale); m.Text == "" || len(m.QuickReplies) != 2 {
			t.Fatalf("%s: %+v", stale, m)
		}
	}
}

// A first message that is a question is greeted and handed to the inbox; a greeting is only greeted.
func TestFirstContact(t *testing.T) {
	first := bot.Conversation{ShopName: "Lakeside Supply Co.", FirstContact: true}
	a, _ := bot.Respond(messenger.Incoming{Text: "Do you ship to Portland?"}, first, catalog{})
	if !a.ToInbox || a.Reply == nil || !strings.HasPrefix(a.Reply.Text, "Hi! Welcome to Lakeside Supply Co. I passed") {
		t.Fatalf("question: %+v", a)
	}
	a, _ = bot.Respond(messenger.Incoming{Text: "hello!"}, first, catalog{})
	if a.ToInbox || a.Reply == nil || len(a.Reply.QuickReplies) != 2 {
		t.Fatalf("greeting: %+v", a)
	}
}

// A shopper who may pay gets the Buy button under the chosen variant; Buy and Pay become checkout
// steps for the worker. A shopper from a country the shop does not sell to is told so instead.
func TestBuying(t *testing.T) {
	p := models.Product{ID: 3, Title: "Enamel Mug", ProductFigures: models.ProductFigures{Currency: "USD", PriceMinMinor: 1800, PriceMaxMinor: 1800}}
	p.Variants = []models.Variant{{ID: 31, PriceMinor: 1800, Currency: "USD", InventoryQty: 12, InventoryPolicy: models.PolicyDeny}}
	cat := catalog{p}
	open := bot.Conversation{ShopName: "Lakeside", CanPay: true, PaymentsOpen: true, Countries: []string{"US"}}
	a, err := bot.Respond(messenger.Incoming{Payload: "PRODUCT:3"}, open, cat)
	if err != nil || a.Reply.Attachment == nil {
		t.Fatalf("chosen: %+v %v", a, err)
	}
	tpl := a.Reply.Attachment.Payload
	if tpl.TemplateType != "button" || tpl.Text != "Enamel Mug: $18.00. In stock." || tpl.Buttons[0].Title != "Buy · $18.00" || tpl.Buttons[0].Payload != "BUY:31" {
		t.Fatalf("buy button: %+v", tpl)
	}
	free := int64(5000)
	shipped := open
	shipped.Shipping, shipped.Currency = &models.ShippingRate{Country: "US", RateMinor: 500, FreeAboveMinor: &free}, "USD"
	if a, _ := bot.Respond(messenger.Incoming{Payload: "PRODUCT:3"}, shipped, cat); a.Reply.Attachment.Payload.Text != "Enamel Mug: $18.00. In stock. Shipping $5.00, free from $50.00." {
		t.Fatalf("the shipping before Buy: %q", a.Reply.Attachment.Payload.Text)
	}
	if a, _ := bot.Respond(messenger.Incoming{Payload: "BUY:31"}, open, cat); a.Buy != 31 || a.Reply != nil {
		t.Fatalf("buy: %+v", a)
	}
	if a, _ := bot.Respond(messenger.Incoming{Payload: "PAY:1001"}, open, cat); a.Pay != 1001 {
		t.Fatalf("pay: %+v", a)
	}
	if a, _ := bot.Respond(messenger.Incoming{Payload: "CANCEL:1001"}, open, cat); a.Cancel != 1001 {
		t.Fatalf("cancel: %+v", a)
	}

	abroad := open
	abroad.CanPay, abroad.Countries = false, []string{"US", "CA"}
	for _, payload := range []string{"BUY:31", "PAY:1001"} {
		a, _ := bot.Respond(messenger.Incoming{Payload: payload}, abroad, cat)
		if a.Buy != 0 || a.Pay != 0 || a.Reply == nil || !strings.Contains(a.Reply.Text, "open to shoppers in the United States and Canada only") {
			t.Fatalf("%s from abroad: %+v", payload, a)
		}
	}
	a, _ = bot.Respond(messenger.Incoming{Payload: "PRODUCT:3"}, abroad, cat)
	if a.Reply.Attachment != nil || !strings.Contains(a.Reply.Text, "the United States and Canada only") {
		t.Fatalf("chosen from abroad: %+v", a.Reply)
	}
}

// "unlink" offers the Log Out button to a linked shopper only.
func TestUnlinkOffer(t *testing.T) {
	linked := bot.Conversation{ShopName: "Lakeside", PayPalEmail: "buyer@example.com"}
	a, _ := bot.Respond(messenger.Incoming{Text: "Unlink"}, linked, catalog{})
	if a.Reply.Attachment == nil || a.Reply.Attachment.Payload.Buttons[0].Type != "account_unlink" {
		t.Fatalf("linked: %+v", a.Reply)
	}
	a, _ = bot.Respond(messenger.Incoming{Text: "unlink"}, bot.Conversation{ShopName: "Lakeside"}, catalog{})
	if a.Reply.Attachment != nil || !strings.Contains(a.Reply.Text, "No PayPal account is linked") {
		t.Fatalf("not linked: %+v", a.Reply)
	}
}
