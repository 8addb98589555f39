package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// MessageTemplate is a Page-owned utility template chatshop asked Meta for, and Meta's review of it.
type MessageTemplate struct {
	ShopID     int64  `gorm:"primaryKey"`
	PageID     string `gorm:"primaryKey"`
	Purpose    string `gorm:"primaryKey"` // what it says: order_shipped, refund_issued
	Language   string `gorm:"primaryKey"`
	Name       string
	TemplateID string
	Status     string // Meta's: PENDING, APPROVED, REJECTED, PAUSED ...; FAILED when the request was refused
	Reason     string // Meta's reason for a rejection, or the request's refusal
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TemplateFailed is a template's status when Meta refused the request itself (not its review).
const TemplateFailed = "FAILED"

// Usable reports whether messages may use the template.
func (t *MessageTemplate) Usable() bool { return t.Status == "APPROVED" }

// MessageTemplates are the shop's templates, by Page, purpose and language.
func (d *ShopData) MessageTemplates(ctx context.Context) ([]MessageTemplate, error) {
	var out []MessageTemplate
	return out, d.s.r.WithContext(ctx).Where("shop_id = ?", d.shopID).Order("page_id, purpose, language").Find(&out).Error
}

// PageTemplates are the templates of one of a shop's Pages (for the worker).
func (s *Store) PageTemplates(ctx context.Context, shopID int64, pageID string) ([]MessageTemplate, error) {
	var out []MessageTemplate
	return out, s.r.WithContext(ctx).Where("shop_id = ? AND page_id = ?", shopID, pageID).Order("purpose, language").Find(&out).Error
}

// UsableTemplate is the approved template of a purpose and language on the shop's Page, or nil.
func (s *Store) UsableTemplate(ctx context.Context, shopID int64, pageID, purpose, language string) (*MessageTemplate, error) {
	var rows []MessageTemplate
	err := s.r.WithContext(ctx).Where("shop_id = ? AND page_id = ? AND purpose = ? AND language = ? AND status = 'APPROVED'",
		shopID, pageID, purpose, language).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}

// SaveTemplate records a template and Meta's word on it; a request Meta refused (no id) keeps the
// id of the template it had.
func (s *Store) SaveTemplate(ctx context.Context, t *MessageTemplate) error {
	now := s.nowUTC()
	t.CreatedAt, t.UpdatedAt = now, now
	columns := []string{"name", "status", "reason", "updated_at"}
	if t.TemplateID != "" {
		columns = append(columns, "template_id")
	}
	return s.w.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shop_id"}, {Name: "page_id"}, {Name: "purpose"}, {Name: "language"}},
		DoUpdates: clause.AssignmentColumns(columns),
	}).Create(t).Error
}

// PageRef names one of a shop's Pages.
type PageRef struct {
	ShopID int64
	PageID string
}

// PagesWithoutTemplates are the connected Pages that have no utility templates yet.
func (s *Store) PagesWithoutTemplates(ctx context.Context) ([]PageRef, error) {
	var out []PageRef
	return out, s.r.WithContext(ctx).Model(&MessengerPage{}).Select("shop_id, page_id").Where("status = ?", PageConnected).
		Where("NOT EXISTS (SELECT 1 FROM message_templates t WHERE t.shop_id = messenger_pages.shop_id AND t.page_id = messenger_pages.page_id)").
		Scan(&out).Error
}

// SetTemplateStatus records a template's status from Meta's webhook; it reports whether the
// template is one of the shop's.
func (tx *Tx) SetTemplateStatus(shopID int64, pageID, templateID, status, reason string) (bool, error) {
	res := tx.db.Model(&MessageTemplate{}).Where("shop_id = ? AND page_id = ? AND template_id = ? AND template_id <> ''", shopID, pageID, templateID).
		Updates(map[string]any{"status": status, "reason": reason, "updated_at": tx.now()})
	return res.RowsAffected > 0, res.Error
}
