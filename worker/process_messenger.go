package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/chatshop/chatshop/bot"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// processMessenger applies a Messenger event to the shop whose Page it came to: a shopper's
// message or postback is recorded in their conversation and answered by the bot (and the checkout
// step it chose carried out), in the same transaction that queues the reply; account linking
// links or unlinks the shopper's PayPal.
func (l *eventLoop) processMessenger(ctx context.Context, tx *models.Tx, e *models.WebhookEvent) (models.EventOutcome, error) {
	shopID, err := tx.ShopForPage(e.AccountRef)
	if errors.Is(err, models.ErrNotFound) {
		return models.EventOutcome{Status: models.EventUnmatched}, nil
	} else if err != nil {
		return models.EventOutcome{}, fmt.Errorf("find the shop of Page %s: %w", e.AccountRef, err)
	}
	if e.EventType == "template_status" {
		return l.templateStatus(tx, shopID, e)
	}
	if e.EventType != "message" && e.EventType != "postback" && e.EventType != "account_linking" {
		// Echoes, deliveries and reads need nothing.
		return models.EventOutcome{Status: models.EventIgnored, ShopID: shopID}, nil
	}
	var item struct {
		Sender struct {
			ID string `json:"id"`
		} `json:"sender"`
	}
	if err := json.Unmarshal(e.Payload, &item); err != nil || item.Sender.ID == "" {
		return models.EventOutcome{}, fmt.Errorf("messenger event without a sender: %w", err)
	}
	sh, first, err := tx.TouchShopper(shopID, e.AccountRef, item.Sender.ID)
	if err != nil {
		return models.EventOutcome{}, fmt.Errorf("record shopper %s: %w", item.Sender.ID, err)
	}
	front, err := tx.Storefront(shopID)
	if err != nil {
		return models.EventOutcome{}, fmt.Errorf("read the shop's storefront: %w", err)
	}
	if e.EventType == "account_linking" {
		return models.EventOutcome{Status: models.EventProcessed, ShopID: shopID}, l.accountLinking(ctx, tx, sh, front, e)
	}
	in, err := messenger.ReadIncoming(e.Payload)
	if err != nil {
		return models.EventOutcome{}, fmt.Errorf("read the message: %w", err)
	}
	if err := tx.RecordChat(sh, models.ChatMessage{Direction: "in", Text: in.Text, Body: string(e.Payload)}); err != nil {
		return models.EventOutcome{}, fmt.Errorf("record the message in the conversation: %w", err)
	}
	if first {
		if err := l.jobs.call(tx, ShopperProfileArgs{ShopperID: sh.ID}); err != nil {
			return models.EventOutcome{}, fmt.Errorf("queue the profile read: %w", err)
		}
	}
	conv := bot.Conversation{ShopName: front.Name, BaseURL: l.baseURL, FirstContact: first, WithHuman: sh.NeedsHuman,
		CanPay: front.Sells(sh.Country), PaymentsOpen: front.MerchantID != "", Countries: front.Countries, PayPalEmail: sh.PayPalEmail,
		Shipping: front.ShippingTo(sh.Country), Currency: front.Currency}
	answer, err := bot.Respond(in, conv, txCatalog{tx: tx, shopID: shopID})
	if err != nil {
		return models.EventOutcome{}, fmt.Errorf("the bot's answer: %w", err)
	}
	if answer.ToInbox {
		if _, err := tx.HandToInbox(sh); err != nil {
			return models.EventOutcome{}, fmt.Errorf("hand the conversation to the team: %w", err)
		}
	}
	if answer.Reply != nil {
		if err := l.jobs.reply(ctx, tx, sh, e.ID, *answer.Reply); err != nil {
			return models.EventOutcome{}, fmt.Errorf("queue the bot's reply: %w", err)
		}
	}
	if err := l.checkoutStep(ctx, tx, sh, e.ID, answer); err != nil {
		return models.EventOutcome{}, fmt.Errorf("checkout step: %w", err)
	}
	return models.EventOutcome{Status: models.EventProcessed, ShopID: shopID}, nil
}

// templateStatus records Meta's new word on one of the Page's utility templates.
func (l *eventLoop) templateStatus(tx *models.Tx, shopID int64, e *models.WebhookEvent) (models.EventOutcome, error) {
	var st messenger.TemplateStatus
	if err := json.Unmarshal(e.Payload, &st); err != nil {
		return models.EventOutcome{}, fmt.Errorf("read the template status: %w", err)
	}
	reason := st.Reason
	if reason == "NONE" {
		reason = ""
	}
	found, err := tx.SetTemplateStatus(shopID, e.AccountRef, st.ID(), st.Event, reason)
	if err != nil {
		return models.EventOutcome{}, fmt.Errorf("record template %s's status: %w", st.ID(), err)
	}
	if !found {
		return models.EventOutcome{Status: models.EventIgnored, ShopID: shopID}, nil // not one of chatshop's
	}
	return models.EventOutcome{Status: models.EventProcessed, ShopID: shopID}, nil
}

