package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chatshop/chatshop/live"
)

// Messenger's messaging windows: a Page answers freely for 24 hours after the shopper's last
// message; after that a person may still answer with the HUMAN_AGENT tag for up to 7 days.
const (
	StandardWindow   = 24 * time.Hour
	HumanAgentWindow = 7 * 24 * time.Hour
)

// ReplyWindow says whether and how the shop may answer a shopper now.
type ReplyWindow struct {
	Open       bool
	HumanAgent bool          // only with the HUMAN_AGENT tag (more than 24 hours since the shopper wrote)
	Left       time.Duration // until this way of answering closes
}

// ReplyWindow is the shopper's reply window at now.
func (sh *Shopper) ReplyWindow(now time.Time) ReplyWindow {
	if sh.LastInboundAt == nil {
		return ReplyWindow{}
	}
	since := now.Sub(*sh.LastInboundAt)
	switch {
	case since < StandardWindow:
		return ReplyWindow{Open: true, Left: StandardWindow - since}
	case since < HumanAgentWindow:
		return ReplyWindow{Open: true, HumanAgent: true, Left: HumanAgentWindow - since}
	}
	return ReplyWindow{}
}

// ErrWindowClosed means Messenger accepts no message to the shopper any more: more than 7 days
// have passed since they last wrote.
var ErrWindowClosed = errors.New("models: the conversation's reply window has closed")

// InboxMessage is what a team member sends from the inbox: Text is what the thread shows, Body the
// Send API's message object; Key makes a double submit one message.
type InboxMessage struct {
	ShopperID int64
	Key       string
	Text      string
	Body      string
}

// QueueFunc stores an outbound message with its send job in tx (the worker's QueueMessage).
type QueueFunc func(ctx context.Context, tx *Tx, m *OutboundMessage) (queued bool, err error)

// SendFromInbox queues a team member's message to the shopper, in the window Messenger allows
// now (tagged HUMAN_AGENT after 24 hours), and adds it to the conversation. A conversation nobody
// has is assigned to the member who answers it.
func (d *ShopData) SendFromInbox(ctx context.Context, m InboxMessage, by Actor, queue QueueFunc) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		sh, err := d.shopperIn(tx, m.ShopperID)
		if err != nil {
			return err
		}
		w := sh.ReplyWindow(tx.now())
		if !w.Open {
			return ErrWindowClosed
		}
		out := &OutboundMessage{ShopID: d.shopID, PageID: sh.PageID, PSID: sh.PSID, MessagingType: "RESPONSE",
			Message: m.Body, IdempotencyKey: fmt.Sprintf("inbox:%d:%s", sh.ID, m.Key)}
		if w.HumanAgent {
			out.MessagingType, out.Tag = "MESSAGE_TAG", "HUMAN_AGENT"
		}
		queued, err := queue(ctx, tx, out)
		if err != nil || !queued {
			return err // a second submit of the same form sends nothing more
		}
		author := by.UserID
		if err := tx.RecordChat(sh, ChatMessage{Direction: "out", Text: m.Text, Body: m.Body, AuthorUserID: &author,
			OutboundMessageID: &out.ID}); err != nil {
			return err
		}
		if sh.AssignedUserID == nil {
			return tx.db.Model(&Shopper{}).Where("id = ?", sh.ID).Update("assigned_user_id", author).Error
		}
		return nil
	})
}

// AssignConversation gives a conversation to a member of the shop, or to no one (userID 0).
func (d *ShopData) AssignConversation(ctx context.Context, shopperID, userID int64) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		sh, err := d.shopperIn(tx, shopperID)
		if err != nil {
			return err
		}
		var to any
		if userID != 0 {
			if _, err := d.membership(tx, userID); err != nil {
				return err
			}
			to = userID
		}
		tx.changed(d.shopID, live.Chat)
		return tx.db.Model(&Shopper{}).Where("id = ?", sh.ID).Update("assigned_user_id", to).Error
	})
}

// CloseConversation hands a conversation back to the bot: it leaves the open views, read.
func (d *ShopData) CloseConversation(ctx context.Context, shopperID int64) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		sh, err := d.shopperIn(tx, shopperID)
		if err != nil {
			return err
		}
		tx.changed(d.shopID, live.Chat)
		return tx.db.Model(&Shopper{}).Where("id = ?", sh.ID).Updates(map[string]any{"needs_human": false, "unread": 0}).Error
	})
}

// Shopper reads one of the shop's shoppers.
func (d *ShopData) Shopper(ctx context.Context, shopperID int64) (*Shopper, error) {
	return d.shopperIn(d.s.reading(ctx), shopperID)
}

func (d *ShopData) shopperIn(tx *Tx, shopperID int64) (*Shopper, error) {
	sh, err := tx.ShopperOf(shopperID)
	if err != nil {
		return nil, err
	}
	if sh.ShopID != d.shopID {
		return nil, ErrNotFound
	}
	return sh, nil
}

// SavedReply is a saved answer the team inserts in a reply.
type SavedReply struct {
	ID        int64
	ShopID    int64
	Title     string
	Body      string
	CreatedAt time.Time
}

// SavedReplies lists the shop's saved replies by title.
func (d *ShopData) SavedReplies(ctx context.Context) ([]SavedReply, error) {
	var rs []SavedReply
	return rs, d.s.r.WithContext(ctx).Where("shop_id = ?", d.shopID).Order("title, id").Find(&rs).Error
}

// ErrSavedReply means a saved reply lacks a title or a text, or its text is too long to send.
var ErrSavedReply = errors.New("models: a saved reply needs a title and a text of at most 2,000 characters")

// AddSavedReply saves a reply for the team.
func (d *ShopData) AddSavedReply(ctx context.Context, title, body string) error {
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if title == "" || body == "" || len([]rune(body)) > MaxMessageText || len([]rune(title)) > 80 {
		return ErrSavedReply
	}
	return d.s.w.WithContext(ctx).Create(&SavedReply{ShopID: d.shopID, Title: title, Body: body, CreatedAt: d.s.nowUTC()}).Error
}

// DeleteSavedReply removes one of the shop's saved replies.
func (d *ShopData) DeleteSavedReply(ctx context.Context, id int64) error {
	res := d.s.w.WithContext(ctx).Where("shop_id = ?", d.shopID).Delete(&SavedReply{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// MaxMessageText is the longest text the Send API takes in one message.
const MaxMessageText = 2000
