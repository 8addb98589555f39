package models

import (
	"cmp"
	"strconv"
	"strings"
	"time"
)

// SetPayPalOrder records the PayPal order made for an order and how it is paid. The capture's
// webhook may have named the PayPal order first. A shopper who linked PayPal after being offered
// the approval page pays with one tap instead: the vault's PayPal order replaces the unapproved
// one. Any other PayPal order for it is refused.
func (tx *Tx) SetPayPalOrder(o *Order, paypalOrderID, approveURL, paidWith string) error {
	res := tx.db.Model(&Order{}).Where("id = ? AND (paypal_order_id IN ('', ?) OR (paid_with = ? AND ? = ?))",
		o.ID, paypalOrderID, PaidWithApproval, paidWith, PaidWithVault).
		Updates(map[string]any{"paypal_order_id": paypalOrderID, "approve_url": approveURL, "paid_with": paidWith, "updated_at": tx.now()})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	o.PayPalOrderID, o.ApproveURL, o.PaidWith = paypalOrderID, approveURL, paidWith
	return nil
}

// CaptureOutcome is what PayPal says of an order's payment.
type CaptureOutcome struct {
	PayPalOrderID string
	CaptureID     string
	Status        string // COMPLETED, PENDING, DECLINED, DENIED or FAILED
	PayerEmail    string
	// ShipTo is the address the buyer chose on PayPal; empty when PayPal gave none.
	ShipTo ShippingAddress
}

// ApplyCapture moves one of the shop's orders on by its capture: COMPLETED pays it, PENDING waits
// for PayPal's review, and a refusal gives its stock back. It reports whether the order's status
// changed, so the shopper is told once however often PayPal says it. An order paid after it
// expired takes its stock again: the money is in, so the goods are owed.
func (tx *Tx) ApplyCapture(shopID, orderID int64, c CaptureOutcome) (o *Order, changed bool, err error) {
	o, err = tx.OrderOf(shopID, orderID)
	if err != nil {
		return nil, false, err
	}
	if o.PayPalOrderID != "" && c.PayPalOrderID != "" && o.PayPalOrderID != c.PayPalOrderID {
		return nil, false, ErrNotFound // a capture of another PayPal order never pays this one
	}
	if c.PayerEmail != "" && o.PayerEmail == "" { // the capture's webhook may have paid it, without naming the payer
		o.PayerEmail = c.PayerEmail
		if err := tx.db.Model(&Order{}).Where("id = ?", o.ID).Update("payer_email", o.PayerEmail).Error; err != nil {
			return nil, false, err
		}
	}
	if !c.ShipTo.Empty() && o.ShipTo.Empty() { // nor where it goes: the order's read from PayPal says
		o.ShipTo = c.ShipTo
		if err := tx.db.Model(&Order{}).Where("id = ?", o.ID).Updates(o.ShipTo.columns()).Error; err != nil {
			return nil, false, err
		}
	}
	to, stock, moves := captureTransition(o.Status, c.Status)
	if !moves {
		return o, false, nil
	}
	switch stock {
	case stockTaken:
		err = tx.takeStock(o)
	case stockReleased:
		err = tx.releaseStock(o)
	}
	if err != nil {
		return nil, false, err
	}
	o.Status = to
	if to == OrderPaid {
		now := tx.now()
		o.PaidAt = &now
	}
	o.CaptureID = c.CaptureID
	if o.PayPalOrderID == "" {
		o.PayPalOrderID = c.PayPalOrderID
	}
	o.UpdatedAt = tx.now()
	err = tx.db.Model(&Order{}).Where("id = ?", o.ID).Updates(map[string]any{"status": o.Status, "paid_at": o.PaidAt,
		"capture_id": o.CaptureID, "paypal_order_id": o.PayPalOrderID, "payer_email": o.PayerEmail, "updated_at": o.UpdatedAt}).Error
	if err == nil && o.Status == OrderPaid {
		err = tx.countSale(o)
	}
	return o, err == nil, err
}

// stockMove is what an order's change of status does to the stock its lines hold.
type stockMove int

const (
	stockKept     stockMove = iota
	stockTaken              // an order that had given its stock back is paid after all
	stockReleased           // a refused payment gives the stock back
)