// reply queues the bot's answer to an event; the event's id makes it one answer however often
// the event is processed.
func (w *Worker) reply(ctx context.Context, tx *models.Tx, sh *models.Shopper, eventID int64, m messenger.Message) error {
	return w.say(ctx, tx, sh, fmt.Sprintf("reply:%d", eventID), messenger.MessagingResponse, m)
}

// say queues a message to the shopper and adds it to their conversation; key makes it one
// message however often the step that says it runs.
func (w *Worker) say(ctx context.Context, tx *models.Tx, sh *models.Shopper, key, messagingType string, m messenger.Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	out := &models.OutboundMessage{ShopID: sh.ShopID, PageID: sh.PageID, PSID: sh.PSID,
		MessagingType: messagingType, Message: string(body), IdempotencyKey: key}
	queued, err := w.QueueMessage(ctx, tx, out)
	if err != nil {
		return fmt.Errorf("queue message %s: %w", key, err)
	}
	if !queued {
		return nil
	}
	return tx.RecordChat(sh, models.ChatMessage{Direction: "out", Text: readable(m), Body: string(body), OutboundMessageID: &out.ID})
}

// tell queues a message the shop sends unprompted (a shipping update, a refund notice): inside
// Messenger's 24 hours after the shopper last wrote as an UPDATE, after them as the Page's utility
// template of purpose with values (the send job falls back to it too when Meta says the window
// has closed). It reports how it went: ToldMessage or ToldUtility.
func (w *Worker) tell(ctx context.Context, tx *models.Tx, sh *models.Shopper, key string, m messenger.Message, purpose string, values ...string) (string, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	vals, err := json.Marshal(values)
	if err != nil {
		return "", err
	}
	out := &models.OutboundMessage{ShopID: sh.ShopID, PageID: sh.PageID, PSID: sh.PSID, MessagingType: messenger.MessagingUpdate,
		Message: string(body), IdempotencyKey: key, UtilityPurpose: purpose, UtilityValues: string(vals)}
	told := models.ToldMessage
	if window := sh.ReplyWindow(tx.Now()); !window.Open || window.HumanAgent {
		out.MessagingType, told = messenger.MessagingUtility, models.ToldUtility
	}
	queued, err := w.QueueMessage(ctx, tx, out)
	if err != nil {
		return "", fmt.Errorf("queue message %s: %w", key, err)
	}
	if !queued {
		return told, nil
	}
	return told, tx.RecordChat(sh, models.ChatMessage{Direction: "out", Text: readable(m), Body: string(body), OutboundMessageID: &out.ID})
}

// readable is what a person reads of a message: its text, or its cards' titles.
func readable(m messenger.Message) string {
	if m.Text != "" || m.Attachment == nil {
		return m.Text
	}
	p := m.Attachment.Payload
	if p.Text != "" {
		return p.Text
	}
	if p.TemplateType == "receipt" {
		return fmt.Sprintf("Receipt for order %s: %s", p.OrderNumber, cardTitles(p.Elements))
	}
	return cardTitles(p.Elements)
}

// cardTitles are the titles of a template's cards, or of a receipt's items.
func cardTitles(elements []messenger.Element) string {
	titles := ""
	for i, e := range elements {
		if i > 0 {
			titles += " · "
		}
		titles += e.Title
	}
	return titles
}

// txCatalog is the shop's catalog as the bot reads it, inside the event's transaction.
type txCatalog struct {
	tx     *models.Tx
	shopID int64
}

func (c txCatalog) OfferedProducts(afterID int64, limit int) ([]models.Product, error) {
	return c.tx.OfferedProducts(c.shopID, afterID, limit)
}

func (c txCatalog) OfferedProduct(id int64) (*models.Product, error) {
	return c.tx.OfferedProduct(c.shopID, id)
}

// ShopperProfileArgs asks for a new shopper's name and locale to be read from the User Profile API.
type ShopperProfileArgs struct {
	ShopperID int64 `json:"shopper_id"`
}

// Kind names the call.
func (ShopperProfileArgs) Kind() string { return "messenger.shopper_profile" }

// policy bounds the retries of a profile read.
func (ShopperProfileArgs) policy() callPolicy { return callPolicy{attempts: 5} }

type shopperProfileWorker struct {
	store *models.Store
	graph *messenger.Client
}

// Work reads the shopper's profile with the Page's token and records it.
func (w *shopperProfileWorker) Work(ctx context.Context, job *Job[ShopperProfileArgs]) error {
	sh, err := w.store.ShopperByID(job.Args.ShopperID)
	if err != nil {
		return err
	}
	token, err := w.store.PageToken(ctx, sh.ShopID, sh.PageID)
	if err != nil {
		return err
	}
	p, err := w.graph.UserProfile(ctx, token, sh.PSID)
	if err != nil {
		if messenger.Retryable(err) {
			return err
		}
		return permanent(err) // a shopper without a name is still served
	}
	name := p.FirstName
	if p.LastName != "" {
		name += " " + p.LastName
	}
	return w.store.SetShopperProfile(sh.ID, name, p.Locale)
}
