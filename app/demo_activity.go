package app

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/sandbox"
	"github.com/chatshop/chatshop/worker"
)

// playDemo gives a new demo shop something on every page. It first gives the shop 90 days behind
// it (shoppers who wrote, orders they placed and paid: the overview's chart, the lists' pages),
// then plays a few shoppers through the sandbox over the server's own HTTP, as a person in the
// sandbox's chat and on PayPal's pages would: two buy and pay (receipts, payment notifications,
// the overview's sales), one asks a question the bot hands to the team (the inbox), one leaves an
// order unpaid, and one buyer opens a dispute on their payment (the dispute pages). The demo Page also asks Meta for its utility
// templates, as connecting a Page does. It stops at the first failure, which it logs.
func playDemo(ctx context.Context, base string, store *models.Store, jobs *worker.Worker, logger *slog.Logger) {
	d := &demoPlayer{sandbox: sandbox.NewControl(base, 2), store: store}
	if shopID, err := store.DemoShopID(ctx); err != nil {
		logger.Warn("demo activity stopped", "err", err)
		return
	} else if err := jobs.EnqueueTemplates(ctx, shopID, demo.PageID); err != nil {
		logger.Warn("demo activity stopped", "err", err)
		return
	} else if err := demoHistory(ctx, store.ForShop(shopID)); err != nil {
		logger.Warn("demo activity stopped", "err", err)
		return
	}
	if err := d.play(ctx); err != nil {
		if ctx.Err() == nil {
			logger.Warn("demo activity stopped", "err", err)
		}
		return
	}
	logger.Info("demo activity done: shoppers, orders, a conversation for the team and a dispute")
}

// demoHistory seeds the demo shop's past: 40 shoppers and 150 orders over the last 90 days, the
// same each time (a fixed seed). Orders paid in the last three days wait to be shipped.
func demoHistory(ctx context.Context, shop *models.ShopData) error {
	rnd := rand.New(rand.NewPCG(2026, 12))
	if err := shop.SeedShoppers(ctx, 40, rnd, nil); err != nil {
		return fmt.Errorf("the demo's past shoppers: %w", err)
	}
	if err := shop.SeedOrders(ctx, 150, rnd, nil); err != nil {
		return fmt.Errorf("the demo's past orders: %w", err)
	}
	return nil
}

type demoPlayer struct {
	sandbox *sandbox.Control
	store   *models.Store
}

func (d *demoPlayer) play(ctx context.Context) error {
	variants, err := d.variants(ctx, 3)
	if err != nil {
		return err
	}
	maya, err := d.shopper(ctx, "Maya Rivera", "en_US")
	if err != nil {
		return err
	}
	if err := d.sandbox.Say(ctx, demo.PageID, maya, "hi"); err != nil {
		return err
	}
	if _, err := d.buyAndPay(ctx, maya, variants[0]); err != nil {
		return err
	}
	lee, err := d.shopper(ctx, "Lee Nguyen", "en_CA")
	if err != nil {
		return err
	}
	if err := d.sandbox.Say(ctx, demo.PageID, lee, "Do you ship to Canada? I need it by Friday."); err != nil {
		return err
	}
	sam, err := d.shopper(ctx, "Sam Patel", "en_US")
	if err != nil {
		return err
	}
	capture, err := d.buyAndPay(ctx, sam, variants[1])
	if err != nil {
		return err
	}
	chloe, err := d.shopper(ctx, "Chloe Martin", "en_GB")
	if err != nil {
		return err
	}
	if err := d.buy(ctx, chloe, variants[2]); err != nil {
		return err
	}
	return d.sandbox.OpenDispute(ctx, capture, "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", "It has been three weeks and nothing arrived.")
}

// variants are n of the demo shop's offered variants in stock, the cheapest first.
func (d *demoPlayer) variants(ctx context.Context, n int) ([]int64, error) {
	rows, err := d.store.ReaderDB().QueryContext(ctx, `SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id
		WHERE p.offered AND v.inventory_qty > 0 ORDER BY v.price_minor, v.id LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	if len(out) < n {
		return nil, fmt.Errorf("the demo shop offers %d variants in stock, %d needed", len(out), n)
	}
	return out, rows.Err()
}

func (d *demoPlayer) shopper(ctx context.Context, name, locale string) (string, error) {
	return d.sandbox.CreateShopper(ctx, demo.PageID, name, locale)
}

// buy taps Buy on the variant in the bot's carousel.
func (d *demoPlayer) buy(ctx context.Context, psid string, variant int64) error {
	return d.sandbox.Tap(ctx, demo.PageID, psid, "Buy", fmt.Sprintf("BUY:%d", variant))
}

// buyAndPay taps Buy, waits for the bot's PayPal button, approves as the sandbox's default buyer,
// and waits for the payment; it returns the capture id.
func (d *demoPlayer) buyAndPay(ctx context.Context, psid string, variant int64) (string, error) {
	if err := d.buy(ctx, psid, variant); err != nil {
		return "", err
	}
	order, err := d.await(ctx, psid, "o.paypal_order_id", "o.paypal_order_id <> ''")
	if err != nil {
		return "", fmt.Errorf("the PayPal order: %w", err)
	}
	if err := d.sandbox.Approve(ctx, order); err != nil {
		return "", err
	}
	capture, err := d.await(ctx, psid, "o.capture_id", "o.status = 'paid' AND o.capture_id <> ''")
	if err != nil {
		return "", fmt.Errorf("the payment: %w", err)
	}
	return capture, nil
}

// await polls the shopper's latest order until it matches where, and returns the column.
func (d *demoPlayer) await(ctx context.Context, psid, column, where string) (string, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		var v string
		err := d.store.ReaderDB().QueryRowContext(ctx, `SELECT `+column+` FROM orders o JOIN shoppers s ON s.id = o.shopper_id
			WHERE s.psid = $1 AND `+where+` ORDER BY o.id DESC LIMIT 1`, psid).Scan(&v)
		if err == nil {
			return v, nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("not there after 30 s: %w", err)
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
