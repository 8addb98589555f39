package models

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chatshop/chatshop/live"
)

// Views of the inbox: the open conversations (handed to a person) assigned to the viewer, assigned
// to no one, all of them, and every conversation including those the bot handles.
const (
	InboxMine       = "mine"
	InboxUnassigned = "unassigned"
	InboxOpen       = "open"
	InboxAll        = "all"
)

// InboxViews lists the views in the order the inbox shows them.
var InboxViews = []string{InboxMine, InboxUnassigned, InboxOpen, InboxAll}

// ConversationFilter chooses the conversations of one inbox view, for the viewer UserID, after the
// cursor Before of a previous page ("" for the first).
type ConversationFilter struct {
	View   string
	UserID int64
	Before string
}

// ConversationRow is a conversation as the inbox lists it.
type ConversationRow struct {
	Shopper
	AssigneeName string
}

// InboxCounts are the numbers of conversations in each view.
type InboxCounts map[string]int

func (d *ShopData) conversationsIn(db *gorm.DB, view string, userID int64) *gorm.DB {
	q := db.Model(&Shopper{}).Where("shoppers.shop_id = ?", d.shopID)
	switch view {
	case InboxMine:
		return q.Where("needs_human AND assigned_user_id = ?", userID)
	case InboxUnassigned:
		return q.Where("needs_human AND assigned_user_id IS NULL")
	case InboxOpen:
		return q.Where("needs_human")
	default:
		return q.Where("last_message_at IS NOT NULL")
	}
}

// Conversations is one page of an inbox view, latest activity first, and the cursor of the next
// page ("" on the last). The cursor is the last row's (last_message_at, id): keyset pagination
// that stays fast on any page.
func (d *ShopData) Conversations(ctx context.Context, f ConversationFilter, limit int) ([]ConversationRow, string, error) {
	q := d.conversationsIn(d.s.r.WithContext(ctx), f.View, f.UserID).
		Select("shoppers.*, coalesce(users.name, '') AS assignee_name").
		Joins("LEFT JOIN users ON users.id = shoppers.assigned_user_id").
		Order("last_message_at DESC, shoppers.id DESC").Limit(limit + 1)
	if at, id, ok := parseConversationCursor(f.Before); ok {
		q = q.Where("(last_message_at < ? OR (last_message_at = ? AND shoppers.id < ?))", at, at, id)
	}
	var rows []ConversationRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, "", err
	}
	if len(rows) <= limit {
		return rows, "", nil
	}
	last := rows[limit-1]
	return rows[:limit], conversationCursor(last.LastMessageAt, last.ID), nil
}

func conversationCursor(at *time.Time, id int64) string {
	if at == nil {
		return ""
	}
	return fmt.Sprintf("%d.%d", at.UnixNano(), id)
}

func parseConversationCursor(s string) (time.Time, int64, bool) {
	ns, id, ok := strings.Cut(s, ".")
	n, err1 := strconv.ParseInt(ns, 10, 64)
	i, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return time.Time{}, 0, false
	}
	return time.Unix(0, n).UTC(), i, true
}

// InboxCounts counts the conversations of each view for the viewer userID. Every conversation
// change tells live pages (and so moves the shop's version), so the counts are kept until one does
// (counting "all" walks every conversation the shop ever had).
func (d *ShopData) InboxCounts(ctx context.Context, userID int64) (InboxCounts, error) {
	counts, err := d.s.inboxCounts.get(inboxCountsKey{d.shopID, userID}, d.s.now(), keptFresh, d.s.versions.of(d.shopID),
		func() (InboxCounts, error) { return d.countInbox(ctx, userID) })
	return maps.Clone(counts), err
}

type inboxCountsKey struct{ shopID, userID int64 }

func (d *ShopData) countInbox(ctx context.Context, userID int64) (InboxCounts, error) {
	counts := InboxCounts{}
	for _, v := range InboxViews {
		var n int64
		if err := d.conversationsIn(d.s.r.WithContext(ctx), v, userID).Count(&n).Error; err != nil {
			return nil, err
		}
		counts[v] = int(n)
	}
	return counts, nil
}

// ThreadMessage is a message of a conversation as the inbox shows it: who wrote it, and for the
// team's replies whether Messenger took it.
type ThreadMessage struct {
	ChatMessage
	AuthorName string
	SendStatus string // queued, sent or failed; "" for the shopper's messages
	SendError  string // why Messenger refused it, in plain words
}

// Thread is a conversation: the shopper and their latest messages, oldest first.
type Thread struct {
	Shopper  *Shopper
	Messages []ThreadMessage
	// Earlier is set when older messages were left out.
	Earlier bool
}

// threadLength is how many of the latest messages a thread shows.
const threadLength = 100

// Conversation reads a shopper's conversation and, when markRead, marks it read.
func (d *ShopData) Conversation(ctx context.Context, shopperID int64, markRead bool) (*Thread, error) {
	db := d.s.r.WithContext(ctx)
	var sh Shopper
	if err := db.Where("shop_id = ?", d.shopID).Take(&sh, shopperID).Error; err != nil {
		return nil, translate(err)
	}
	t := &Thread{Shopper: &sh}
	err := db.Table("chat_messages AS m").
		Select("m.*, coalesce(u.name, '') AS author_name, coalesce(o.status, '') AS send_status, coalesce(o.error, '') AS send_error").
		Joins("LEFT JOIN users u ON u.id = m.author_user_id").
		Joins("LEFT JOIN outbound_messages o ON o.id = m.outbound_message_id").
		Where("m.shopper_id = ? AND m.shop_id = ?", sh.ID, d.shopID).
		Order("m.id DESC").Limit(threadLength + 1).Find(&t.Messages).Error
	if err != nil {
		return nil, err
	}
	if len(t.Messages) > threadLength {
		t.Messages, t.Earlier = t.Messages[:threadLength], true
	}
	for i, j := 0, len(t.Messages)-1; i < j; i, j = i+1, j-1 {
		t.Messages[i], t.Messages[j] = t.Messages[j], t.Messages[i]
	}
	if markRead && sh.Unread > 0 {
		err := d.s.Transaction(ctx, func(tx *Tx) error {
			tx.changed(d.shopID, live.Chat)
			return tx.db.Model(&Shopper{}).Where("id = ? AND shop_id = ?", sh.ID, d.shopID).Update("unread", 0).Error
		})
		if err != nil {
			return nil, err
		}
	}
	return t, nil
}
