package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SandboxOrder is an order of the PayPal emulator: Body is the order as GET returns it (links aside).
type SandboxOrder struct {
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
func (SandboxOrder) TableName() string { return "sandbox_paypal_orders" }

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
func (s *Store) CreateSandboxOrder(ctx context.Context, o *SandboxOrder) error {
	o.CreatedAt, o.UpdatedAt = s.nowUTC(), s.nowUTC()
	return translate(s.w.WithContext(ctx).Create(o).Error)
}

// SandboxOrderByID loads an emulator order.
func (s *Store) SandboxOrderByID(ctx context.Context, id string) (*SandboxOrder, error) {
	var o SandboxOrder
	err := s.r.WithContext(ctx).Where("id = ?", id).Take(&o).Error
	return &o, translate(err)
}

// MoveSandboxOrder changes an order's status and body only if its status is one of from: the
// emulator's compare-and-set, so two captures of one order cannot both succeed.
func (s *Store) MoveSandboxOrder(ctx context.Context, id string, from []string, status, body string) (bool, error) {
	return moveSandboxOrder(s.w.WithContext(ctx), id, from, status, body, s.nowUTC())
}

func moveSandboxOrder(db *gorm.DB, id string, from []string, status, body string, now time.Time) (bool, error) {
	res := db.Model(&SandboxOrder{}).Where("id = ? AND status IN ?", id, from).
		Updates(map[string]any{"status": status, "body": body, "updated_at": now})
	return res.RowsAffected == 1, res.Error
}

// SandboxRequest returns the remembered answer to (endpoint, request id), if any. A reader is
// enough: two requests with one id at once are kept apart by the compare-and-set of what they change.
func (s *Store) SandboxRequest(ctx context.Context, endpoint, requestID string) (status int, response string, found bool, err error) {
	var r sandboxRequest
	err = s.r.WithContext(ctx).Where("endpoint = ? AND request_id = ?", endpoint, requestID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, "", false, nil
	}
	return r.Status, r.Response, err == nil, err
}

// RememberSandboxRequest keeps the answer to (endpoint, request id); the first answer stays.
func (s *Store) RememberSandboxRequest(ctx context.Context, endpoint, requestID string, status int, response string) error {
	return rememberSandboxAnswer(s.w.WithContext(ctx), SandboxAnswer{endpoint, requestID, status, response}, s.nowUTC())
}

func rememberSandboxAnswer(db *gorm.DB, a SandboxAnswer, now time.Time) error {
	r := sandboxRequest{Endpoint: a.Endpoint, RequestID: a.RequestID, Status: a.Status, Response: a.Response, CreatedAt: now}
	return db.Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error
}

// SandboxCapture is a capture of the PayPal emulator; Body is the capture as GET returns it.
type SandboxCapture struct {
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
func (SandboxCapture) TableName() string { return "sandbox_paypal_captures" }

// SandboxAnswer is the emulator's answer to a request with a PayPal-Request-Id, kept so that the
// request sent again gets it again.
type SandboxAnswer struct {
	Endpoint, RequestID string
	Status              int
	Response            string
}

// SandboxCaptured is what the emulator keeps of an order it captured: the order's new status and
// body, the capture, and the answer to the request that paid it (nil without a PayPal-Request-Id).
// From names the statuses the order may be captured from; none means the order is new (paid at
// once with a vaulted wallet).
type SandboxCaptured struct {
	Order   *SandboxOrder
	From    []string
	Capture *SandboxCapture
	Answer  *SandboxAnswer
}

// RecordSandboxCapture writes a capture in one transaction, one turn of the writer that the app
// under test shares: false, with nothing written, when the order had left the From statuses (it
// was captured meanwhile).
func (s *Store) RecordSandboxCapture(ctx context.Context, p SandboxCaptured) (bool, error) {
	var paid bool
	err := s.Transaction(ctx, func(tx *Tx) error {
		now := s.nowUTC()
		paid = true
		if len(p.From) == 0 {
			p.Order.CreatedAt, p.Order.UpdatedAt = now, now
			if err := tx.db.Create(p.Order).Error; err != nil {
				return translate(err)
			}
		} else if moved, err := moveSandboxOrder(tx.db, p.Order.ID, p.From, p.Order.Status, p.Order.Body, now); err != nil || !moved {
			paid = false
			return err
		}
		p.Capture.CreatedAt, p.Capture.UpdatedAt = now, now
		if err := tx.db.Create(p.Capture).Error; err != nil {
			return translate(err)
		}
		if p.Answer == nil {
			return nil
		}
		return rememberSandboxAnswer(tx.db, *p.Answer, now)
	})
	return paid && err == nil, err
}

// SandboxCaptureByID loads a capture.
func (s *Store) SandboxCaptureByID(ctx context.Context, id string) (*SandboxCapture, error) {
	var c SandboxCapture
	err := s.w.WithContext(ctx).Where("id = ?", id).Take(&c).Error
	return &c, translate(err)
}

// RefundSandboxCapture adds a refund to a capture if refunded still equals what the caller read
// (compare-and-set), with the capture's new status and body.
func (s *Store) RefundSandboxCapture(ctx context.Context, id string, refundedBefore, refunded int64, status, body string) (bool, error) {
	res := s.w.WithContext(ctx).Model(&SandboxCapture{}).Where("id = ? AND refunded_minor = ?", id, refundedBefore).
		Updates(map[string]any{"refunded_minor": refunded, "status": status, "body": body, "updated_at": s.nowUTC()})
	return res.RowsAffected == 1, res.Error
}
