package sandboxdb

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"
)

// LinkingToken is an account_linking_token of the Messenger emulator: minted when a shopper
// taps a Log In button, valid five minutes, used once.
type LinkingToken struct {
	Token     string `gorm:"primaryKey"`
	PageID    string
	PSID      string `gorm:"column:psid"`
	ExpiresAt time.Time
	Used      bool
}

// TableName keeps the emulator's tables apart from the product's.
func (LinkingToken) TableName() string { return "sandbox_account_linking_tokens" }

// CreateSandboxLinkingToken stores a new account linking token.
func (d *DB) CreateSandboxLinkingToken(ctx context.Context, t *LinkingToken) error {
	return translate(d.w.WithContext(ctx).Create(t).Error)
}

// SandboxLinkingTokenByToken loads an account linking token.
func (d *DB) SandboxLinkingTokenByToken(ctx context.Context, token string) (*LinkingToken, error) {
	var t LinkingToken
	err := d.w.WithContext(ctx).Where("token = ?", token).Take(&t).Error
	return &t, translate(err)
}

// UseSandboxLinkingToken marks a token used, once: false if it was already used.
func (d *DB) UseSandboxLinkingToken(ctx context.Context, token string) (bool, error) {
	res := d.w.WithContext(ctx).Model(&LinkingToken{}).Where("token = ? AND NOT used", token).Update("used", true)
	return res.RowsAffected == 1, res.Error
}

// sandboxPageSubscription is the webhook fields a Page subscribed the app to.
type sandboxPageSubscription struct {
	PageID    string `gorm:"primaryKey"`
	Fields    string // comma-separated
	UpdatedAt time.Time
}

func (sandboxPageSubscription) TableName() string { return "sandbox_page_subscriptions" }

// SetSandboxPageSubscription replaces a Page's subscribed fields; none removes the subscription.
func (d *DB) SetSandboxPageSubscription(ctx context.Context, pageID string, fields []string) error {
	sub := sandboxPageSubscription{PageID: pageID, Fields: strings.Join(fields, ","), UpdatedAt: d.nowUTC()}
	return d.w.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&sub).Error
}

// SandboxPageSubscription is a Page's subscribed fields; found is false if the app never
// subscribed or unsubscribed.
func (d *DB) SandboxPageSubscription(ctx context.Context, pageID string) (fields []string, found bool, err error) {
	var sub sandboxPageSubscription
	err = d.r.WithContext(ctx).Where("page_id = ?", pageID).Limit(1).Find(&sub).Error
	if err != nil || sub.PageID == "" {
		return nil, false, err
	}
	if sub.Fields == "" {
		return []string{}, true, nil
	}
	return strings.Split(sub.Fields, ","), true, nil
}

// MarkSandboxThreadRead moves a shopper's read watermark forward to at (milliseconds); false if
// it was already there.
func (d *DB) MarkSandboxThreadRead(ctx context.Context, psid string, at int64) (bool, error) {
	res := d.w.WithContext(ctx).Model(&Shopper{}).Where("psid = ? AND read_watermark < ?", psid, at).Update("read_watermark", at)
	return res.RowsAffected == 1, res.Error
}
