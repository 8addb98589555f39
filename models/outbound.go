package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/chatshop/chatshop/live"
)

// OutboundMessage is a message to a shopper through the Send API.
type OutboundMessage struct {
	ID             int64
	ShopID         int64
	PageID         string
	PSID           string `gorm:"column:psid"`
	MessagingType  string
	Tag            string
	Message        string // the Send API's message object, as JSON
	IdempotencyKey string
	Status         string // queued, sent, failed
	MID            string `gorm:"column:mid"`
	Attempts       int
	Error          string // why it failed, in plain words
	// UtilityPurpose and UtilityValues say the message as a utility template (its purpose, the
	// values of its placeholders as a JSON array), for when Messenger's 24 hours have passed.
	UtilityPurpose string
	UtilityValues  string
	CreatedAt      time.Time
	SentAt         *time.Time
}

// QueueMessage stores a message to send in tx. A message with the same idempotency key already
// queued is not queued again; queued reports whether this call queued it.
func (tx *Tx) QueueMessage(m *OutboundMessage) (queued bool, err error) {
	m.ID, m.Status, m.CreatedAt = 0, "queued", tx.now()
	res := tx.db.Clauses(clause.OnConflict{DoNothing: true}).Create(m)
	if res.Error != nil {
		return false, res.Error
	}
	return res.RowsAffected == 1, nil
}

// OutboundMessageByID loads a message for the worker.
func (s *Store) OutboundMessageByID(ctx context.Context, id int64) (*OutboundMessage, error) {
	var m OutboundMessage
	if err := s.r.WithContext(ctx).Take(&m, id).Error; err != nil {
		return nil, translate(err)
	}
	return &m, nil
}

// MessageSent records the Send API's message id, and how the message went (UTILITY when it went
// as its utility template).
func (s *Store) MessageSent(ctx context.Context, m *OutboundMessage, attempt int, mid string) error {
	now := s.nowUTC()
	return s.Transaction(ctx, func(tx *Tx) error {
		tx.changed(m.ShopID, live.Chat)
		res := tx.db.Model(&OutboundMessage{}).Where("id = ? AND status = 'queued'", m.ID).Updates(map[string]any{"status": "sent",
			"mid": mid, "attempts": attempt, "error": "", "sent_at": now, "messaging_type": m.MessagingType, "tag": m.Tag, "message": m.Message})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return tx.messageSent(m)
	})
}

// MessageAttemptFailed records a failed attempt that will be retried.
func (s *Store) MessageAttemptFailed(ctx context.Context, m *OutboundMessage, attempt int, words string) error {
	return s.sending(ctx, m, map[string]any{"attempts": attempt, "error": words})
}

// sending records how sending a queued message went; the inbox shows it.
func (s *Store) sending(ctx context.Context, m *OutboundMessage, how map[string]any) error {
	return s.Transaction(ctx, func(tx *Tx) error {
		tx.changed(m.ShopID, live.Chat)
		return tx.db.Model(&OutboundMessage{}).Where("id = ? AND status = 'queued'", m.ID).Updates(how).Error
	})
}

// MessageFailed records that a message will not be sent, and why. When the Page's token no
// longer works, the Page connection is marked as needing a reconnect.
func (s *Store) MessageFailed(ctx context.Context, m *OutboundMessage, attempt int, words string, tokenInvalid bool) error {
	return s.Transaction(ctx, func(tx *Tx) error {
		tx.changed(m.ShopID, live.Chat)
		if err := tx.db.Model(&OutboundMessage{}).Where("id = ? AND status = 'queued'", m.ID).
			Updates(map[string]any{"status": "failed", "attempts": attempt, "error": words}).Error; err != nil {
			return err
		}
		if err := tx.messageRefused(m, words); err != nil {
			return err
		}
		if tokenInvalid {
			return tx.db.Model(&MessengerPage{}).Where("shop_id = ? AND page_id = ?", m.ShopID, m.PageID).
				Updates(map[string]any{"status": "needs_reconnect", "updated_at": tx.now()}).Error
		}
		return nil
	})
}

// PageToken opens the access token of one of the shop's Pages ("" when none is stored).
func (s *Store) PageToken(ctx context.Context, shopID int64, pageID string) (string, error) {
	var p MessengerPage
	if err := s.r.WithContext(ctx).Where("shop_id = ? AND page_id = ?", shopID, pageID).Take(&p).Error; err != nil {
		return "", translate(err)
	}
	return s.OpenPageToken(&p)
}

func pageTokenPurpose(pageID string) string {
	return "page-token:" + pageID
}

// PageStatus is a Page connection's state: connected, needs_reconnect or disconnected.
func (d *ShopData) PageStatus(ctx context.Context, pageID string) (string, error) {
	var p MessengerPage
	if err := d.s.r.WithContext(ctx).Where("shop_id = ? AND page_id = ?", d.shopID, pageID).Take(&p).Error; err != nil {
		return "", translate(err)
	}
	return p.Status, nil
}