// captureTransition is where a capture's status takes an order in status from: COMPLETED pays
// it (taking its stock again if it had ended unpaid), PENDING waits for PayPal's review, and a
// refusal ends it and releases its stock. moves is false when the order stays as it is: paid
// already, a PENDING or refusal that comes after the payment, or a status PayPal added later.
func captureTransition(from, capture string) (to string, stock stockMove, moves bool) {
	switch capture {
	case "COMPLETED":
		switch from {
		case OrderPaid:
			return from, stockKept, false
		case OrderExpired, OrderCancelled, OrderPaymentDenied:
			return OrderPaid, stockTaken, true
		}
		return OrderPaid, stockKept, true
	case "PENDING":
		if from != OrderPending {
			return from, stockKept, false
		}
		return OrderPaymentPending, stockKept, true
	case "DECLINED", "DENIED", "FAILED":
		if from != OrderPending && from != OrderPaymentPending {
			return from, stockKept, false
		}
		return OrderPaymentDenied, stockReleased, true
	}
	return from, stockKept, false
}

// CancelOrder calls off a shopper's unpaid order and gives its stock back; false when it is no
// longer pending (paid, or expired meanwhile).
func (tx *Tx) CancelOrder(shopID, orderID int64) (*Order, bool, error) {
	return tx.endUnpaid(shopID, orderID, OrderCancelled)
}

// DueOrders lists up to limit unpaid orders whose hold ended before now.
func (s *Store) DueOrders(now time.Time, limit int) ([]Order, error) {
	var os []Order
	err := s.r.Where("status = ? AND expires_at < ?", OrderPending, now.UTC()).Order("expires_at").Limit(limit).Find(&os).Error
	return os, err
}

// ExpireOrder ends an unpaid order whose hold is over and gives its stock back; false when it was
// paid or ended meanwhile.
func (tx *Tx) ExpireOrder(shopID, orderID int64) (*Order, bool, error) {
	return tx.endUnpaid(shopID, orderID, OrderExpired)
}

func (tx *Tx) endUnpaid(shopID, orderID int64, status string) (*Order, bool, error) {
	o, err := tx.OrderOf(shopID, orderID)
	if err != nil {
		return nil, false, err
	}
	res := tx.db.Model(&Order{}).Where("id = ? AND status = ?", o.ID, OrderPending).
		Updates(map[string]any{"status": status, "updated_at": tx.now()})
	if res.Error != nil || res.RowsAffected == 0 {
		return o, false, res.Error
	}
	o.Status = status
	return o, true, tx.releaseStock(o)
}

// OrderRef is what a PayPal event knows of our order: its custom_id (our order id), the PayPal
// order, or the capture.
type OrderRef struct {
	CustomID      string
	PayPalOrderID string
	CaptureID     string
}

// FindOrder finds the shop's order a PayPal event is about; ErrNotFound when it is none of ours
// (a payment taken outside Messenger).
func (tx *Tx) FindOrder(shopID int64, ref OrderRef) (*Order, error) {
	if idText, ok := strings.CutPrefix(ref.CustomID, "chatshop-"); ok {
		if id, err := strconv.ParseInt(idText, 10, 64); err == nil {
			return tx.OrderOf(shopID, id)
		}
	}
	q := tx.db.Where("shop_id = ?", shopID)
	switch {
	case ref.PayPalOrderID != "":
		q = q.Where("paypal_order_id = ?", ref.PayPalOrderID)
	case ref.CaptureID != "":
		q = q.Where("capture_id = ?", ref.CaptureID)
	default:
		return nil, ErrNotFound
	}
	var ids []int64
	if err := q.Model(&Order{}).Limit(1).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
		return nil, cmp.Or(err, ErrNotFound)
	}
	return tx.OrderOf(shopID, ids[0])
}

// PendingOrderOf is the shopper's latest order waiting for payment, if any.
func (tx *Tx) PendingOrderOf(sh *Shopper) (*Order, error) {
	var ids []int64
	err := tx.db.Model(&Order{}).Where("shopper_id = ? AND shop_id = ? AND status = ?", sh.ID, sh.ShopID, OrderPending).
		Order("id DESC").Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return nil, cmp.Or(err, ErrNotFound)
	}
	return tx.OrderOf(sh.ShopID, ids[0])
}

// ShopperOf reads a shopper in the transaction.
func (tx *Tx) ShopperOf(id int64) (*Shopper, error) {
	var sh Shopper
	if err := tx.db.Take(&sh, id).Error; err != nil {
		return nil, translate(err)
	}
	return &sh, nil
}
