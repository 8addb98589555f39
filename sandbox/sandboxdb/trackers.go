package sandboxdb

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// Tracker is a shipment's tracker on an emulator order: Body is the tracker as the order shows it.
type Tracker struct {
	OrderID   string `gorm:"primaryKey"`
	ID        string `gorm:"primaryKey"`
	Status    string
	Body      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (Tracker) TableName() string { return "sandbox_paypal_trackers" }

// AddTracker stores a tracker unless the order has one of that id; it reports whether it is new.
func (d *DB) AddTracker(ctx context.Context, t *Tracker) (bool, error) {
	t.CreatedAt, t.UpdatedAt = d.nowUTC(), d.nowUTC()
	res := d.w.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(t)
	return res.RowsAffected == 1, translate(res.Error)
}

// Trackers are an order's trackers, oldest first.
func (d *DB) Trackers(ctx context.Context, orderID string) ([]Tracker, error) {
	var out []Tracker
	err := d.r.WithContext(ctx).Where("order_id = ?", orderID).Order("created_at, id").Find(&out).Error
	return out, err
}

// UpdateTracker replaces a tracker's status and body; it reports whether the order has it.
func (d *DB) UpdateTracker(ctx context.Context, orderID, id, status, body string) (bool, error) {
	res := d.w.WithContext(ctx).Model(&Tracker{}).Where("order_id = ? AND id = ?", orderID, id).
		Updates(map[string]any{"status": status, "body": body, "updated_at": d.nowUTC()})
	return res.RowsAffected == 1, res.Error
}
