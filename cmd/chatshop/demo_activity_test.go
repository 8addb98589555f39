package main

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/chatshop/chatshop/bot"
	"github.com/chatshop/chatshop/models/modelstest"
)

// A new demo shop's first start gives it 90 days behind it (seeded shoppers and orders, their ids
// starting SEED), then plays shoppers through the sandbox: paid orders (waiting to ship) with
// receipts and notifications, an unpaid order, a question waiting in the inbox, and a dispute; its
// Page gets its utility templates. A second start adds nothing.
func TestNewDemoShopHasSomethingOnEveryPage(t *testing.T) {
	dataDir := t.TempDir()
	banner, stop := startServeWith(t, dataDir)
	if banner["demo activity"] == "" {
		t.Fatalf("the first start does not say shoppers play through the demo shop: %v", banner)
	}
	store := modelstest.OpenAt(t, filepath.Join(dataDir, "chatshop.db"))
	holds := func(q string) bool {
		t.Helper()
		var ok bool
		if err := store.ReaderDB().QueryRow(q).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	checks := []struct{ what, query string }{
		{"90 days of past orders", "SELECT count(*) = 150 AND min(created_at) < " + daysAgo(60) + " FROM orders WHERE paypal_order_id LIKE 'SEED-%'"},
		{"past shoppers", "SELECT count(*) = 40 FROM shoppers WHERE psid LIKE 'SEED%'"},
		{"paid orders waiting to ship", "SELECT count(*) = 2 FROM orders WHERE status = 'paid' AND fulfilment = '' AND paypal_order_id NOT LIKE 'SEED-%'"},
		{"the Page's approved utility templates", fmt.Sprintf("SELECT count(*) = %d FROM message_templates WHERE status = 'APPROVED'", len(bot.UtilityTemplates))},
		{"an unpaid order", "SELECT count(*) = 1 FROM orders WHERE status = 'pending'"},
		{"a question for the team", "SELECT count(*) = 1 FROM shoppers WHERE needs_human AND psid NOT LIKE 'SEED%'"},
		{"receipts in Messenger", `SELECT count(*) = 2 FROM sandbox_messages WHERE sender = 'page' AND message LIKE '%"template_type":"receipt"%'`},
		{"a dispute", "SELECT count(*) = 1 FROM disputes WHERE order_id IS NOT NULL"},
		{"payment and dispute notifications", "SELECT count(*) >= 3 FROM payment_notifications"},
	}
	deadline := time.Now().Add(60 * time.Second)
	for _, c := range checks {
		for !holds(c.query) {
			if time.Now().After(deadline) {
				t.Fatalf("the new demo shop lacks %s", c.what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	// A second start plays nobody through the shop: it says so before it serves.
	banner, stop = startServeWith(t, dataDir)
	if activity, ok := banner["demo activity"]; ok || banner["listening on"] == "" {
		t.Fatalf("the second start: demo activity %q, banner %v", activity, banner)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !holds("SELECT count(*) = 153 FROM orders") {
		t.Fatal("after a second start the demo's orders are not its 150 past ones and 3 new")
	}
}

// daysAgo is the time n days ago as a SQL literal both databases compare with created_at.
func daysAgo(n int) string {
	return "'" + time.Now().UTC().AddDate(0, 0, -n).Format("2006-01-02 15:04:05") + "'"
}
