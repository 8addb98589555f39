// Package bot is the shop's assistant in Messenger: it greets, shows the catalog as carousels,
// walks a shopper through a product's options, and hands what it does not understand to the shop's
// inbox. It decides what to answer; it sends nothing and stores nothing itself.
package bot

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// Payloads of the bot's buttons and quick replies.
const (
	GetStarted = "GET_STARTED"
	Browse     = "BROWSE"  // BROWSE or BROWSE:<after product id>
	Details    = "PRODUCT" // PRODUCT:<product id>
	Pick       = "PICK"    // PICK:<product id>:<value index>.<value index>…
	Help       = "HELP"
	Buy        = "BUY"    // BUY:<variant id>
	Pay        = "PAY"    // PAY:<order id>, the linked shopper's one tap
	Cancel     = "CANCEL" // CANCEL:<order id>
	Unlink     = "UNLINK"
)

// pageSize is the carousel's size: Messenger shows at most ten cards.
const pageSize = 10

// Catalog is what the bot reads of the shop's products offered in Messenger.
type Catalog interface {
	OfferedProducts(afterID int64, limit int) ([]models.Product, error)
	OfferedProduct(id int64) (*models.Product, error)
}

// Conversation is what the bot knows of the shop and the shopper.
type Conversation struct {
	ShopName     string
	BaseURL      string // for the products' image URLs
	FirstContact bool   // the shopper's first message to the Page
	WithHuman    bool   // the conversation is already in the shop's inbox
	// CanPay says whether this shopper may pay with PayPal here; when not, PaymentsOpen and
	// Countries say why (PayPal is not connected, or the shopper is from elsewhere).
	CanPay       bool
	PaymentsOpen bool
	Countries    []string
	// PayPalEmail is the PayPal account the shopper linked to Messenger; "" when none.
	PayPalEmail string
	// Shipping is the shop's rate for the shopper's country, in Currency; nil ships free.
	Shipping *models.ShippingRate
	Currency string
}

// Answer is what the bot does about one message: at most one reply (so replies arrive in order),
// and whether the conversation goes to the shop's inbox.
type Answer struct {
	Reply   *messenger.Message
	ToInbox bool
	// The checkout's steps, which the worker carries out and answers: an order of a variant, the
	// one-tap payment of an order, calling an order off.
	Buy, Pay, Cancel int64
}

// Respond decides the answer to what the shopper sent.
func Respond(in messenger.Incoming, conv Conversation, cat Catalog) (Answer, error) {
	kind, arg, _ := strings.Cut(in.Payload, ":")
	switch {
	case in.Payload == GetStarted:
		return reply(greeting(conv)), nil
	case kind == Browse:
		after, _ := strconv.ParseInt(arg, 10, 64)
		return browse(conv, cat, after)
	case kind == Details:
		return details(conv, cat, arg)
	case kind == Pick:
		return pick(conv, cat, arg)
	case kind == Buy || kind == Pay || kind == Cancel:
		return checkoutStep(conv, kind, arg), nil
	case in.Payload == Unlink:
		return reply(unlinkOffer(conv)), nil
	case in.Payload == Help:
		return handOver(conv, "Sure. Someone from "+conv.ShopName+" will answer you here soon."), nil
	case in.Payload != "":
		return reply(StaleButton()), nil
	case in.Sticker && in.Text == "":
		return reply(menu("👍 Anything I can help you find?")), nil
	case len(in.Attachments) > 0:
		return handOver(conv, "Thanks! I passed this on to "+conv.ShopName+"; someone will answer you here soon."), nil
	}
	switch words := strings.ToLower(strings.Trim(in.Text, " !.?")); {
	case slices.Contains([]string{"hi", "hello", "hey", "start", "menu", "get started"}, words):
		return reply(greeting(conv)), nil
	case slices.Contains([]string{"browse", "shop", "products", "catalog", "catalogue"}, words):
		return browse(conv, cat, 0)
	case slices.Contains([]string{"unlink", "unlink paypal", "log out", "logout"}, words):
		return reply(unlinkOffer(conv)), nil
	case conv.FirstContact:
		return handOver(conv, welcome(conv)+" I passed your message on to the team; someone will answer you here soon."), nil
	case conv.WithHuman:
		return Answer{ToInbox: true}, nil // a person is on it: the bot stays out of the way
	}
	return handOver(conv, "I'm not sure I understood, so I passed your message to "+conv.ShopName+"; someone will answer you here soon."), nil
}

