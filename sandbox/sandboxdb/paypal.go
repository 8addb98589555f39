package sandboxdb

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Order is an order of the PayPal emulator: Body is the order as GET returns it (links aside).
type Order struct {
	ID         string `gorm:"primaryKey"`
	Status     string
	MerchantID string
	Body       string
	ReturnURL  string `gorm:"column:return_url"`
	CancelURL  string `gorm:"column:cancel_url"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (Order) TableName() string { return "sandbox_paypal_orders" }

// sandboxRequest is a remembered answer to a request with a PayPal-Request-Id.
type sandboxRequest struct {
	Endpoint  string `gorm:"primaryKey"`
	RequestID string `gorm:"primaryKey"`
	Status    int
	Response  string
	CreatedAt time.Time
}

func (sandboxRequest) TableName() string { return "sandbox_paypal_requests" }

// CreateSandboxOrder stores a new emulator order.
func (d *DB) CreateSandboxOrder(ctx context.Context, o *Order) error {
	o.CreatedAt, o.UpdatedAt = d.nowUTC(), d.nowUTC()
	return translate(d.w.WithContext(ctx).Create(o).Error)
}

// SandboxOrderByID loads an emulator order.
func (d *DB) SandboxOrderByID(ctx context.Context, id string) (*Order, error) {
	var o Order
	err := d.r.WithContext(ctx).Where("id = ?", id).Take(&o).Error
	return &o, translate(err)
}

// MoveSandboxOrder changes an order's status and body only if its status is one of from: the
// emulator's compare-and-set, so two captures of one order cannot both succeed.
func (d *DB) MoveSandboxOrder(ctx context.Context, id string, from []string, status, body string) (bool, error) {
	return moveSandboxOrder(d.w.WithContext(ctx), id, from, status, body, d.nowUTC())
}

func moveSandboxOrder(db *gorm.DB, id string, from []string, status, body string, now time.Time) (bool, error) {
	res := db.Model(&Order{}).Where("id = ? AND status IN ?", id, from).
		Updates(map[string]any{"status": status, "body": body, "updated_at": now})
	return res.RowsAffected == 1, res.Error
}

// SandboxRequest returns the remembered answer to (endpoint, request id), if any. A reader is
// enough: two requests with one id at once are kept apart by the compare-and-set of what they change.
func (d *DB) SandboxRequest(ctx context.Context, endpoint, requestID string) (status int, response string, found bool, err error) {
	var r sandboxRequest
	err = d.r.WithContext(ctx).Where("endpoint = ? AND request_id = ?", endpoint, requestID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, "", false, nil
	}
	return r.Status, r.Response, err == nil, err
}

// RememberSandboxRequest keeps the answer to (endpoint, request id); the first answer stays.
func (d *DB) RememberSandboxRequest(ctx context.Context, endpoint, requestID string, status int, response string) error {
	return rememberSandboxAnswer(d.w.WithContext(ctx), Answer{endpoint, requestID, status, response}, d.nowUTC())
}

func rememberSandboxAnswer(db *gorm.DB, a Answer, now time.Time) error {
	r := sandboxRequest{Endpoint: a.Endpoint, RequestID: a.RequestID, Status: a.Status, Response: a.Response, CreatedAt: now}
	return db.Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error
}

// Capture is a capture of the PayPal emulator; Body is the capture as GET returns it.
type Capture struct {
	ID            string `gorm:"primaryKey"`
	OrderID       string
	MerchantID    string
	Status        string
	Currency      string
	AmountMinor   int64
	RefundedMinor int64
	Body          string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (Capture) TableName() string { return "sandbox_paypal_captures" }

// Answer is the emulator's answer to a request with a PayPal-Request-Id, kept so that the
// request sent again gets it again.
type Answer struct {
	Endpoint, RequestID string
	Status              int
	Response            string
}

// Captured is what the emulator keeps of an order it captured: the order's new status and
// body, the capture, and the answer to the request that paid it (nil without a PayPal-Request-Id).
// From names the statuses the order may be captured from; none means the order is new (paid at
// once with a vaulted wallet).
type Captured struct {
	Order   *Order
	From    []string
	Capture *Capture
	Answer  *Answer
}

// RecordSandboxCapture writes a capture in one transaction, one turn of the writer that the app
// under test shares: false, with nothing written, when the order had left the From statuses (it
// was captured meanwhile).
func (d *DB) RecordSandboxCapture(ctx context.Context, p Captured) (bool, error) {
	var paid bool
	err := d.transaction(ctx, func(tx *gorm.DB) error {
		now := d.nowUTC()
		paid = true
		if len(p.From) == 0 {
			p.Order.CreatedAt, p.Order.UpdatedAt = now, now
			if err := tx.Create(p.Order).Error; err != nil {
				return translate(err)
			}
		} else if moved, err := moveSandboxOrder(tx, p.Order.ID, p.From, p.Order.Status, p.Order.Body, now); err != nil || !moved {
			paid = false
			return err
		}
		p.Capture.CreatedAt, p.Capture.UpdatedAt = now, now
		if err := tx.Create(p.Capture).Error; err != nil {
			return translate(err)
		}
		if p.Answer == nil {
			return nil
		}
		return rememberSandboxAnswer(tx, *p.Answer, now)
	})
	return paid && err == nil, err
}

// SandboxCaptureByID loads a capture.
func (d *DB) SandboxCaptureByID(ctx context.Context, id string) (*Capture, error) {
	var c Capture
	err := d.w.WithContext(ctx).Where("id = ?", id).Take(&c).Error
	return &c, translate(err)
}

// RefundSandboxCapture adds a refund to a capture if refunded still equals what the caller read
// (compare-and-set), with the capture's new status and body.
func (d *DB) RefundSandboxCapture(ctx context.Context, id string, refundedBefore, refunded int64, status, body string) (bool, error) {
	res := d.w.WithContext(ctx).Model(&Capture{}).Where("id = ? AND refunded_minor = ?", id, refundedBefore).
		Updates(map[string]any{"refunded_minor": refunded, "status": status, "body": body, "updated_at": d.nowUTC()})
	return res.RowsAffected == 1, res.Error
}
