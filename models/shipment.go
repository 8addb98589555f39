package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// An order's fulfilment: how much of it has shipped.
const (
	FulfilmentNone      = ""               // nothing shipped yet
	FulfilmentPartly    = "partly_shipped" // some items shipped, some not
	FulfilmentShipped   = "shipped"        // every item shipped
	FulfilmentDelivered = "delivered"      // every item shipped, and every parcel marked delivered
)

// Shipment statuses.
const (
	ShipmentShipped   = "shipped"
	ShipmentDelivered = "delivered"
	ShipmentCancelled = "cancelled"
)

// Where PayPal stands on a shipment's tracker.
const (
	TrackerSending    = "sending"    // the worker is adding it to PayPal's order
	TrackerSent       = "sent"       // PayPal's order carries it
	TrackerRefused    = "refused"    // PayPal refused it (PayPalError says why)
	TrackerCancelling = "cancelling" // the shipment was cancelled; the worker cancels the tracker
	TrackerCancelled  = "cancelled"  // PayPal's tracker is cancelled
	TrackerNone       = ""           // cancelled before PayPal heard of it
)

// How the shopper heard of a shipment.
const (
	ToldNotYet  = ""
	ToldMessage = "message" // a Messenger message inside the 24 hours after the shopper last wrote
	ToldUtility = "utility" // the Page's utility template, after those 24 hours
	ToldNo      = "no"      // not told; ToldWhy says why
)

// Shipment is one parcel of an order: a carrier, a tracking number and the items in it.
type Shipment struct {
	ID             int64
	ShopID         int64
	OrderID        int64
	Carrier        string // PayPal's carrier code, or carrier.Other
	CarrierName    string // the name of an Other carrier
	TrackingNumber string
	Status         string
	MerchantID     string `gorm:"column:merchant_id"`
	RequestID      string // the PayPal-Request-Id of every attempt to add the tracker
	TrackerID      string
	PayPalState    string `gorm:"column:paypal_state"`
	PayPalError    string `gorm:"column:paypal_error"`
	Told           string
	ToldWhy        string
	ToldKey        string // the idempotency key of the message that told the shopper
	CreatedBy      *int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	DeliveredAt    *time.Time
	CancelledAt    *time.Time
	Lines          []ShipmentLine `gorm:"-"`
}

// ShipmentLine is how many of an order line a shipment holds.
type ShipmentLine struct {
	ShipmentID  int64
	OrderLineID int64
	Quantity    int64
}

// NewShipment is a shipment as the retailer records it.
type NewShipment struct {
	Carrier, CarrierName, TrackingNumber string
	// Quantities are how many of each order line (by id) the parcel holds.
	Quantities map[int64]int64
}

// Reasons a shipment is refused.
var (
	ErrNotShippable   = errors.New("only a paid order ships")
	ErrFullyShipped   = errors.New("every item of the order has shipped already")
	ErrOverShipped    = errors.New("the shipment holds more than is left to ship")
	ErrEmptyShipment  = errors.New("a shipment holds at least one item")
	ErrShipmentClosed = errors.New("the shipment was cancelled")
	ErrTrackingUsed   = errors.New("the order has a shipment with this tracking number")
)

// EnqueueFunc queues a worker job for a row, in the transaction that made it.
type EnqueueFunc func(ctx context.Context, tx *Tx, id int64) error

