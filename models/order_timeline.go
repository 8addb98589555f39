package models

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/chatshop/chatshop/carrier"
	"github.com/chatshop/chatshop/money"
)

// TimelineEntry is one thing that happened to an order, as its page tells it.
type TimelineEntry struct {
	At   time.Time
	Kind string // placed, message, payment, refund, paid, shipment, paypal, told or ended
	Text string
	// Who wrote a message: the shopper, the bot or a team member's name.
	Who string
	// EventID is the PayPal webhook event behind a payment notification.
	EventID int64
}

// shipmentTimeline is what happened to a shipment: shipped, PayPal's tracker, the shopper told,
// delivered or cancelled.
func shipmentTimeline(sh *Shipment) []TimelineEntry {
	what := carrier.Name(sh.Carrier, sh.CarrierName) + " " + sh.TrackingNumber
	out := []TimelineEntry{{At: sh.CreatedAt, Kind: "shipment", Text: "Shipped with " + what}}
	switch sh.PayPalState {
	case TrackerSent, TrackerCancelling, TrackerCancelled:
		if sh.TrackerID == "" {
			break // cancelled before PayPal had it
		}
		out = append(out, TimelineEntry{At: sh.UpdatedAt, Kind: "paypal", Text: "PayPal has the tracking number " + sh.TrackingNumber})
	case TrackerRefused:
		out = append(out, TimelineEntry{At: sh.UpdatedAt, Kind: "paypal", Text: "PayPal refused the tracking number: " + sh.PayPalError})
	}
	switch sh.Told {
	case ToldMessage:
		out = append(out, TimelineEntry{At: sh.UpdatedAt, Kind: "told", Text: "The shopper was told in Messenger"})
	case ToldUtility:
		out = append(out, TimelineEntry{At: sh.UpdatedAt, Kind: "told", Text: "The shopper was told in Messenger with the Page's utility template"})
	case ToldNo:
		out = append(out, TimelineEntry{At: sh.UpdatedAt, Kind: "told", Text: "The shopper could not be told: " + sh.ToldWhy})
	}
	if sh.DeliveredAt != nil {
		out = append(out, TimelineEntry{At: *sh.DeliveredAt, Kind: "shipment", Text: "Delivered: " + what})
	}
	if sh.CancelledAt != nil {
		out = append(out, TimelineEntry{At: *sh.CancelledAt, Kind: "ended", Text: "Shipment cancelled: " + what})
	}
	return out
}

// timelineMessages is how many of the shopper's messages around the order its timeline shows.
const timelineMessages = 30

// OrderTimeline tells what happened to the order, oldest first: placed, the conversation from then
// until an hour after it ended, PayPal's payment events, refunds asked for, and how it ended.
func (d *ShopData) OrderTimeline(ctx context.Context, od *OrderDetail) ([]TimelineEntry, error) {
	o := od.Order
	db := d.s.r.WithContext(ctx)
	out := []TimelineEntry{{At: o.CreatedAt, Kind: "placed", Text: fmt.Sprintf("Order placed in Messenger: %s", o.Total())}}
	until := o.UpdatedAt.Add(time.Hour)
	var msgs []ThreadMessage
	err := db.Table("chat_messages AS m").Select("m.*, coalesce(u.name, '') AS author_name").
		Joins("LEFT JOIN users u ON u.id = m.author_user_id").
		Where("m.shop_id = ? AND m.shopper_id = ? AND m.created_at >= ? AND m.created_at <= ?", d.shopID, o.ShopperID, o.CreatedAt, until).
		Order("m.id").Limit(timelineMessages).Find(&msgs).Error
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		who := "Bot"
		switch {
		case m.Direction == "in":
			who = od.Shopper.Name
		case m.AuthorName != "":
			who = m.AuthorName
		}
		out = append(out, TimelineEntry{At: m.CreatedAt, Kind: "message", Who: who, Text: m.Text})
	}
	if o.CaptureID != "" {
		var notes []PaymentNotification
		err := db.Table("payment_notifications AS n").
			Where("n.shop_id = ? AND n.capture_id = ? AND n.capture_id <> ''", d.shopID, o.CaptureID).Order("n.id").Find(&notes).Error
		if err != nil {
			return nil, err
		}
		for _, n := range notes {
			out = append(out, TimelineEntry{At: n.CreatedAt, Kind: "payment", EventID: n.EventID,
				Text: fmt.Sprintf("%s: %s", PaymentKindTitle(n.Kind), money.Money{Minor: n.AmountMinor, Currency: n.Currency})})
		}
	}
	for _, r := range od.Refunds {
		text := fmt.Sprintf("Refund of %s asked for (%s)", money.Money{Minor: r.AmountMinor, Currency: r.Currency}, r.Status)
		if r.Reason != "" {
			text += ": " + r.Reason
		}
		out = append(out, TimelineEntry{At: r.CreatedAt, Kind: "refund", Text: text})
	}
	for _, sh := range od.Shipments {
		out = append(out, shipmentTimeline(&sh)...)
	}
	switch {
	case o.PaidAt != nil:
		out = append(out, TimelineEntry{At: *o.PaidAt, Kind: "paid", Text: "Paid: the payment was captured"})
	case o.Status == OrderExpired || o.Status == OrderCancelled || o.Status == OrderPaymentDenied:
		out = append(out, TimelineEntry{At: o.UpdatedAt, Kind: "ended", Text: orderEndings[o.Status]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

var orderEndings = map[string]string{
	OrderExpired:       "Expired unpaid: the stock was released",
	OrderCancelled:     "Cancelled by the shopper: the stock was released",
	OrderPaymentDenied: "PayPal declined the payment: the stock was released",
}
