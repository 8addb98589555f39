package models

import (
	"context"
	"time"
)

// SandboxShopper is a simulated Messenger user of the sandbox.
type SandboxShopper struct {
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

// SandboxMessage is one message of a simulated thread, either way.
type SandboxMessage struct {
	ID        int64
	PageID    string
	PSID      string `gorm:"column:psid"`
	Sender    string // shopper or page
	MID       string `gorm:"column:mid"`
	Message   string // the message object as JSON, exactly as sent
	CreatedAt time.Time
}

// CreateSandboxShopper stores a simulated shopper.
func (s *Store) CreateSandboxShopper(ctx context.Context, sh *SandboxShopper) error {
	sh.CreatedAt = s.nowUTC()
	return translate(s.w.WithContext(ctx).Create(sh).Error)
}

// SandboxShopperByPSID finds a simulated shopper.
func (s *Store) SandboxShopperByPSID(ctx context.Context, psid string) (*SandboxShopper, error) {
	var sh SandboxShopper
	if err := s.r.WithContext(ctx).Where("psid = ?", psid).Take(&sh).Error; err != nil {
		return nil, translate(err)
	}
	return &sh, nil
}

// AddSandboxMessage records a message of a simulated thread.
func (s *Store) AddSandboxMessage(ctx context.Context, m *SandboxMessage) error {
	m.CreatedAt = s.nowUTC()
	return translate(s.w.WithContext(ctx).Create(m).Error)
}

// SandboxThread lists a simulated thread, oldest first.
func (s *Store) SandboxThread(ctx context.Context, pageID, psid string) ([]SandboxMessage, error) {
	var ms []SandboxMessage
	err := s.r.WithContext(ctx).Where("page_id = ? AND psid = ?", pageID, psid).Order("id").Find(&ms).Error
	return ms, err
}

// LastShopperMessageAt is when the shopper last wrote to the Page (zero if never): the start of
// Messenger's 24-hour standard messaging window.
func (s *Store) LastShopperMessageAt(ctx context.Context, pageID, psid string) (time.Time, error) {
	var at []time.Time
	err := s.r.WithContext(ctx).Model(&SandboxMessage{}).Where("page_id = ? AND psid = ? AND sender = 'shopper'", pageID, psid).
		Order("id DESC").Limit(1).Pluck("created_at", &at).Error
	if err != nil || len(at) == 0 {
		return time.Time{}, err
	}
	return at[0], nil
}

// SandboxShoppers lists a Page's simulated shoppers, newest first.
func (s *Store) SandboxShoppers(ctx context.Context, pageID string) ([]SandboxShopper, error) {
	var out []SandboxShopper
	err := s.r.WithContext(ctx).Where("page_id = ?", pageID).Order("created_at DESC").Limit(50).Find(&out).Error
	return out, err
}

// BlockSandboxShopper records that a simulated shopper blocked (or unblocked) the Page.
func (s *Store) BlockSandboxShopper(ctx context.Context, psid string, blocked bool) error {
	res := s.w.WithContext(ctx).Model(&SandboxShopper{}).Where("psid = ?", psid).Update("blocked", blocked)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}
