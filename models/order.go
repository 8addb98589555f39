package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chatshop/chatshop/money"
)

// Order statuses.
const (
	OrderPending        = "pending"         // waiting for the shopper to pay; holds its stock until it expires
	OrderPaid           = "paid"            // PayPal captured the payment
	OrderPaymentPending = "payment_pending" // captured, but PayPal holds the money for review
	OrderPaymentDenied  = "payment_denied"  // PayPal denied the capture; the stock is released
	OrderExpired        = "expired"         // never paid; the stock is released
	OrderCancelled      = "cancelled"       // the shopper called it off before paying; the stock is released
)

// How an order is paid.
const (
	PaidWithApproval = "approval" // the shopper approves the payment on PayPal's page
	PaidWithVault    = "vault"    // one tap, with the PayPal account the shopper linked to Messenger
)

// OrderHold is how long an unpaid order keeps its stock.
const OrderHold = 30 * time.Minute

// Order is what a shopper buys in Messenger.
type Order struct {
	ID          int64
	ShopID      int64
	ShopperID   int64
	ShopperName string // the shopper's, kept up to date by SetShopperProfile
	Status      string
	Currency    string
	TotalMinor  int64 // the items and the shipping
	// ShippingMinor is what the shipping cost, within the total (the shop's rate for the shopper's country).
	ShippingMinor int64
	PayPalOrderID string `gorm:"column:paypal_order_id"`
	ApproveURL    string
	PaidWith      string
	CaptureID     string
	PayerEmail    string
	// ShipTo is where the order goes, as the buyer chose it on PayPal; empty until the payment.
	ShipTo ShippingAddress `gorm:"embedded;embeddedPrefix:ship_"`
	// Fulfilment is how much of a paid order has shipped (FulfilmentNone ... FulfilmentDelivered).
	Fulfilment string
	ExpiresAt  time.Time
	PaidAt     *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Lines      []OrderLine `gorm:"-"`
}

// ShippingAddress is a name and postal address as PayPal gives it: Region is admin_area_1 (state,
// province), City admin_area_2, Country the ISO 3166-1 alpha-2 code.
type ShippingAddress struct {
	Name       string
	Line1      string
	Line2      string
	City       string
	Region     string
	PostalCode string
	Country    string
}

// Empty reports whether no address is known.
func (a ShippingAddress) Empty() bool { return a == ShippingAddress{} }

// Lines is the address as a label reads, one line each: name, street lines, "City REGION
// POSTAL", country.
func (a ShippingAddress) Lines() []string {
	return nonEmpty(a.Name, a.Line1, a.Line2, strings.Join(nonEmpty(a.City, a.Region, a.PostalCode), " "), a.Country)
}