func reply(m messenger.Message) Answer { return Answer{Reply: &m} }

// handOver sends the conversation to the inbox, with the automatic reply the first time only.
func handOver(conv Conversation, words string) Answer {
	if conv.WithHuman {
		return Answer{ToInbox: true}
	}
	m := menu(words)
	m.QuickReplies = m.QuickReplies[:1] // browsing, while they wait
	return Answer{Reply: &m, ToInbox: true}
}

func greeting(conv Conversation) messenger.Message {
	return menu(welcome(conv) + " Browse our products and buy right here in Messenger.")
}

// welcome greets the shopper in the shop's name (which may end with its own full stop).
func welcome(conv Conversation) string {
	w := "Hi! Welcome to " + conv.ShopName
	if !strings.HasSuffix(w, ".") {
		w += "."
	}
	return w
}

// menu is text with the two ways on: browse, or ask a person.
func menu(text string) messenger.Message {
	return messenger.Message{Text: text, QuickReplies: []messenger.QuickReply{
		messenger.Reply("Browse products", Browse), messenger.Reply("Talk to us", Help)}}
}

func browse(conv Conversation, cat Catalog, after int64) (Answer, error) {
	ps, err := cat.OfferedProducts(after, pageSize+1)
	if err != nil {
		return Answer{}, err
	}
	if len(ps) == 0 {
		if after > 0 {
			return reply(menu("That's everything we have right now.")), nil
		}
		return reply(menu("There is nothing to buy here yet; please come back soon.")), nil
	}
	more := len(ps) > pageSize
	ps = ps[:min(len(ps), pageSize)]
	cards := make([]messenger.Element, 0, len(ps))
	for i := range ps {
		cards = append(cards, Card(&ps[i], conv.BaseURL))
	}
	m := messenger.Carousel(cards)
	if more {
		m.QuickReplies = append(m.QuickReplies, messenger.Reply("More products", fmt.Sprintf("%s:%d", Browse, ps[len(ps)-1].ID)))
	}
	m.QuickReplies = append(m.QuickReplies, messenger.Reply("Talk to us", Help))
	return reply(m), nil
}

// Card is a product's carousel card: its picture, title, price and a Details button. The
// dashboard's preview draws it too.
func Card(p *models.Product, baseURL string) messenger.Element {
	low, high := p.PriceRange()
	price := low.String()
	if high.Minor != low.Minor {
		price = "From " + price
	}
	e := messenger.Element{Title: messenger.CardText(p.Title), Subtitle: messenger.CardText(price),
		Buttons: []messenger.Button{messenger.Postback("Details", fmt.Sprintf("%s:%d", Details, p.ID))}}
	if len(p.Images) > 0 {
		e.ImageURL = p.Images[0].AbsoluteURL(baseURL)
	}
	return e
}

// ProductCard is a product's card on its own, as a team member sends it from the inbox; its
// Details button leads into the bot's choice of variant and Buy.
func ProductCard(p *models.Product, baseURL string) messenger.Message {
	return messenger.Carousel([]messenger.Element{Card(p, baseURL)})
}

func details(conv Conversation, cat Catalog, arg string) (Answer, error) {
	return pick(conv, cat, arg+":")
}

