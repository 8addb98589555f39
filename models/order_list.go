package models

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// OrderRow is an order as the dashboard lists it: who bought (the order's ShopperName) and what.
type OrderRow struct {
	Order
	Items string // the first line's title, and how many more
}

// OrderStatuses are the statuses the orders list filters by, in the order it shows them.
var OrderStatuses = []string{OrderPending, OrderPaid, OrderPaymentPending, OrderPaymentDenied, OrderExpired, OrderCancelled}

// Views of the orders list besides its statuses.
const (
	ViewToShip  = "to_ship" // paid and not fully shipped, oldest first: the retailer's queue
	ViewShipped = "shipped" // fully shipped or delivered
)

// toShip is the condition of an order in the "To ship" view (counted through the orders_to_ship index).
const toShip = "status = 'paid' AND fulfilment IN ('', 'partly_shipped')"

// OrderFilter chooses orders: by status ("" for any) or view, and by what was searched: an order
// number (#1001), a PayPal order or capture id, a payer's email, or the start of a shopper's name.
type OrderFilter struct {
	Status    string
	View      string // ViewToShip or ViewShipped; "" for none
	Query     string
	ShopperID int64 // one shopper's orders; 0 for everyone's
	// Cursor is where the page starts: orders older than this id, or newer in the oldest-first
	// "To ship" view.
	Cursor int64
}

// OldestFirst reports whether the filter lists orders oldest first.
func (f OrderFilter) OldestFirst() bool { return f.View == ViewToShip }

// conditions narrows q to the filter's status and view.
func (f OrderFilter) conditions(q *gorm.DB) *gorm.DB {
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	switch f.View {
	case ViewToShip:
		q = q.Where(toShip)
	case ViewShipped:
		q = q.Where("fulfilment IN ?", []string{FulfilmentShipped, FulfilmentDelivered})
	}
	return q
}

var orderNumber = regexp.MustCompile(`^#?(\d{4,})$`)

// ordersMatching are the shop's orders f chooses, for a page of limit orders.
func (d *ShopData) ordersMatching(db *gorm.DB, f OrderFilter, limit int) *gorm.DB {
	q := f.conditions(db.Model(&Order{}).Where("shop_id = ?", d.shopID))
	if f.ShopperID != 0 {
		q = q.Where("shopper_id = ?", f.ShopperID)
	}
	query := strings.TrimSpace(f.Query)
	switch m := orderNumber.FindStringSubmatch(query); {
	case query == "":
	case m != nil:
		n, _ := strconv.ParseInt(m[1], 10, 64)
		q = q.Where("id = ?", n-orderNumberBase)
	case strings.Contains(query, "@"):
		q = q.Where("payer_email = ?", strings.ToLower(query))
	default:
		// Each way of matching uses its own index (the "<> ''" lets SQLite use the partial
		// ones); an OR of the three would walk every order of the shop when nothing matches. A
		// common first name matches thousands of orders: only the page's newest of them are
		// taken, with the page's other conditions, before they are merged.
		byName := d.s.r.Model(&Order{}).Select("id").Limit(limit + 1)
		if f.OldestFirst() {
			byName = byName.Order("id")
			if f.Cursor > 0 {
				byName = byName.Where("id > ?", f.Cursor)
			}
		} else {
			byName = byName.Order("id DESC")
			if f.Cursor > 0 {
				byName = byName.Where("id < ?", f.Cursor)
			}
		}
		if d.manyShoppersNamed(db, query) {
			// Their orders are a good share of the shop's: walking the shop's orders newest first
			// finds a page of them sooner than gathering and sorting them all. The shop's orders
			// index carries each one's shopper name.
			byName = byName.Where("shop_id = ? AND "+d.s.dialect.likeCaseless("shopper_name"), d.shopID, likePrefix(query))
		} else {
			byName = byName.Where("shopper_id IN (SELECT id FROM shoppers WHERE shop_id = ? AND "+d.s.dialect.likeCaseless("name")+")",
				d.shopID, likePrefix(query))
		}
		byName = f.conditions(byName)
		q = q.Where(`id IN (SELECT id FROM orders WHERE paypal_order_id = ? AND paypal_order_id <> ''
			UNION ALL SELECT id FROM orders WHERE shop_id = ? AND capture_id = ? AND capture_id <> ''
			UNION ALL SELECT * FROM (?) AS by_name)`, query, d.shopID, query, byName)
	}
	return q
}