// columns are the address's columns of an order.
func (a ShippingAddress) columns() map[string]any {
	return map[string]any{"ship_name": a.Name, "ship_line1": a.Line1, "ship_line2": a.Line2, "ship_city": a.City,
		"ship_region": a.Region, "ship_postal_code": a.PostalCode, "ship_country": a.Country}
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Number is the order's number as shoppers and retailers see it.
func (o *Order) Number() string { return fmt.Sprintf("#%d", orderNumberBase+o.ID) }

// orderNumberBase is added to an order's id to make the number people see.
const orderNumberBase = 1000

// CustomID names the order in its PayPal order (custom_id), and so in PayPal's events about it;
// the prefix keeps it apart from the merchant's payments taken elsewhere.
func (o *Order) CustomID() string { return fmt.Sprintf("chatshop-%d", o.ID) }

// Total is the order's total as Money.
func (o *Order) Total() money.Money { return money.Money{Minor: o.TotalMinor, Currency: o.Currency} }

// Shipping is what the order's shipping cost.
func (o *Order) Shipping() money.Money {
	return money.Money{Minor: o.ShippingMinor, Currency: o.Currency}
}

// ItemsMinor is what the order's items cost, the shipping aside.
func (o *Order) ItemsMinor() int64 { return o.TotalMinor - o.ShippingMinor }

// OrderLine is one product variant of an order.
type OrderLine struct {
	ID           int64
	OrderID      int64
	ShopID       int64
	ProductID    int64
	VariantID    int64
	Title        string
	VariantTitle string
	SKU          string `gorm:"column:sku"`
	ImageURL     string
	Quantity     int64
	UnitMinor    int64
}

// Name is the line's product with its variant: "Linen shirt (M)".
func (l *OrderLine) Name() string {
	if v := l.VariantName(); v != "" {
		return l.Title + " (" + v + ")"
	}
	return l.Title
}

// VariantName is the variant's title, or "" for the one variant of a product without options.
func (l *OrderLine) VariantName() string {
	if l.VariantTitle == DefaultVariantTitle {
		return ""
	}
	return l.VariantTitle
}

// ErrSoldOut means the variant has no stock left to hold.
var ErrSoldOut = errors.New("sold out")

// PlaceOrder makes an order of one variant for the shopper and holds its stock: the last item
// goes to one shopper only, however many tap Buy at once. A pending order of the same shopper for
// the same variant is returned instead of a second one (a double tap).
func (tx *Tx) PlaceOrder(sh *Shopper, variantID int64, baseURL string) (o *Order, existing bool, err error) {
	var prior []Order
	err = tx.db.Raw(`SELECT o.* FROM orders o JOIN order_lines l ON l.order_id = o.id
		WHERE o.shopper_id = ? AND o.status = ? AND l.variant_id = ? ORDER BY o.id DESC LIMIT 1`, sh.ID, OrderPending, variantID).Scan(&prior).Error
	if err != nil {
		return nil, false, err
	}
	if len(prior) > 0 {
		return &prior[0], true, nil
	}
	p, v, err := tx.offeredVariant(sh.ShopID, variantID)
	if err != nil {
		return nil, false, err
	}
	res := tx.db.Exec(`UPDATE variants SET inventory_qty = inventory_qty - 1
		WHERE id = ? AND (inventory_qty > 0 OR inventory_policy = ?)`, v.ID, PolicyContinue)
	if res.Error != nil {
		return nil, false, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, false, ErrSoldOut
	}
	if err := tx.refreshFigures(p.ID); err != nil {
		return nil, false, err
	}
	shipping, err := tx.shippingFor(sh.ShopID, sh.Country, v.Currency, v.PriceMinor)
	if err != nil {
		return nil, false, err
	}
	now := tx.now()
	o = &Order{ShopID: sh.ShopID, ShopperID: sh.ID, ShopperName: sh.Name, Status: OrderPending, Currency: v.Currency, TotalMinor: v.PriceMinor + shipping,
		ShippingMinor: shipping, ExpiresAt: now.Add(OrderHold), CreatedAt: now, UpdatedAt: now}
	if err := tx.db.Create(o).Error; err != nil {
		return nil, false, err
	}
	line := OrderLine{OrderID: o.ID, ShopID: o.ShopID, ProductID: p.ID, VariantID: v.ID, Title: p.Title, VariantTitle: v.Title,
		SKU: v.SKU, Quantity: 1, UnitMinor: v.PriceMinor}
	if len(p.Images) > 0 {
		line.ImageURL = p.Images[0].AbsoluteURL(baseURL)
	}
	o.Lines = []OrderLine{line}
	return o, false, tx.db.Create(&o.Lines[0]).Error
}

// offeredVariant reads a variant of a product the shop offers in Messenger, with the product.
func (tx *Tx) offeredVariant(shopID, variantID int64) (*Product, *Variant, error) {
	var v Variant
	if err := tx.db.Where("id = ? AND shop_id = ?", variantID, shopID).Take(&v).Error; err != nil {
		return nil, nil, translate(err)
	}
	p, err := tx.OfferedProduct(shopID, v.ProductID)
	if err != nil {
		return nil, nil, err
	}
	return p, &v, nil
}

// OrderOf reads one of the shop's orders with its lines.
func (tx *Tx) OrderOf(shopID, id int64) (*Order, error) {
	return tx.orderWhere("id = ? AND shop_id = ?", id, shopID)
}

// OrderByID reads an order with its lines, whichever shop it is (the worker's jobs name orders).
func (s *Store) OrderByID(id int64) (*Order, error) {
	return s.reading(context.Background()).orderWhere("id = ?", id)
}

func (tx *Tx) orderWhere(query string, args ...any) (*Order, error) {
	var o Order
	if err := tx.db.Where(query, args...).Take(&o).Error; err != nil {
		return nil, translate(err)
	}
	return &o, tx.db.Where("order_id = ?", o.ID).Order("id").Find(&o.Lines).Error
}

// OrderByPayPalID finds the order of a PayPal order.
func (s *Store) OrderByPayPalID(paypalOrderID string) (*Order, error) {
	var o Order
	if err := s.r.Where("paypal_order_id = ? AND paypal_order_id <> ''", paypalOrderID).Take(&o).Error; err != nil {
		return nil, translate(err)
	}
	return &o, nil
}

// releaseStock gives an order's held stock back.
func (tx *Tx) releaseStock(o *Order) error { return tx.moveStock(o, +1) }

// takeStock holds an order's stock again (an order paid after it expired), even below zero.
func (tx *Tx) takeStock(o *Order) error { return tx.moveStock(o, -1) }

// moveStock adds (sign +1) or removes (-1) the order's quantities to its variants' stock.
func (tx *Tx) moveStock(o *Order, sign int64) error {
	var lines []OrderLine
	if err := tx.db.Where("order_id = ?", o.ID).Find(&lines).Error; err != nil {
		return err
	}
	for _, l := range lines {
		if err := tx.db.Exec("UPDATE variants SET inventory_qty = inventory_qty + ? WHERE id = ?", sign*l.Quantity, l.VariantID).Error; err != nil {
			return err
		}
		// A product deleted since the order has no row left to update.
		if err := tx.refreshFigures(l.ProductID); err != nil {
			return err
		}
	}
	return nil
}