// pick walks through the product's options one at a time, offering only values some sellable
// variant has with the values chosen so far; arg is "<product id>:<chosen value indexes>".
func pick(conv Conversation, cat Catalog, arg string) (Answer, error) {
	idText, chosenText, _ := strings.Cut(arg, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return reply(StaleButton()), nil
	}
	p, err := cat.OfferedProduct(id)
	if errors.Is(err, models.ErrNotFound) {
		return reply(menu("Sorry, that product is not available any more.")), nil
	} else if err != nil {
		return Answer{}, err
	}
	opts := p.Options()
	values := optionValues(p)
	var chosen []string
	if chosenText != "" {
		for _, part := range strings.Split(chosenText, ".") {
			i, err := strconv.Atoi(part)
			if k := len(chosen); err != nil || k >= len(opts) || i < 0 || i >= len(values[k]) {
				return reply(menu("Sorry, that choice no longer works. What would you like to do?")), nil
			}
			chosen = append(chosen, values[len(chosen)][i])
		}
	}
	if len(chosen) == len(opts) {
		return chosenVariant(conv, p, chosen), nil
	}
	k := len(chosen)
	m := messenger.Message{Text: intro(p, chosen) + "Which " + strings.ToLower(opts[k]) + "?"}
	for i, v := range values[k] {
		if variantWith(p, append(chosen[:k:k], v)) != nil && len(m.QuickReplies) < 13 {
			m.QuickReplies = append(m.QuickReplies, messenger.Reply(v, fmt.Sprintf("%s:%d:%s", Pick, p.ID, extend(chosenText, i))))
		}
	}
	if len(m.QuickReplies) == 0 {
		return reply(menu(p.Title + " is sold out in that choice. Anything else?")), nil
	}
	return reply(m), nil
}

func extend(chosen string, i int) string {
	if chosen == "" {
		return strconv.Itoa(i)
	}
	return chosen + "." + strconv.Itoa(i)
}

// intro names the product and its price, the first time the shopper looks at it.
func intro(p *models.Product, chosen []string) string {
	if len(chosen) > 0 {
		return ""
	}
	low, high := p.PriceRange()
	price := low.String()
	if high.Minor != low.Minor {
		price = "from " + price
	}
	return p.Title + ", " + price + ". "
}

// optionValues lists each option's distinct values in the order the variants have them.
func optionValues(p *models.Product) [][]string {
	n := len(p.Options())
	out := make([][]string, n)
	for _, v := range p.Variants {
		for k, val := range v.OptionValues(n) {
			if !slices.Contains(out[k], val) {
				out[k] = append(out[k], val)
			}
		}
	}
	return out
}

// variantWith is the first sellable variant whose option values start with the values chosen.
func variantWith(p *models.Product, chosen []string) *models.Variant {
	n := len(p.Options())
	for i := range p.Variants {
		v := &p.Variants[i]
		if !v.Sellable() {
			continue
		}
		vals := v.OptionValues(n)
		match := true
		for k, c := range chosen {
			if vals[k] != c {
				match = false
				break
			}
		}
		if match {
			return v
		}
	}
	return nil
}

// chosenVariant tells the shopper the variant they chose, its price and whether it is in stock,
// with the Buy button when they may pay here.
func chosenVariant(conv Conversation, p *models.Product, chosen []string) Answer {
	v := variantWith(p, chosen)
	if v == nil {
		return reply(menu(p.Title + " is sold out in that choice. Anything else?"))
	}
	name := p.Title
	if len(chosen) > 0 {
		name += " (" + strings.Join(chosen, " / ") + ")"
	}
	stock := "In stock."
	if v.InventoryQty > 0 && v.InventoryQty <= 5 && v.InventoryPolicy != models.PolicyContinue {
		stock = fmt.Sprintf("Only %d left.", v.InventoryQty)
	}
	text := fmt.Sprintf("%s: %s. %s", name, v.Price().String(), stock)
	if conv.Shipping != nil && v.Currency == conv.Currency {
		text += " " + conv.Shipping.Words(conv.Currency) + "."
	}
	if !conv.CanPay {
		return reply(menu(text + " " + payRefusal(conv)))
	}
	return reply(messenger.ButtonTemplate(text, messenger.Postback("Buy · "+v.Price().String(), fmt.Sprintf("%s:%d", Buy, v.ID)),
		messenger.Postback("Keep browsing", Browse)))
}