// RecordShipment records a parcel of one of the shop's paid orders and queues its tracker for
// PayPal in the same transaction. Each line ships at most what was ordered, over all shipments
// not cancelled.
func (d *ShopData) RecordShipment(ctx context.Context, orderID int64, ns NewShipment, by Actor, enqueue EnqueueFunc) (*Shipment, error) {
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	var sh Shipment
	err := d.s.Transaction(ctx, func(tx *Tx) error {
		o, err := tx.OrderOf(d.shopID, orderID)
		if err != nil {
			return err
		}
		if o.Status != OrderPaid {
			return ErrNotShippable
		}
		left, err := tx.leftToShip(o)
		if err != nil {
			return err
		}
		if sum(left) == 0 {
			return ErrFullyShipped
		}
		have, err := tx.shipmentsOf(d.shopID, o.ID)
		if err != nil {
			return err
		}
		var lines []ShipmentLine
		for _, l := range o.Lines {
			q := ns.Quantities[l.ID]
			if q < 0 || q > left[l.ID] {
				return ErrOverShipped
			}
			if q > 0 {
				lines = append(lines, ShipmentLine{OrderLineID: l.ID, Quantity: q})
			}
		}
		if len(lines) == 0 {
			return ErrEmptyShipment
		}
		for _, sh := range have {
			if sh.TrackingNumber == ns.TrackingNumber {
				return ErrTrackingUsed // PayPal keeps one tracker per capture and tracking number, cancelled or not
			}
		}
		// The account the shop's checkout pays (none: the track job says PayPal is not connected).
		var merchant string
		if err := tx.db.Model(&PayPalAccount{}).Where("shop_id = ? AND status = ?", d.shopID, PayPalConnected).
			Order("id DESC").Limit(1).Pluck("merchant_id", &merchant).Error; err != nil {
			return err
		}
		now := tx.now()
		sh = Shipment{ShopID: d.shopID, OrderID: o.ID, Carrier: ns.Carrier, CarrierName: ns.CarrierName, TrackingNumber: ns.TrackingNumber,
			Status: ShipmentShipped, MerchantID: merchant, RequestID: "chatshop-track-" + hex.EncodeToString(raw), PayPalState: TrackerSending,
			CreatedBy: by.userID(), CreatedAt: now, UpdatedAt: now}
		if err := tx.db.Create(&sh).Error; err != nil {
			return err
		}
		for i := range lines {
			lines[i].ShipmentID = sh.ID
		}
		if err := tx.db.Create(&lines).Error; err != nil {
			return err
		}
		sh.Lines = lines
		if err := tx.refreshFulfilment(o); err != nil {
			return err
		}
		if err := tx.audit(d.shopID, by, AuditOrderShipped, o.Number(), sh.TrackingNumber, now); err != nil {
			return err
		}
		return enqueue(ctx, tx, sh.ID)
	})
	if err != nil {
		return nil, err
	}
	return &sh, nil
}

// CancelShipment cancels one of the order's shipments (a label voided, a parcel that never
// left): its items are to ship again, and PayPal's tracker is cancelled by the worker's job.
func (d *ShopData) CancelShipment(ctx context.Context, orderID, shipmentID int64, by Actor, enqueue EnqueueFunc) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		sh, o, err := tx.shipmentOf(d.shopID, orderID, shipmentID)
		if err != nil {
			return err
		}
		if sh.Status == ShipmentCancelled {
			return nil // a second submit changes nothing
		}
		now := tx.now()
		changes := map[string]any{"status": ShipmentCancelled, "cancelled_at": now, "updated_at": now}
		untrack := sh.PayPalState == TrackerSending || sh.PayPalState == TrackerSent
		if untrack {
			changes["paypal_state"] = TrackerCancelling
		}
		if err := tx.db.Model(&Shipment{}).Where("id = ?", sh.ID).Updates(changes).Error; err != nil {
			return err
		}
		if err := tx.refreshFulfilment(o); err != nil {
			return err
		}
		if err := tx.audit(d.shopID, by, AuditShipmentCancelled, o.Number(), sh.TrackingNumber, now); err != nil {
			return err
		}
		if !untrack {
			return nil
		}
		return enqueue(ctx, tx, sh.ID)
	})
}

// MarkDelivered records that a shipment reached the shopper.
func (d *ShopData) MarkDelivered(ctx context.Context, orderID, shipmentID int64, by Actor) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		sh, o, err := tx.shipmentOf(d.shopID, orderID, shipmentID)
		if err != nil {
			return err
		}
		switch sh.Status {
		case ShipmentDelivered:
			return nil
		case ShipmentCancelled:
			return ErrShipmentClosed
		}
		now := tx.now()
		if err := tx.db.Model(&Shipment{}).Where("id = ?", sh.ID).
			Updates(map[string]any{"status": ShipmentDelivered, "delivered_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.refreshFulfilment(o); err != nil {
			return err
		}
		return tx.audit(d.shopID, by, AuditShipmentDelivered, o.Number(), sh.TrackingNumber, now)
	})
}

func (tx *Tx) shipmentsOf(shopID, orderID int64) ([]Shipment, error) {
	var out []Shipment
	if err := tx.db.Where("shop_id = ? AND order_id = ?", shopID, orderID).Order("id").Find(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(out))
	at := map[int64]int{}
	for i, sh := range out {
		ids[i], at[sh.ID] = sh.ID, i
	}
	var lines []ShipmentLine
	if err := tx.db.Where("shipment_id IN ?", ids).Order("order_line_id").Find(&lines).Error; err != nil {
		return nil, err
	}
	for _, l := range lines {
		out[at[l.ShipmentID]].Lines = append(out[at[l.ShipmentID]].Lines, l)
	}
	return out, nil
}

