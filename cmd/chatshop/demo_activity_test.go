package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models/modelstest"
)

// A new demo shop's first start plays shoppers through the sandbox: paid orders with receipts and
// notifications, an unpaid order, a question waiting in the inbox, and a dispute; a second start
// adds nothing.
func TestNewDemoShopHasSomethingOnEveryPage(t *testing.T) {
	dataDir := t.TempDir()
	_, stop := startServe(t, dataDir)
	store := modelstest.OpenAt(t, filepath.Join(dataDir, "chatshop.db"))
	count := func(q string) int {
		t.Helper()
		var n int
		if err := store.ReaderDB().QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	checks := []struct{ what, query string }{
		{"paid orders", "SELECT count(*) = 2 FROM orders WHERE status = 'paid'"},
		{"an unpaid order", "SELECT count(*) = 1 FROM orders WHERE status = 'pending'"},
		{"a question for the team", "SELECT count(*) = 1 FROM shoppers WHERE needs_human"},
		{"receipts in Messenger", `SELECT count(*) = 2 FROM sandbox_messages WHERE sender = 'page' AND message LIKE '%"template_type":"receipt"%'`},
		{"a dispute", "SELECT count(*) = 1 FROM disputes WHERE order_id IS NOT NULL"},
		{"payment and dispute notifications", "SELECT count(*) >= 3 FROM payment_notifications"},
	}
	deadline := time.Now().Add(60 * time.Second)
	for _, c := range checks {
		for count(c.query) != 1 {
			if time.Now().After(deadline) {
				t.Fatalf("the new demo shop lacks %s", c.what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	_, stop = startServe(t, dataDir)
	time.Sleep(2 * time.Second)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if n := count("SELECT count(*) FROM orders"); n != 3 {
		t.Fatalf("after a second start: %d orders, want the demo's 3", n)
	}
}
