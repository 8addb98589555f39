package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/bot"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

const conversationsPerPage = 30

// ShowInbox lists the conversations of an inbox view; with an id it also shows that conversation
// (and marks it read) with the reply box.
func (h *Handlers) ShowInbox(c echo.Context) error {
	return h.renderInbox(c, http.StatusOK, "", "")
}

// inboxView is the view the request asks for; the open conversations by default.
func inboxView(c echo.Context) string {
	if v := c.QueryParam("view"); slices.Contains(models.InboxViews, v) {
		return v
	}
	return models.InboxOpen
}

func (h *Handlers) renderInbox(c echo.Context, status int, draft, problem string) error {
	v := ViewerOf(c)
	ctx := c.Request().Context()
	view := inboxView(c)
	rows, next, err := v.Data.Conversations(ctx, models.ConversationFilter{View: view, UserID: v.User.ID, Before: c.QueryParam("before")}, conversationsPerPage)
	if err != nil {
		return err
	}
	counts, err := v.Data.InboxCounts(ctx, v.User.ID)
	if err != nil {
		return err
	}
	vm := pages.Inbox{Page: h.page(c, "Inbox", "inbox", layout.ShopConsole), View: view, Counts: counts, Now: h.now()}
	selected := int64(0)
	if id := c.Param("id"); id != "" {
		if selected, err = strconv.ParseInt(id, 10, 64); err != nil {
			return echo.NewHTTPError(http.StatusNotFound)
		}
	}
	for _, r := range rows {
		vm.Conversations = append(vm.Conversations, pages.ConversationItem{ID: r.ID, Name: r.DisplayName(),
			Preview: r.LastText, At: r.LastMessageAt, Unread: r.Unread, Assignee: r.AssigneeName, Open: r.NeedsHuman,
			Href: conversationHref(r.ID, view), Active: r.ID == selected})
	}
	if next != "" {
		vm.NextHref = "/app/inbox?" + url.Values{"view": {view}, "before": {next}}.Encode()
	}
	if selected != 0 {
		if vm.Thread, err = h.inboxThread(c, selected, view); err != nil {
			return err
		}
		vm.Thread.Draft, vm.Thread.Problem = draft, problem
	}
	return render.Render(c, status, pages.InboxPage(vm))
}

func (h *Handlers) inboxThread(c echo.Context, shopperID int64, view string) (*pages.InboxThread, error) {
	v := ViewerOf(c)
	ctx := c.Request().Context()
	t, err := v.Data.Conversation(ctx, shopperID, true)
	if err != nil {
		return nil, err
	}
	members, err := v.Data.Members(ctx)
	if err != nil {
		return nil, err
	}
	saved, err := v.Data.SavedReplies(ctx)
	if err != nil {
		return nil, err
	}
	sh := t.Shopper
	th := &pages.InboxThread{ShopperID: sh.ID, Name: sh.DisplayName(), Country: sh.Country, Locale: sh.Locale,
		PayPalEmail: sh.PayPalEmail, Open: sh.NeedsHuman, Earlier: t.Earlier, Window: sh.ReplyWindow(h.now()),
		Base: fmt.Sprintf("/app/inbox/%d", sh.ID), View: view, Key: newFormKey(), ViewerID: v.User.ID}
	if sh.AssignedUserID != nil {
		th.AssigneeID = *sh.AssignedUserID
	}
	for _, m := range members {
		th.Members = append(th.Members, pages.MemberOption{ID: m.UserID, Name: m.Name})
	}
	for _, r := range saved {
		th.SavedReplies = append(th.SavedReplies, pages.SavedReply{Title: r.Title, Body: r.Body})
	}
	for _, m := range t.Messages {
		item := pages.ThreadItem{FromShopper: m.Direction == "in", Text: m.Text, At: m.CreatedAt, Author: m.AuthorName,
			Status: m.SendStatus, Error: m.SendError, Card: isCard(m.Body)}
		if item.Text == "" && item.FromShopper {
			item.Text = "(an attachment or a sticker)"
		}
		th.Messages = append(th.Messages, item)
	}
	return th, nil
}

// isCard reports whether a message sent is a template (cards, buttons, a receipt).
func isCard(body string) bool { return strings.Contains(body, `"attachment"`) }

