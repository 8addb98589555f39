package models

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Word lists for seeded shoppers and their conversations.
var (
	seedFirstNames = []string{"Maya", "Jordan", "Lee", "Ana", "Sam", "Priya", "Noah", "Chloe", "Mateo", "Aisha", "Liam", "Yuki", "Omar", "Sofia", "Ethan", "Zoe"}
	seedLastNames  = []string{"Chen", "Rivera", "Park", "Lima", "Patel", "Smith", "Nguyen", "Garcia", "Kim", "Okafor", "Brown", "Tanaka", "Haddad", "Rossi", "Miller", "Dubois"}
	seedLocales    = []string{"en_US", "en_US", "en_US", "en_US", "es_US", "en_GB", "fr_CA", "de_DE"}
	seedQuestions  = []string{"Do you ship to Canada?", "Is this true to size?", "Can I change my order?", "When will it arrive?", "Do you have it in blue?", "Can I talk to someone?"}
)

// seedHistory is how far back seeded conversations and orders go.
const seedHistory = 90 * 24 * time.Hour

// seedShippedAfter is how old a seeded paid order is when it has been delivered.
const seedShippedAfter = 3 * 24 * time.Hour

// seedBatch is how many rows a seeding transaction writes.
const seedBatch = 1000

// seedInBatches runs write(i) for i in [0, n) in transactions of batch, calling progress after each.
func (d *ShopData) seedInBatches(ctx context.Context, n, batch int, progress func(int), write func(tx *Tx, i int) error) error {
	for start := 0; start < n; start += batch {
		err := d.s.Transaction(ctx, func(tx *Tx) error {
			for i := start; i < min(start+batch, n); i++ {
				if err := write(tx, i); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if progress != nil {
			progress(min(start+batch, n))
		}
	}
	return nil
}

// SeedShoppers adds n shoppers with a short conversation each to the shop's first Page, for load
// tests: a tenth are linked to PayPal, one in fifty waits in the inbox.
func (d *ShopData) SeedShoppers(ctx context.Context, n int, rnd *rand.Rand, progress func(int)) error {
	var pageID string
	if err := d.s.r.WithContext(ctx).Model(&MessengerPage{}).Where("shop_id = ?", d.shopID).Order("id").Limit(1).Pluck("page_id", &pageID).Error; err != nil || pageID == "" {
		return errors.Join(err, errors.New("models: seeding shoppers needs a connected Messenger Page"))
	}
	run, now := rnd.IntN(1<<30), d.s.nowUTC()
	pick := func(words []string) string { return words[rnd.IntN(len(words))] }
	return d.seedInBatches(ctx, n, seedBatch, progress, func(t *Tx, i int) error {
		tx := t.SQL()
		locale := pick(seedLocales)
		first := now.Add(-time.Duration(rnd.Int64N(int64(seedHistory))))
		last := first.Add(time.Duration(rnd.Int64N(int64(now.Sub(first)) + 1)))
		question := pick(seedQuestions)
		var linked any
		vault, email := "", ""
		if rnd.IntN(10) == 0 {
			linked, vault, email = first, fmt.Sprintf("SEED-VAULT-%d-%d", run, i), fmt.Sprintf("shopper%d.%d@sandbox.chatshop.test", run, i)
		}
		open := rnd.IntN(50) == 0
		unread := 0
		if open {
			unread = 1 + rnd.IntN(3)
		}
		var id int64
		err := tx.QueryRowContext(ctx, Numbered(`INSERT INTO shoppers (shop_id, page_id, psid, name, locale, country, needs_human, unread,
			first_seen_at, last_seen_at, paypal_vault_id, paypal_email, linked_at, last_message_at, last_inbound_at, last_text)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			d.shopID, pageID, fmt.Sprintf("SEED%d%08d", run, i), pick(seedFirstNames)+" "+pick(seedLastNames), locale, locale[3:],
			open, unread, first, last, vault, email, linked, last, last, question).Scan(&id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, Numbered(`INSERT INTO chat_messages (shop_id, shopper_id, direction, text, body, created_at) VALUES (?, ?, 'in', ?, '{}', ?)`),
			d.shopID, id, question, last)
		return err
	})
}

// seedOrderStatuses is how seeded orders ended: mostly paid. None is pending: an order unpaid for
// more than 30 minutes has expired (and the worker would expire it, telling its shopper).
var seedOrderStatuses = []string{OrderPaid, OrderPaid, OrderPaid, OrderPaid, OrderPaid, OrderPaid, OrderPaid, OrderPaid,
	OrderExpired, OrderExpired, OrderCancelled, OrderPaymentDenied}

// SeedOrders adds n orders of one to three of the shop's variants, bought by its shoppers over the
// last 90 days, then brings the overview's daily sales and the shoppers' last payments up to date.
func (d *ShopData) SeedOrders(ctx context.Context, n int, rnd *rand.Rand, progress func(int)) error {
	db := d.s.r.WithContext(ctx)
	var shoppers []struct {
		ID   int64
		Name string
	}
	if err := db.Model(&Shopper{}).Select("id, name").Where("shop_id = ?", d.shopID).Find(&shoppers).Error; err != nil || len(shoppers) == 0 {
		return errors.Join(err, errors.New("models: seeding orders needs shoppers (seed --shoppers)"))
	}
	type variantRow struct {
		ID, ProductID, PriceMinor int64
		Title, SKU                string
	}
	var variants []variantRow
	err := db.Table("variants v").Select("v.id, v.product_id, v.price_minor, v.sku, p.title").
		Joins("JOIN products p ON p.id = v.product_id").Where("p.shop_id = ?", d.shopID).Limit(5000).Scan(&variants).Error
	if err != nil || len(variants) == 0 {
		return errors.Join(err, errors.New("models: seeding orders needs products"))
	}
	run, now := rnd.IntN(1<<30), d.s.nowUTC()
	err = d.seedInBatches(ctx, n, seedBatch, progress, func(t *Tx, i int) error {
		tx := t.SQL()
		at := now.Add(-time.Duration(rnd.Int64N(int64(seedHistory))))
		status := seedOrderStatuses[rnd.IntN(len(seedOrderStatuses))]
		lines := make([]variantRow, 1+rnd.IntN(3))
		qty := make([]int64, len(lines))
		total := int64(0)
		for j := range lines {
			lines[j], qty[j] = variants[rnd.IntN(len(variants))], 1+rnd.Int64N(2)
			total += lines[j].PriceMinor * qty[j]
		}
		var paidAt any
		capture, paypalOrder, fulfilment := "", fmt.Sprintf("SEED-ORDER-%d-%d", run, i), FulfilmentNone
		if status == OrderPaid {
			paidAt, capture = at.Add(2*time.Minute), fmt.Sprintf("SEED-CAP-%d-%d", run, i)
			if now.Sub(at) > seedShippedAfter {
				fulfilment = FulfilmentDelivered // the queue to ship holds the last days' orders only (no shipment rows: figures, not parcels)
			}
		}
		var orderID int64
		buyer := shoppers[rnd.IntN(len(shoppers))]
		err := tx.QueryRowContext(ctx, Numbered(`INSERT INTO orders (shop_id, shopper_id, shopper_name, status, currency, total_minor, paypal_order_id,
			paid_with, capture_id, payer_email, expires_at, paid_at, fulfilment, created_at, updated_at) VALUES (?, ?, ?, ?, 'USD', ?, ?, 'approval', ?, '', ?, ?, ?, ?, ?) RETURNING id`),
			d.shopID, buyer.ID, buyer.Name, status, total, paypalOrder, capture, at.Add(OrderHold), paidAt, fulfilment, at, at).Scan(&orderID)
		if err != nil {
			return err
		}
		for j, l := range lines {
			_, err := tx.ExecContext(ctx, Numbered(`INSERT INTO order_lines (order_id, shop_id, product_id, variant_id, title, variant_title, sku, quantity, unit_minor)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), orderID, d.shopID, l.ProductID, l.ID, l.Title, DefaultVariantTitle, l.SKU, qty[j], l.PriceMinor)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return d.s.Transaction(ctx, func(tx *Tx) error {
		for _, q := range []string{
			`DELETE FROM daily_sales WHERE shop_id = ?`,
			`INSERT INTO daily_sales (shop_id, day, currency, orders, sales_minor)
				SELECT shop_id, ` + d.s.dialect.day("paid_at") + `, currency, count(*), sum(total_minor)
				FROM orders WHERE shop_id = ? AND status = 'paid' GROUP BY 1, 2, 3`,
			`UPDATE shoppers SET last_paid_at = paid.last
				FROM (SELECT shopper_id, max(paid_at) AS last FROM orders WHERE shop_id = ? AND status = 'paid' GROUP BY shopper_id) AS paid
				WHERE paid.shopper_id = shoppers.id`,
		} {
			if err := tx.db.Exec(q, d.shopID).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// seedNotificationKinds is how often each kind of payment notification is seeded.
var seedNotificationKinds = []string{"captured", "captured", "captured", "captured", "captured", "captured", "pending", "denied", "refunded", "reversed"}

// SeedNotifications adds n payment notifications to the shop's feed, each with the PayPal event
// it came from (processed), naming the captures of its paid orders so that the feed links them.
func (d *ShopData) SeedNotifications(ctx context.Context, n int, rnd *rand.Rand, progress func(int)) error {
	var captures []string
	if err := d.s.r.WithContext(ctx).Model(&Order{}).Where("shop_id = ? AND capture_id <> ''", d.shopID).Limit(100_000).Pluck("capture_id", &captures).Error; err != nil {
		return err
	}
	run, now := rnd.IntN(1<<30), d.s.nowUTC()
	delivery := WebhookDelivery{Provider: "paypal", Headers: "{}", Body: []byte("{}"), Verified: true, ReceivedAt: now}
	if err := d.s.w.WithContext(ctx).Create(&delivery).Error; err != nil {
		return err
	}
	return d.seedInBatches(ctx, n, seedBatch, progress, func(t *Tx, i int) error {
		tx := t.SQL()
		at := now.Add(-time.Duration(int64(n-i) * int64(seedHistory) / int64(n))) // oldest first, as they arrived
		capture := fmt.Sprintf("SEED-CAP-X-%d-%d", run, i)
		if len(captures) > 0 {
			capture = captures[rnd.IntN(len(captures))]
		}
		var eventID int64
		err := tx.QueryRowContext(ctx, Numbered(`INSERT INTO webhook_events (provider, event_key, event_type, account_ref, shop_id, delivery_id,
			payload, status, attempts, received_at, processed_at) VALUES ('paypal', ?, 'PAYMENT.CAPTURE.COMPLETED', '', ?, ?, '{}', 'processed', 1, ?, ?) RETURNING id`),
			fmt.Sprintf("seed:%d:%d", run, i), d.shopID, delivery.ID, at, at).Scan(&eventID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, Numbered(`INSERT INTO payment_notifications (shop_id, event_id, kind, capture_id, amount_minor, currency, created_at)
			VALUES (?, ?, ?, ?, ?, 'USD', ?)`), d.shopID, eventID, seedNotificationKinds[rnd.IntN(len(seedNotificationKinds))], capture, 500+rnd.Int64N(20000), at)
		return err
	})
}