func (tx *Tx) shipmentOf(shopID, orderID, shipmentID int64) (*Shipment, *Order, error) {
	o, err := tx.OrderOf(shopID, orderID)
	if err != nil {
		return nil, nil, err
	}
	var sh Shipment
	if err := tx.db.Where("id = ? AND order_id = ? AND shop_id = ?", shipmentID, o.ID, shopID).Take(&sh).Error; err != nil {
		return nil, nil, translate(err)
	}
	return &sh, o, nil
}

// leftToShip is how many of each of the order's lines (by id) no shipment holds, cancelled
// shipments aside.
func (tx *Tx) leftToShip(o *Order) (map[int64]int64, error) {
	var shipped []struct {
		OrderLineID int64
		Quantity    int64
	}
	err := tx.db.Table("shipment_lines AS l").Select("l.order_line_id, sum(l.quantity) AS quantity").
		Joins("JOIN shipments s ON s.id = l.shipment_id").Where("s.order_id = ? AND s.status <> ?", o.ID, ShipmentCancelled).
		Group("l.order_line_id").Scan(&shipped).Error
	if err != nil {
		return nil, err
	}
	left := map[int64]int64{}
	for _, l := range o.Lines {
		left[l.ID] = l.Quantity
	}
	for _, s := range shipped {
		left[s.OrderLineID] -= s.Quantity
	}
	return left, nil
}

