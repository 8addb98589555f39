package sandboxdb

import (
	"context"
	"time"
)

// Dispute is a dispute of the PayPal emulator; Body is the dispute as GET returns it
// (links aside), Status and Stage are copies of its status and dispute_life_cycle_stage.
type Dispute struct {
	ID         string `gorm:"primaryKey"`
	CaptureID  string
	MerchantID string
	Status     string
	Stage      string
	Body       string
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (Dispute) TableName() string { return "sandbox_paypal_disputes" }

// CreateSandboxDispute stores a new dispute.
func (db *DB) CreateSandboxDispute(ctx context.Context, d *Dispute) error {
	d.CreatedAt, d.UpdatedAt, d.Version = db.nowUTC(), db.nowUTC(), 1
	return translate(db.w.WithContext(ctx).Create(d).Error)
}

// SandboxDisputeByID loads a dispute.
func (db *DB) SandboxDisputeByID(ctx context.Context, id string) (*Dispute, error) {
	var d Dispute
	err := db.w.WithContext(ctx).Where("id = ?", id).Take(&d).Error
	return &d, translate(err)
}

// SandboxDisputes lists a merchant's disputes, newest first, optionally of one capture.
func (db *DB) SandboxDisputes(ctx context.Context, merchantID, captureID string, limit int) ([]Dispute, error) {
	q := db.w.WithContext(ctx).Where("merchant_id = ?", merchantID)
	if captureID != "" {
		q = q.Where("capture_id = ?", captureID)
	}
	var ds []Dispute
	err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&ds).Error
	return ds, err
}

// UpdateSandboxDispute saves a dispute's new state if it is still at the version the caller read
// (compare-and-set, so two actions cannot both apply to one state).
func (db *DB) UpdateSandboxDispute(ctx context.Context, d *Dispute) (bool, error) {
	res := db.w.WithContext(ctx).Model(&Dispute{}).Where("id = ? AND version = ?", d.ID, d.Version).
		Updates(map[string]any{"status": d.Status, "stage": d.Stage, "body": d.Body, "version": d.Version + 1, "updated_at": db.nowUTC()})
	if res.RowsAffected == 1 {
		d.Version++
	}
	return res.RowsAffected == 1, res.Error
}

// Payment is a capture as the buyer sees it in PayPal's Resolution Center, with its latest
// dispute, if any.
type Payment struct {
	CaptureID     string
	MerchantID    string
	Status        string
	Currency      string
	AmountMinor   int64
	CreatedAt     time.Time
	DisputeID     string
	DisputeStatus string
}

// SandboxPayments lists the emulator's latest captures, newest first, with their latest dispute.
func (db *DB) SandboxPayments(ctx context.Context, limit int) ([]Payment, error) {
	var ps []Payment
	err := db.r.WithContext(ctx).Raw(`SELECT c.id AS capture_id, c.merchant_id, c.status, c.currency, c.amount_minor, c.created_at,
		COALESCE(d.id, '') AS dispute_id, COALESCE(d.status, '') AS dispute_status
		FROM sandbox_paypal_captures c
		LEFT JOIN sandbox_paypal_disputes d ON d.id = (SELECT id FROM sandbox_paypal_disputes WHERE capture_id = c.id ORDER BY created_at DESC LIMIT 1)
		ORDER BY c.created_at DESC, c.id DESC LIMIT ?`, limit).Scan(&ps).Error
	return ps, err
}
