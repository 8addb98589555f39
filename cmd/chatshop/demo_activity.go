package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/chatshop/chatshop/models"
)

// demoActivity gives a new demo shop something on every page. It plays a few shoppers through the
// sandbox over the server's own HTTP, as a person in the sandbox's chat and on PayPal's pages
// would: two buy and pay (receipts, payment notifications, the overview's sales), one asks a
// question the bot hands to the team (the inbox), one leaves an order unpaid, and one buyer opens
// a dispute on their payment (the dispute pages). It stops at the first failure, which it logs.
func demoActivity(ctx context.Context, base string, store *models.Store, logger *slog.Logger) {
	d := &demoPlayer{base: base, store: store, c: &http.Client{Timeout: 15 * time.Second}}
	if err := d.play(ctx); err != nil {
		if ctx.Err() == nil {
			logger.Warn("demo activity stopped", "err", err)
		}
		return
	}
	logger.Info("demo activity done: shoppers, orders, a conversation for the team and a dispute")
}

type demoPlayer struct {
	base  string
	store *models.Store
	c     *http.Client
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
	if err := d.say(ctx, maya, `"text":"hi"`); err != nil {
		return err
	}
	if _, err := d.buyAndPay(ctx, maya, variants[0]); err != nil {
		return err
	}
	lee, err := d.shopper(ctx, "Lee Nguyen", "en_CA")
	if err != nil {
		return err
	}
	if err := d.say(ctx, lee, `"text":"Do you ship to Canada? I need it by Friday."`); err != nil {
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
	if err := d.say(ctx, chloe, fmt.Sprintf(`"postback":{"title":"Buy","payload":"BUY:%d"}`, variants[2])); err != nil {
		return err
	}
	return d.post(ctx, "/sandbox/paypal/api/disputes", fmt.Sprintf(`{"capture_id":%q,"reason":"MERCHANDISE_OR_SERVICE_NOT_RECEIVED","message":"It has been three weeks and nothing arrived."}`, capture), nil)
}

// variants are n of the demo shop's offered variants in stock, the cheapest first.
func (d *demoPlayer) variants(ctx context.Context, n int) ([]int64, error) {
	rows, err := d.store.ReaderDB().QueryContext(ctx, `SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id
		WHERE p.offered AND v.inventory_qty > 0 ORDER BY v.price_minor, v.id LIMIT ?`, n)
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
	var out struct{ PSID string }
	err := d.post(ctx, "/sandbox/messenger/api/shoppers", fmt.Sprintf(`{"page_id":%q,"name":%q,"locale":%q}`, models.DemoPageID, name, locale), &out)
	return out.PSID, err
}

// say sends what the shopper writes or taps (the JSON fields of the control API's send).
func (d *demoPlayer) say(ctx context.Context, psid, what string) error {
	return d.post(ctx, "/sandbox/messenger/api/send", fmt.Sprintf(`{"page_id":%q,"psid":%q,%s}`, models.DemoPageID, psid, what), nil)
}

// buyAndPay taps Buy, waits for the bot's PayPal button, approves as the sandbox's default buyer,
// and waits for the payment; it returns the capture id.
func (d *demoPlayer) buyAndPay(ctx context.Context, psid string, variant int64) (string, error) {
	if err := d.say(ctx, psid, fmt.Sprintf(`"postback":{"title":"Buy","payload":"BUY:%d"}`, variant)); err != nil {
		return "", err
	}
	order, err := d.await(ctx, psid, "o.paypal_order_id", "o.paypal_order_id <> ''")
	if err != nil {
		return "", fmt.Errorf("the PayPal order: %w", err)
	}
	if err := d.post(ctx, "/sandbox/paypal/api/approve", fmt.Sprintf(`{"order_id":%q}`, order), nil); err != nil {
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
			WHERE s.psid = ? AND `+where+` ORDER BY o.id DESC LIMIT 1`, psid).Scan(&v)
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

// post sends JSON to the sandbox's control API and decodes the answer into out.
func (d *demoPlayer) post(ctx context.Context, path, body string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.base+path, bytes.NewReader([]byte(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := d.c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s: HTTP %d", path, res.StatusCode)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(res.Body).Decode(out)
}
