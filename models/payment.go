package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/chatshop/chatshop/live"
)

// Payment is a PayPal capture of a shop.
type Payment struct {
	ID            int64
	ShopID        int64
	CaptureID     string
	PayPalOrderID string `gorm:"column:paypal_order_id"`
	CaptureStatus string
	AmountMinor   int64
	RefundedMinor int64
	Reversed      bool
	Currency      string
	Status        string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// paymentKindTitles are the payment feed's kinds as the dashboard names them, in the feed and
// in an order's timeline alike (docs/glossary.md).
var paymentKindTitles = map[string]string{
	"captured": "Payment received",
	"pending":  "Payment pending",
	"denied":   "Payment denied",
	"refunded": "Refund sent",
	"reversed": "Payment reversed",
	"dispute":  "Dispute",
}

// PaymentKindTitle names a payment notification's kind for people; an unknown kind as it is.
func PaymentKindTitle(kind string) string {
	if t, ok := paymentKindTitles[kind]; ok {
		return t
	}
	return kind
}

// PaymentNotification is one entry of a shop's payment feed.
type PaymentNotification struct {
	ID          int64
	ShopID      int64
	EventID     int64
	Kind        string // captured, pending, denied, refunded, reversed, dispute (PaymentKindTitle)
	CaptureID   string
	AmountMinor int64
	Currency    string
	DisputeID   *int64 // a dispute's notification: the dispute
	Detail      string // a dispute's notification: what happened
	CreatedAt   time.Time
}

type paymentRefund struct {
	RefundID    string `gorm:"primaryKey"`
	PaymentID   int64
	AmountMinor int64
	Kind        string
}

// PaymentChange is what one provider event says about a capture, in our units.
type PaymentChange struct {
	CaptureID     string
	PayPalOrderID string
	// CaptureStatus is COMPLETED, PENDING, DECLINED or DENIED for capture events; empty for refunds.
	CaptureStatus string
	AmountMinor   int64 // the capture's amount, or the refund's
	Currency      string
	RefundID      string // set for refunds and reversals
	Reversal      bool
}

// captureRank orders capture statuses: a later status never goes back to an earlier one.
var captureRank = map[string]int{"": 0, "PENDING": 1, "COMPLETED": 2, "DECLINED": 3, "DENIED": 3, "FAILED": 3}

func (p *Payment) deriveStatus() {
	switch {
	case p.Reversed:
		p.Status = "REVERSED"
	case p.RefundedMinor > 0 && p.AmountMinor > 0 && p.RefundedMinor >= p.AmountMinor:
		p.Status = "REFUNDED"
	case p.RefundedMinor > 0:
		p.Status = "PARTIALLY_REFUNDED"
	case p.CaptureStatus != "":
		p.Status = p.CaptureStatus
	default:
		p.Status = "UNKNOWN"
	}
}

// ApplyPaymentChange records what a processed event says about a capture, and the shop's payment
// notification for it, in the event's transaction. Applying the same event twice changes nothing;
// applying a shop's events in any order ends in the same payment.
func (tx *Tx) ApplyPaymentChange(shopID, eventID int64, c PaymentChange, kind string) error {
	at := tx.now()
	p := Payment{ShopID: shopID, CaptureID: c.CaptureID, CreatedAt: at, UpdatedAt: at, Status: "UNKNOWN"}
	if err := tx.db.Clauses(clause.OnConflict{DoNothing: true}).Create(&p).Error; err != nil {
		return err
	}
	if err := tx.db.Where("capture_id = ?", c.CaptureID).Take(&p).Error; err != nil {
		return translate(err)
	}
	if p.ShopID != shopID {
		return ErrNotFound // a capture id of another shop: never cross it
	}
	if c.PayPalOrderID != "" {
		p.PayPalOrderID = c.PayPalOrderID
	}
	if c.Currency != "" {
		p.Currency = c.Currency
	}
	if c.RefundID == "" {
		if captureRank[c.CaptureStatus] > captureRank[p.CaptureStatus] {
			p.CaptureStatus = c.CaptureStatus
		}
		if c.AmountMinor > p.AmountMinor {
			p.AmountMinor = c.AmountMinor
		}
	} else {
		kindOf := "refund"
		if c.Reversal {
			kindOf = "reversal"
		}
		r := paymentRefund{RefundID: c.RefundID, PaymentID: p.ID, AmountMinor: c.AmountMinor, Kind: kindOf}
		res := tx.db.Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			if c.Reversal {
				p.Reversed = true
			} else {
				p.RefundedMinor += c.AmountMinor
			}
		}
	}
	p.deriveStatus()
	p.UpdatedAt = at
	if err := tx.db.Save(&p).Error; err != nil {
		return err
	}
	n := PaymentNotification{ShopID: shopID, EventID: eventID, Kind: kind, CaptureID: c.CaptureID,
		AmountMinor: c.AmountMinor, Currency: c.Currency, CreatedAt: at}
	res := tx.db.Clauses(clause.OnConflict{DoNothing: true}).Create(&n)
	if res.RowsAffected == 1 {
		tx.changed(shopID, live.Notification)
	}
	return res.Error
}

// PaymentByCapture finds one of the shop's payments.
func (d *ShopData) PaymentByCapture(ctx context.Context, captureID string) (*Payment, error) {
	var p Payment
	if err := d.s.r.WithContext(ctx).Where("shop_id = ? AND capture_id = ?", d.shopID, captureID).Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// PaymentNotifications lists the shop's payment feed, newest first.
func (d *ShopData) PaymentNotifications(ctx context.Context, before int64, limit int) ([]PaymentNotification, error) {
	items, _, err := d.NotificationFeed(ctx, "", before, limit)
	ns := make([]PaymentNotification, len(items))
	for i, it := range items {
		ns[i] = it.PaymentNotification
	}
	return ns, err
}