// manyShoppersAbove is how many shoppers of a name make walking the shop's orders (newest first,
// until a page of theirs is found) cheaper than gathering their orders through the shoppers'
// index and sorting them. The two cost the same when the shoppers' orders number about the square
// root of 50 times the shop's orders (a page of them is then found within as many orders as they
// are): at 200,000 orders, about 800 shoppers (measured: docs/benchmarks.md, "Measurements
// behind the code").
const manyShoppersAbove = 1000

// manyShoppersNamed is whether more than manyShoppersAbove of the shop's shoppers have names
// starting with name.
func (d *ShopData) manyShoppersNamed(db *gorm.DB, name string) bool {
	var n int64
	err := db.Raw("SELECT count(*) FROM (SELECT 1 FROM shoppers WHERE shop_id = ? AND "+d.s.dialect.likeCaseless("name")+" LIMIT ?) AS named",
		d.shopID, likePrefix(name), manyShoppersAbove+1).Scan(&n).Error
	return err == nil && n > manyShoppersAbove
}

// likePrefix is a LIKE pattern matching what starts with s, escaped with \\.
func likePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s) + "%"
}

// OrderPage is one keyset page of the shop's orders matching f, newest first (oldest first in the
// "To ship" view), and the cursor of the next.
func (d *ShopData) OrderPage(ctx context.Context, f OrderFilter, limit int) ([]OrderRow, int64, error) {
	db := d.s.r.WithContext(ctx)
	page := keysetPage[Order]
	if f.OldestFirst() {
		page = oldestFirstPage[Order]
	}
	orders, next, err := page(d.ordersMatching(db, f, limit), f.Cursor, limit, func(o *Order) int64 { return o.ID })
	if err != nil || len(orders) == 0 {
		return nil, next, err
	}
	ids := make([]int64, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	// The page's lines in one query, not one per order.
	var lines []struct {
		OrderID int64
		Title   string
	}
	if err := db.Model(&OrderLine{}).Select("order_id, title").Where("order_id IN ?", ids).Order("id").Find(&lines).Error; err != nil {
		return nil, 0, err
	}
	first, count := map[int64]string{}, map[int64]int{}
	for _, l := range lines {
		if count[l.OrderID] == 0 {
			first[l.OrderID] = l.Title
		}
		count[l.OrderID]++
	}
	rows := make([]OrderRow, len(orders))
	for i, o := range orders {
		rows[i] = OrderRow{Order: o, Items: first[o.ID]}
		if count[o.ID] > 1 {
			rows[i].Items += " and more"
		}
	}
	return rows, next, nil
}

// OrderDetail is one order with everything the dashboard shows of it.
type OrderDetail struct {
	Order   *Order
	Shopper *Shopper
	Payment *Payment // nil until PayPal captured it
	Refunds []RefundRequest
	// Shipments are the order's parcels, oldest first; LeftToShip how many of each line (by
	// id) none holds.
	Shipments  []Shipment
	LeftToShip map[int64]int64
}

// Refundable is what is left to refund of the order's payment, less refunds under way.
func (od *OrderDetail) Refundable() int64 {
	if od.Payment == nil || od.Payment.Reversed {
		return 0
	}
	left := od.Payment.AmountMinor - od.Payment.RefundedMinor
	for _, r := range od.Refunds {
		if r.Status == "requested" || r.Status == "pending" {
			left -= r.AmountMinor
		}
	}
	return max(left, 0)
}

// OrderDetail reads one of the shop's orders; another shop's is ErrNotFound.
func (d *ShopData) OrderDetail(ctx context.Context, id int64) (*OrderDetail, error) {
	var od OrderDetail
	var err error
	r := d.s.reading(ctx)
	if od.Order, err = r.OrderOf(d.shopID, id); err != nil {
		return nil, err
	}
	if od.Shopper, err = r.ShopperOf(od.Order.ShopperID); err != nil {
		return nil, err
	}
	if od.Shipments, err = r.shipmentsOf(d.shopID, id); err != nil {
		return nil, err
	}
	if od.LeftToShip, err = r.leftToShip(od.Order); err != nil {
		return nil, err
	}
	if od.Order.CaptureID == "" {
		return &od, nil
	}
	var p Payment
	if err := r.db.Where("shop_id = ? AND capture_id = ?", d.shopID, od.Order.CaptureID).Limit(1).Find(&p).Error; err != nil {
		return nil, err
	}
	if p.ID != 0 {
		od.Payment = &p
	}
	return &od, r.db.Where("shop_id = ? AND capture_id = ?", d.shopID, od.Order.CaptureID).Order("id DESC").Find(&od.Refunds).Error
}
