package models

import "context"

// NotificationKinds are the kinds of payment notification, in the order the feed's filters show them.
var NotificationKinds = []string{"captured", "pending", "denied", "refunded", "reversed", NotificationDispute}

// NotificationDispute is the kind of a dispute's notification: opened, changed or resolved.
const NotificationDispute = "dispute"

// FeedItem is a payment notification as the feed shows it, with the order it belongs to (0 when
// the payment was not made through chatshop's checkout) and the shopper who paid.
type FeedItem struct {
	PaymentNotification
	OrderID     int64
	ShopperName string
}

// NotificationFeed is one keyset page of the shop's payment notifications of a kind ("" for every
// kind), newest first, and the cursor of the next page.
func (d *ShopData) NotificationFeed(ctx context.Context, kind string, before int64, limit int) ([]FeedItem, int64, error) {
	q := d.s.r.WithContext(ctx).Table("payment_notifications AS n").
		Select("n.*, coalesce(o.id, 0) AS order_id, coalesce(s.name, '') AS shopper_name").
		Joins("LEFT JOIN orders o ON o.shop_id = n.shop_id AND o.capture_id = n.capture_id AND o.capture_id <> ''").
		Joins("LEFT JOIN shoppers s ON s.id = o.shopper_id").
		Where("n.shop_id = ?", d.shopID).Order("n.id DESC").Limit(limit + 1)
	if kind != "" {
		q = q.Where("n.kind = ?", kind)
	}
	if before > 0 {
		q = q.Where("n.id < ?", before)
	}
	var items []FeedItem
	if err := q.Find(&items).Error; err != nil {
		return nil, 0, err
	}
	if len(items) > limit {
		return items[:limit], items[limit-1].ID, nil
	}
	return items, 0, nil
}

// NotificationsSeen notes that the member has seen the feed up to the notification id.
func (d *ShopData) NotificationsSeen(ctx context.Context, userID, id int64) error {
	return d.s.w.WithContext(ctx).Model(&Membership{}).
		Where("shop_id = ? AND user_id = ? AND notifications_seen_id < ?", d.shopID, userID, id).
		Update("notifications_seen_id", id).Error
}
