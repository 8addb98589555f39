package sandboxdb

import (
	"context"
	"time"
)

// Template is a Page-owned utility message template of the Messenger emulator.
type Template struct {
	ID             string `gorm:"primaryKey"`
	PageID         string
	Name           string
	Language       string
	Status         string // PENDING, APPROVED, REJECTED, PAUSED
	RejectedReason string
	Components     string // as created, JSON
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (Template) TableName() string { return "sandbox_message_templates" }

// CreateTemplate stores a new template; a Page's (name, language) is taken once (ErrConflict).
func (d *DB) CreateTemplate(ctx context.Context, t *Template) error {
	t.CreatedAt, t.UpdatedAt = d.nowUTC(), d.nowUTC()
	return translate(d.w.WithContext(ctx).Create(t).Error)
}

// Templates are a Page's templates, by name when name is not empty, oldest first.
func (d *DB) Templates(ctx context.Context, pageID, name string) ([]Template, error) {
	q := d.r.WithContext(ctx).Where("page_id = ?", pageID)
	if name != "" {
		q = q.Where("name = ?", name)
	}
	var out []Template
	return out, q.Order("created_at, id").Find(&out).Error
}

// SetTemplateStatus changes a template's review status, if it is one of from (any when empty);
// it reports whether it changed.
func (d *DB) SetTemplateStatus(ctx context.Context, id string, from []string, status, reason string) (bool, error) {
	q := d.w.WithContext(ctx).Model(&Template{}).Where("id = ?", id)
	if len(from) > 0 {
		q = q.Where("status IN ?", from)
	}
	res := q.Updates(map[string]any{"status": status, "rejected_reason": reason, "updated_at": d.nowUTC()})
	return res.RowsAffected == 1, res.Error
}

// DeleteTemplates deletes a Page's templates of a name (every language), or the one of id.
func (d *DB) DeleteTemplates(ctx context.Context, pageID, name, id string) error {
	q := d.w.WithContext(ctx).Where("page_id = ? AND name = ?", pageID, name)
	if id != "" {
		q = q.Where("id = ?", id)
	}
	return q.Delete(&Template{}).Error
}