func sum(m map[int64]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// refreshFulfilment sums the order's shipments up in its fulfilment.
func (tx *Tx) refreshFulfilment(o *Order) error {
	left, err := tx.leftToShip(o)
	if err != nil {
		return err
	}
	var open, delivered int64
	if err := tx.db.Model(&Shipment{}).Where("order_id = ? AND status <> ?", o.ID, ShipmentCancelled).Count(&open).Error; err != nil {
		return err
	}
	if err := tx.db.Model(&Shipment{}).Where("order_id = ? AND status = ?", o.ID, ShipmentDelivered).Count(&delivered).Error; err != nil {
		return err
	}
	f := FulfilmentNone
	switch {
	case open == 0:
	case sum(left) > 0:
		f = FulfilmentPartly
	case delivered == open:
		f = FulfilmentDelivered
	default:
		f = FulfilmentShipped
	}
	o.Fulfilment = f
	return tx.db.Model(&Order{}).Where("id = ?", o.ID).Updates(map[string]any{"fulfilment": f, "updated_at": tx.now()}).Error
}

// ShipmentIn reads a shipment in tx (the worker's check that it still stands).
func (tx *Tx) ShipmentIn(id int64) (*Shipment, error) {
	var sh Shipment
	return &sh, translate(tx.db.Take(&sh, id).Error)
}

// ShipmentByID loads a shipment and its lines for the worker.
func (s *Store) ShipmentByID(ctx context.Context, id int64) (*Shipment, error) {
	var sh Shipment
	r := s.reading(ctx)
	if err := r.db.Take(&sh, id).Error; err != nil {
		return nil, translate(err)
	}
	return &sh, r.db.Where("shipment_id = ?", id).Order("order_line_id").Find(&sh.Lines).Error
}

// TrackerAdded records PayPal's tracker of a shipment, unless the shipment was cancelled
// meanwhile (the cancel job then cancels the tracker).
func (s *Store) TrackerAdded(ctx context.Context, id int64, trackerID string) error {
	return s.w.WithContext(ctx).Model(&Shipment{}).Where("id = ?", id).Updates(map[string]any{"tracker_id": trackerID,
		"paypal_error": "", "paypal_state": gorm.Expr("CASE WHEN paypal_state = ? THEN ? ELSE paypal_state END", TrackerSending, TrackerSent),
		"updated_at": s.nowUTC()}).Error
}

// TrackerFailed records why PayPal has not taken a shipment's tracker: for now (an attempt to be
// retried) or for good (final).
func (s *Store) TrackerFailed(ctx context.Context, id int64, why string, final bool) error {
	changes := map[string]any{"paypal_error": why, "updated_at": s.nowUTC()}
	if final {
		changes["paypal_state"] = gorm.Expr("CASE WHEN paypal_state = ? THEN ? ELSE paypal_state END", TrackerSending, TrackerRefused)
	}
	return s.w.WithContext(ctx).Model(&Shipment{}).Where("id = ?", id).Updates(changes).Error
}

// TrackerEnded records that PayPal's tracker of a cancelled shipment is cancelled too, or
// that there was none to cancel (trackerSent false).
func (s *Store) TrackerEnded(ctx context.Context, id int64, trackerSent bool) error {
	state := TrackerCancelled
	if !trackerSent {
		state = TrackerNone
	}
	// "" too: the cancel job found no tracker while the track job was still adding it.
	return s.w.WithContext(ctx).Model(&Shipment{}).Where("id = ? AND paypal_state IN ?", id, []string{TrackerCancelling, TrackerNone}).
		Updates(map[string]any{"paypal_state": state, "paypal_error": "", "updated_at": s.nowUTC()}).Error
}

// TrackerCancelRefused records that PayPal would not cancel a cancelled shipment's tracker: it
// still shows the parcel as shipped.
func (s *Store) TrackerCancelRefused(ctx context.Context, id int64, why string) error {
	return s.w.WithContext(ctx).Model(&Shipment{}).Where("id = ?", id).
		Updates(map[string]any{"paypal_state": TrackerSent, "paypal_error": why, "updated_at": s.nowUTC()}).Error
}

// ShopperTold records that the shopper is told of a shipment (ToldMessage or ToldUtility) by the
// message of key.
func (tx *Tx) ShopperTold(shipmentID int64, told, key string) error {
	return tx.db.Model(&Shipment{}).Where("id = ?", shipmentID).Updates(map[string]any{"told": told, "told_why": "", "told_key": key, "updated_at": tx.now()}).Error
}

// ShopperNotTold records why the shopper could not be told of a shipment.
func (tx *Tx) ShopperNotTold(shipmentID int64, why string) error {
	return tx.db.Model(&Shipment{}).Where("id = ?", shipmentID).Updates(map[string]any{"told": ToldNo, "told_why": why, "updated_at": tx.now()}).Error
}

// messageSent records how a message that told the shopper of a shipment went (as its utility
// template, when Messenger's window had closed).
func (tx *Tx) messageSent(m *OutboundMessage) error {
	if m.MessagingType != "UTILITY" {
		return nil
	}
	return tx.db.Model(&Shipment{}).Where("shop_id = ? AND told_key = ?", m.ShopID, m.IdempotencyKey).Update("told", ToldUtility).Error
}

// messageRefused marks what a message Messenger refused for good was to tell the shopper as not told.
func (tx *Tx) messageRefused(m *OutboundMessage, why string) error {
	return tx.db.Model(&Shipment{}).Where("shop_id = ? AND told_key = ? AND told IN ?", m.ShopID, m.IdempotencyKey, []string{ToldMessage, ToldUtility}).
		Updates(map[string]any{"told": ToldNo, "told_why": why}).Error
}

// ShippingQueue is the shop's "To ship" view in figures.
type ShippingQueue struct {
	Orders     int64
	OldestPaid *time.Time // when the order waiting longest was paid
}

// ShippingQueue counts the shop's paid orders not fully shipped, and finds the one waiting longest.
func (d *ShopData) ShippingQueue(ctx context.Context) (ShippingQueue, error) {
	var q ShippingQueue
	waiting := func() *gorm.DB {
		return d.s.r.WithContext(ctx).Model(&Order{}).Where("shop_id = ? AND "+toShip, d.shopID)
	}
	if err := waiting().Count(&q.Orders).Error; err != nil || q.Orders == 0 {
		return q, err
	}
	var oldest Order
	if err := waiting().Select("paid_at").Order("id").Limit(1).Take(&oldest).Error; err != nil {
		return q, err
	}
	q.OldestPaid = oldest.PaidAt
	return q, nil
}

// ErrNotAnOrderNumber means the text is not an order number (#1001).
var ErrNotAnOrderNumber = errors.New("not an order number")

// OrderByNumber reads one of the shop's orders by the number people see (#1001, or 1001).
func (d *ShopData) OrderByNumber(ctx context.Context, number string) (*Order, error) {
	m := orderNumber.FindStringSubmatch(strings.TrimSpace(number))
	if m == nil {
		return nil, ErrNotAnOrderNumber
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n <= orderNumberBase {
		return nil, ErrNotFound
	}
	return d.s.reading(ctx).OrderOf(d.shopID, n-orderNumberBase)
}
