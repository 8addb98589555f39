package models

import (
	"context"
	"crypto/rand"
	"math/big"
	"strings"
	"time"

	"gorm.io/gorm/clause"
)

// SandboxPage is a simulated Facebook Page of the Messenger emulator.
type SandboxPage struct {
	PageID       string `gorm:"primaryKey"`
	Name         string
	TokenRevoked bool // Meta no longer accepts the Page's token, until its admin makes a new one
	CreatedAt    time.Time
	ShopName     string `gorm:"->"` // the shop it is connected to, if any
}

// sandboxPages are the emulator's Pages: those made in the sandbox and every Page a shop has
// connected (the demo's, and those of tests), each with the shop it is connected to.
const sandboxPages = `SELECT * FROM (
		SELECT p.page_id, p.name, p.token_revoked, p.created_at, '' AS shop_name FROM sandbox_pages p
		 WHERE p.page_id NOT IN (SELECT page_id FROM messenger_pages WHERE status <> 'disconnected')
		UNION ALL
		SELECT p.page_id, p.name, COALESCE(sp.token_revoked, FALSE), p.created_at, s.name
		  FROM messenger_pages p JOIN shops s ON s.id = p.shop_id LEFT JOIN sandbox_pages sp ON sp.page_id = p.page_id
		 WHERE p.status <> 'disconnected') AS pages`

// SandboxPages lists the emulator's Pages, oldest first.
func (s *Store) SandboxPages(ctx context.Context) ([]SandboxPage, error) {
	var out []SandboxPage
	err := s.r.WithContext(ctx).Raw(sandboxPages + " ORDER BY created_at, page_id").Scan(&out).Error
	return out, err
}

// SandboxPage is the emulator's Page pageID, or nil: every Send API call asks for its Page.
func (s *Store) SandboxPage(ctx context.Context, pageID string) (*SandboxPage, error) {
	var out []SandboxPage
	if err := s.r.WithContext(ctx).Raw(sandboxPages+" WHERE page_id = ? LIMIT 1", pageID).Scan(&out).Error; err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// CreateSandboxPage makes a simulated Page with a new 15-digit id.
func (s *Store) CreateSandboxPage(ctx context.Context, name string) (*SandboxPage, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(9e13))
	if err != nil {
		return nil, err
	}
	p := &SandboxPage{PageID: big.NewInt(0).Add(n, big.NewInt(1e14)).String(), Name: strings.TrimSpace(name), CreatedAt: s.nowUTC()}
	if err := s.w.WithContext(ctx).Create(p).Error; err != nil {
		return nil, translate(err)
	}
	return p, nil
}

// SetSandboxPageToken revokes a simulated Page's access token, or makes it valid again (its admin
// generated a new one).
func (s *Store) SetSandboxPageToken(ctx context.Context, p SandboxPage, revoked bool) error {
	p.TokenRevoked, p.CreatedAt = revoked, s.nowUTC()
	return s.w.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "page_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"token_revoked"})}).Create(&p).Error
}
