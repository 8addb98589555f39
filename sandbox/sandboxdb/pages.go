package sandboxdb

import (
	"context"
	"crypto/rand"
	"math/big"
	"strings"
	"time"

	"gorm.io/gorm/clause"
)

// Page is a simulated Facebook Page of the Messenger emulator. The Pages shops connected are the
// emulator's too, without a row here until their token is revoked (see the sandbox's directory).
type Page struct {
	PageID       string `gorm:"primaryKey"`
	Name         string
	TokenRevoked bool // Meta no longer accepts the Page's token, until its admin makes a new one
	CreatedAt    time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (Page) TableName() string { return "sandbox_pages" }

// SandboxPages lists the Pages made in the emulator (and those whose token was revoked), oldest first.
func (d *DB) SandboxPages(ctx context.Context) ([]Page, error) {
	var out []Page
	err := d.r.WithContext(ctx).Order("created_at, page_id").Find(&out).Error
	return out, err
}

// SandboxPage is the Page pageID of this table, or nil.
func (d *DB) SandboxPage(ctx context.Context, pageID string) (*Page, error) {
	var out []Page
	if err := d.r.WithContext(ctx).Where("page_id = ?", pageID).Limit(1).Find(&out).Error; err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// EnsurePage makes the simulated Page pageID if there is none (the demo's).
func (d *DB) EnsurePage(ctx context.Context, pageID, name string) error {
	p := Page{PageID: pageID, Name: name, CreatedAt: d.nowUTC()}
	return d.w.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&p).Error
}

// CreateSandboxPage makes a simulated Page with a new 15-digit id.
func (d *DB) CreateSandboxPage(ctx context.Context, name string) (*Page, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(9e13))
	if err != nil {
		return nil, err
	}
	p := &Page{PageID: big.NewInt(0).Add(n, big.NewInt(1e14)).String(), Name: strings.TrimSpace(name), CreatedAt: d.nowUTC()}
	if err := d.w.WithContext(ctx).Create(p).Error; err != nil {
		return nil, translate(err)
	}
	return p, nil
}

// SetSandboxPageToken revokes a simulated Page's access token, or makes it valid again (its admin
// generated a new one).
func (d *DB) SetSandboxPageToken(ctx context.Context, p Page, revoked bool) error {
	p.TokenRevoked, p.CreatedAt = revoked, d.nowUTC()
	return d.w.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "page_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"token_revoked"})}).Create(&p).Error
}
