package models_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/live"
	"github.com/chatshop/chatshop/models/modelstest"
)

// On PostgreSQL, a change one process commits reaches the live pages of another, and the values
// the other keeps are read again at once; the process that committed hears its change once.
func TestChangesReachOtherProcesses(t *testing.T) {
	if !modelstest.OnPostgres() {
		t.Skip("PostgreSQL only: on SQLite one process has the database")
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	path := filepath.Join(t.TempDir(), "chatshop.db")
	a, b := modelstest.OpenAt(t, path), modelstest.OpenAt(t, path) // two processes' stores
	if _, err := demo.Ensure(ctx, a); err != nil {
		t.Fatal(err)
	}
	shopID, err := a.DemoShopID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var own atomic.Int64
	a.OnChange(func(live.Change) { own.Add(1) })
	heard := make(chan live.Change, 64)
	b.OnChange(func(c live.Change) { heard <- c })
	go a.ListenForChanges(ctx, slog.Default())
	go b.ListenForChanges(ctx, slog.Default())
	openInB := func() int64 {
		f, err := b.ForShop(shopID).Figures(ctx, 30)
		if err != nil {
			t.Fatal(err)
		}
		return f.OpenConversations
	}
	if n := openInB(); n != 0 {
		t.Fatalf("a new shop has %d open conversations", n)
	}

	// Until b listens, a's changes go unheard: a shopper asks for help (written behind both
	// stores' backs) and a reads the conversation, a change of the shop, until b hears one.
	commits := 0
	deadline := time.Now().Add(10 * time.Second)
	for got := false; !got; {
		if time.Now().After(deadline) {
			t.Fatal("the other process heard no change within 10 s")
		}
		commits++
		var id int64
		err := a.WriterDB().QueryRow(`INSERT INTO shoppers (shop_id, page_id, psid, name, needs_human, unread, first_seen_at, last_seen_at)
			VALUES ($1, 'p', $2, 'Ana', TRUE, 1, now(), now()) RETURNING id`, shopID, "psid-"+time.Now().Format(time.RFC3339Nano)).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.ForShop(shopID).Conversation(ctx, id, true); err != nil {
			t.Fatal(err)
		}
		select {
		case c := <-heard:
			if c.ShopID != shopID || c.Kind != live.Chat {
				t.Fatalf("heard %+v, want a chat change of shop %d", c, shopID)
			}
			got = true
		case <-time.After(200 * time.Millisecond):
		}
	}
	if n := openInB(); n != int64(commits) {
		t.Fatalf("the other process's figures show %d open conversations, want %d", n, commits)
	}
	time.Sleep(300 * time.Millisecond) // a's own notifications, were they not skipped, would be in
	if n := own.Load(); n != int64(commits) {
		t.Fatalf("the committing process heard %d changes for %d commits", n, commits)
	}
}
