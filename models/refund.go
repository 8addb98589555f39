package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/chatshop/chatshop/money"
)

// RefundRequest is a refund asked for in chatshop, carried out by the worker through PayPal.
type RefundRequest struct {
	ID             int64
	ShopID         int64
	CaptureID      string
	MerchantID     string `gorm:"column:merchant_id"`
	AmountMinor    int64
	Currency       string
	Reason         string
	RequestID      string // the PayPal-Request-Id of every attempt
	Status         string // requested, completed, pending (PayPal will finish it), failed
	PayPalRefundID string `gorm:"column:paypal_refund_id"`
	Attempts       int
	Error          string
	RequestedBy    *int64
	CreatedAt      time.Time
	CompletedAt    *time.Time
}

// ErrRefundTooLarge means the refund is more than what is left of the payment.
var ErrRefundTooLarge = errors.New("the refund is larger than what is left to refund")

// RequestRefund asks for a refund of one of the shop's captured payments and enqueues its PayPal
// call in the same transaction. Refunds already asked for count against what is left.
func (d *ShopData) RequestRefund(ctx context.Context, captureID string, amountMinor int64, reason string, by Actor,
	enqueue func(ctx context.Context, tx *Tx, refundID int64) error) (*RefundRequest, error) {
	if amountMinor <= 0 {
		return nil, ErrRefundTooLarge
	}
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	var r RefundRequest
	err := d.s.Transaction(ctx, func(tx *Tx) error {
		var p Payment
		if err := tx.db.Where("shop_id = ? AND capture_id = ?", d.shopID, captureID).Take(&p).Error; err != nil {
			return translate(err)
		}
		var merchant PayPalAccount
		if err := tx.db.Where("shop_id = ? AND status <> ?", d.shopID, PayPalDisconnected).Order("id DESC").Take(&merchant).Error; err != nil {
			return translate(err)
		}
		var asked int64
		if err := tx.db.Model(&RefundRequest{}).Where("capture_id = ? AND status IN ?", captureID, []string{"requested", "pending"}).
			Select("coalesce(sum(amount_minor), 0)").Scan(&asked).Error; err != nil {
			return err
		}
		if amountMinor > p.AmountMinor-p.RefundedMinor-asked {
			return ErrRefundTooLarge
		}
		r = RefundRequest{ShopID: d.shopID, CaptureID: captureID, MerchantID: merchant.MerchantID, AmountMinor: amountMinor,
			Currency: p.Currency, Reason: reason, RequestID: "chatshop-refund-" + hex.EncodeToString(raw), Status: "requested", CreatedAt: tx.now()}
		if by.UserID != 0 {
			r.RequestedBy = &by.UserID
		}
		if err := tx.db.Create(&r).Error; err != nil {
			return err
		}
		detail := fmt.Sprintf("%s of capture %s", money.Money{Minor: amountMinor, Currency: p.Currency}, captureID)
		if err := tx.audit(d.shopID, by, AuditRefundRequested, captureID, detail, tx.now()); err != nil {
			return err
		}
		return enqueue(ctx, tx, r.ID)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// RefundRequestByID loads a refund request for the worker.
func (s *Store) RefundRequestByID(ctx context.Context, id int64) (*RefundRequest, error) {
	var r RefundRequest
	if err := s.r.WithContext(ctx).Take(&r, id).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}

// RefundDone records PayPal's answer: completed, or pending (PayPal's webhook will finish it).
func (s *Store) RefundDone(ctx context.Context, id int64, attempt int, paypalRefundID, status string) error {
	st := "completed"
	if status != "COMPLETED" {
		st = "pending"
	}
	return s.updateRefund(ctx, id, map[string]any{"status": st, "paypal_refund_id": paypalRefundID, "attempts": attempt, "error": "", "completed_at": s.nowUTC()})
}

// RefundAttemptFailed records a failed attempt that will be retried with the same request id.
func (s *Store) RefundAttemptFailed(ctx context.Context, id int64, attempt int, why string) error {
	return s.updateRefund(ctx, id, map[string]any{"attempts": attempt, "error": why})
}

// RefundFailed records that PayPal refused the refund.
func (s *Store) RefundFailed(ctx context.Context, id int64, attempt int, why string) error {
	return s.updateRefund(ctx, id, map[string]any{"status": "failed", "attempts": attempt, "error": why})
}

func (s *Store) updateRefund(ctx context.Context, id int64, changes map[string]any) error {
	return s.w.WithContext(ctx).Model(&RefundRequest{}).Where("id = ? AND status = 'requested'", id).Updates(changes).Error
}
