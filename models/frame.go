package models

import "context"

// Frame is what every dashboard page shows around its content: the navigation's badges, and the
// banners of a connection that needs the owner.
type Frame struct {
	// UnreadConversations counts the open conversations with messages nobody has read, up to
	// maxBadge.
	UnreadConversations int
	// UnseenNotifications counts the notifications that arrived since the member last opened
	// the feed, up to maxBadge.
	UnseenNotifications int
	// ToShip counts the paid orders not fully shipped, up to maxBadge.
	ToShip int
	Health ConnectionHealth
}

// ConnectionHealth is whether the shop's current Page or PayPal account has to be connected again.
type ConnectionHealth struct {
	PageName             string // the Page that needs reconnecting, or ""
	PageNeedsReconnect   bool
	PayPalNeedsReconnect bool
}

// maxBadge is the most the navigation's badges count; more shows as "99+". Counting stops there:
// a shop with a thousand conversations waiting made the count a third of a page's frame.
const maxBadge = 100

// Frame reads the member's frame in one statement: it runs on every page.
func (d *ShopData) Frame(ctx context.Context, userID int64) (Frame, error) {
	var row struct {
		UnreadConversations, UnseenNotifications, ToShip int
		PageStatus, PageName, PayPalStatus               string
	}
	err := d.s.r.WithContext(ctx).Raw(`SELECT
		(SELECT count(*) FROM (SELECT 1 FROM shoppers WHERE shop_id = @shop AND needs_human AND unread > 0
			LIMIT @max) AS unread) AS unread_conversations,
		(SELECT count(*) FROM (SELECT 1 FROM payment_notifications WHERE shop_id = @shop
			AND id > coalesce((SELECT notifications_seen_id FROM memberships WHERE shop_id = @shop AND user_id = @user), 0)
			LIMIT @max) AS unseen) AS unseen_notifications,
		(SELECT count(*) FROM (SELECT 1 FROM orders WHERE shop_id = @shop AND `+toShip+` LIMIT @max) AS to_ship) AS to_ship,
		coalesce((SELECT status FROM messenger_pages WHERE shop_id = @shop AND status <> @page_off ORDER BY id DESC LIMIT 1), '') AS page_status,
		coalesce((SELECT name FROM messenger_pages WHERE shop_id = @shop AND status <> @page_off ORDER BY id DESC LIMIT 1), '') AS page_name,
		coalesce((SELECT status FROM paypal_accounts WHERE shop_id = @shop AND status <> @paypal_off ORDER BY id DESC LIMIT 1), '') AS pay_pal_status`,
		map[string]any{"shop": d.shopID, "user": userID, "max": maxBadge, "page_off": PageDisconnected, "paypal_off": PayPalDisconnected}).
		Scan(&row).Error
	if err != nil {
		return Frame{}, err
	}
	f := Frame{UnreadConversations: row.UnreadConversations, UnseenNotifications: row.UnseenNotifications, ToShip: row.ToShip,
		Health: ConnectionHealth{PageNeedsReconnect: row.PageStatus == PageNeedsReconnect, PayPalNeedsReconnect: row.PayPalStatus == PayPalRevoked}}
	if f.Health.PageNeedsReconnect {
		f.Health.PageName = row.PageName
	}
	return f, nil
}
