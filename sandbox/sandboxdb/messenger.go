package sandboxdb

import (
	"context"
	"time"
)

// Shopper is a simulated Messenger user of the sandbox.
type Shopper struct {
	PSID   string `gorm:"column:psid;primaryKey"`
	PageID string
	Name   string
	Locale string
	// Blocked shoppers have blocked the Page: messages to them fail with 551.
	Blocked bool
	// ReadWatermark is the time (ms) up to which the shopper has seen the Page's messages.
	ReadWatermark int64
	CreatedAt     time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (Shopper) TableName() string { return "sandbox_shoppers" }

// Message is one message of a simulated thread, either way.
type Message struct {
	ID      int64
	PageID  string
	PSID    string `gorm:"column:psid"`
	Sender  string // shopper or page
	MID     string `gorm:"column:mid"`
	Message string // the message object as JSON, exactly as sent
	// MessagingType and Tag are what the Send API was asked with a Page's message.
	MessagingType string
	Tag           string
	CreatedAt     time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (Message) TableName() string { return "sandbox_messages" }

// CreateSandboxShopper stores a simulated shopper.
func (d *DB) CreateSandboxShopper(ctx context.Context, sh *Shopper) error {
	sh.CreatedAt = d.nowUTC()
	return translate(d.w.WithContext(ctx).Create(sh).Error)
}

// SandboxShopperByPSID finds a simulated shopper.
func (d *DB) SandboxShopperByPSID(ctx context.Context, psid string) (*Shopper, error) {
	var sh Shopper
	if err := d.r.WithContext(ctx).Where("psid = ?", psid).Take(&sh).Error; err != nil {
		return nil, translate(err)
	}
	return &sh, nil
}

// AddSandboxMessage records a message of a simulated thread.
func (d *DB) AddSandboxMessage(ctx context.Context, m *Message) error {
	m.CreatedAt = d.nowUTC()
	return translate(d.w.WithContext(ctx).Create(m).Error)
}

// SandboxThread lists a simulated thread, oldest first.
func (d *DB) SandboxThread(ctx context.Context, pageID, psid string) ([]Message, error) {
	var ms []Message
	err := d.r.WithContext(ctx).Where("page_id = ? AND psid = ?", pageID, psid).Order("id").Find(&ms).Error
	return ms, err
}

// LastShopperMessageAt is when the shopper last wrote to the Page (zero if never): the start of
// Messenger's 24-hour standard messaging window.
func (d *DB) LastShopperMessageAt(ctx context.Context, pageID, psid string) (time.Time, error) {
	var at []time.Time
	err := d.r.WithContext(ctx).Model(&Message{}).Where("page_id = ? AND psid = ? AND sender = 'shopper'", pageID, psid).
		Order("id DESC").Limit(1).Pluck("created_at", &at).Error
	if err != nil || len(at) == 0 {
		return time.Time{}, err
	}
	return at[0], nil
}

// SandboxShoppers lists a Page's simulated shoppers, newest first.
func (d *DB) SandboxShoppers(ctx context.Context, pageID string) ([]Shopper, error) {
	var out []Shopper
	err := d.r.WithContext(ctx).Where("page_id = ?", pageID).Order("created_at DESC").Limit(50).Find(&out).Error
	return out, err
}

// BlockSandboxShopper records that a simulated shopper blocked (or unblocked) the Page.
func (d *DB) BlockSandboxShopper(ctx context.Context, psid string, blocked bool) error {
	res := d.w.WithContext(ctx).Model(&Shopper{}).Where("psid = ?", psid).Update("blocked", blocked)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// MoveThreadBack moves a shopper's thread with a Page back by d, as if that much time had passed
// since each message; it returns how many messages moved.
func (d *DB) MoveThreadBack(ctx context.Context, pageID, psid string, by time.Duration) (int, error) {
	var msgs []Message
	if err := d.r.WithContext(ctx).Select("id", "created_at").Where("page_id = ? AND psid = ?", pageID, psid).Find(&msgs).Error; err != nil {
		return 0, err
	}
	for _, m := range msgs {
		if err := d.w.WithContext(ctx).Model(&Message{}).Where("id = ?", m.ID).Update("created_at", m.CreatedAt.Add(-by).UTC()).Error; err != nil {
			return 0, err
		}
	}
	return len(msgs), nil
}