// ReplyInInbox sends a team member's text to the shopper through the worker, tagged HUMAN_AGENT
// after Messenger's 24 hours. A refused reply keeps what was typed.
func (h *Handlers) ReplyInInbox(c echo.Context) error {
	text := strings.TrimSpace(c.FormValue("text"))
	switch {
	case text == "":
		return h.renderInbox(c, http.StatusUnprocessableEntity, "", "Write a message first.")
	case len([]rune(text)) > models.MaxMessageText:
		return h.renderInbox(c, http.StatusUnprocessableEntity, text,
			fmt.Sprintf("Messenger takes at most %d characters in a message; this one has %d.", models.MaxMessageText, len([]rune(text))))
	}
	return h.sendFromInbox(c, text, messenger.Message{Text: text}, text)
}

// SendProductCard sends one of the shop's active products as a card with its Details button.
func (h *Handlers) SendProductCard(c echo.Context) error {
	id, _ := strconv.ParseInt(c.FormValue("product_id"), 10, 64)
	p, err := ViewerOf(c).Data.GetProduct(c.Request().Context(), id)
	if errors.Is(err, models.ErrNotFound) || (err == nil && p.Status != models.ProductActive) {
		return h.renderInbox(c, http.StatusUnprocessableEntity, "", "Only the shop's active products can be sent.")
	} else if err != nil {
		return err
	}
	return h.sendFromInbox(c, "Product card: "+p.Title, bot.ProductCard(p, h.BaseURL), "")
}

func (h *Handlers) sendFromInbox(c echo.Context, text string, m messenger.Message, draft string) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	key := c.FormValue("key")
	if key == "" {
		key = newFormKey()
	}
	err = ViewerOf(c).Data.SendFromInbox(c.Request().Context(),
		models.InboxMessage{ShopperID: id, Key: key, Text: text, Body: string(body)}, actor(c), h.Jobs.QueueMessage)
	switch {
	case errors.Is(err, models.ErrWindowClosed):
		return h.renderInbox(c, http.StatusUnprocessableEntity, draft,
			"More than 7 days have passed since this shopper last wrote, so Messenger no longer lets the Page message them. They can write again at any time.")
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, conversationHref(id, inboxView(c)))
}

// AssignConversation gives the conversation to a team member, or to no one.
func (h *Handlers) AssignConversation(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	to, _ := strconv.ParseInt(c.FormValue("user_id"), 10, 64)
	if err := ViewerOf(c).Data.AssignConversation(c.Request().Context(), id, to); err != nil {
		return err
	}
	if to == 0 {
		h.flash(c, "success", "The conversation is unassigned.")
	} else {
		h.flash(c, "success", "The conversation is assigned.")
	}
	return c.Redirect(http.StatusSeeOther, conversationHref(id, inboxView(c)))
}

// CloseConversation hands the conversation back to the bot.
func (h *Handlers) CloseConversation(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := ViewerOf(c).Data.CloseConversation(c.Request().Context(), id); err != nil {
		return err
	}
	h.flash(c, "success", "Resolved: the bot answers this shopper again until they ask for a person.")
	return c.Redirect(http.StatusSeeOther, conversationHref(id, inboxView(c)))
}

// InboxProducts lists the active products matching q that a team member may send as a card.
func (h *Handlers) InboxProducts(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := ViewerOf(c).Data.Shopper(c.Request().Context(), id); err != nil {
		return err
	}
	page, err := ViewerOf(c).Data.ListProducts(c.Request().Context(),
		models.ProductFilter{Query: c.QueryParam("q"), Status: models.ProductActive, Limit: 8})
	if err != nil {
		return err
	}
	vm := pages.ProductPicks{Base: fmt.Sprintf("/app/inbox/%d", id), View: inboxView(c), Key: newFormKey()}
	for _, p := range page.Products {
		low, _ := p.PriceRange()
		pick := pages.ProductPick{ID: p.ID, Title: p.Title, Price: low.String(), ImageURL: p.Thumb()}
		vm.Products = append(vm.Products, pick)
	}
	return render.Render(c, http.StatusOK, pages.ProductPicksList(vm))
}

func conversationHref(shopperID int64, view string) string {
	return fmt.Sprintf("/app/inbox/%d?view=%s", shopperID, view)
}

// newFormKey is a random key a form carries, so that sending it twice sends once.
func newFormKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
