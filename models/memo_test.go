package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models/modelstest"
)

// The overview's figures are reused while the shop does not change, read again after a change
// committed in this process, and after figuresFresh whatever happened elsewhere.
func TestFiguresAreReusedUntilTheShopChanges(t *testing.T) {
	ctx := context.Background()
	clock := modelstest.NewClock()
	s := modelstest.OpenWithClock(t, clock)
	if _, err := demo.Ensure(ctx, s); err != nil {
		t.Fatal(err)
	}
	shopID, err := s.DemoShopID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	shop := s.ForShop(shopID)
	open := func() int64 {
		t.Helper()
		f, err := shop.Figures(ctx, 30)
		if err != nil {
			t.Fatal(err)
		}
		return f.OpenConversations
	}
	if n := open(); n != 0 {
		t.Fatalf("a new shop has %d open conversations", n)
	}
	// Written behind the store's back, as another process would: not seen at once.
	var id int64
	err = s.WriterDB().QueryRow(`INSERT INTO shoppers (shop_id, page_id, psid, name, needs_human, unread, first_seen_at, last_seen_at)
		VALUES ($1, 'p', 'psid-1', 'Ana', TRUE, 1, $2, $3) RETURNING id`, shopID, clock.Now(), clock.Now()).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	if n := open(); n != 0 {
		t.Fatalf("figures were read again without a change: %d open conversations", n)
	}
	clock.Advance(11 * time.Second)
	if n := open(); n != 1 {
		t.Fatalf("after 11 s: %d open conversations, want 1", n)
	}

	if _, err := s.WriterDB().Exec("UPDATE shoppers SET needs_human = FALSE WHERE shop_id = $1", shopID); err != nil {
		t.Fatal(err)
	}
	// Reading the conversation marks it read: a change of the shop, committed in this process.
	if _, err := shop.Conversation(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	if n := open(); n != 0 {
		t.Fatalf("after a change: %d open conversations, want 0", n)
	}
}
