package models_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

// A search by a shopper's name lists the newest orders of the shoppers so named, page by page,
// whether the name is common enough that the shop's orders are walked (more than a thousand
// shoppers are "Aisha") or rare enough that they are gathered through the shoppers.
func TestOrdersSearchByName(t *testing.T) {
	ctx := context.Background()
	s, shopID := seededDemoShop(t, 20000, 12000, 1)
	d := s.ForShop(shopID)
	if err := s.Optimize(ctx); err != nil { // as seeding does: the planner's statistics
		t.Fatal(err)
	}
	for _, c := range []struct {
		query        string
		fewest, most int64 // shoppers so named
		status       string
	}{
		{"aisha", 1001, 20000, ""},
		{"Aisha", 1001, 20000, models.OrderPaid},
		{"aisha ch", 1, 1000, ""},
	} {
		var named int64
		if err := s.ReaderDB().QueryRow(models.Numbered("SELECT count(*) FROM shoppers WHERE shop_id = ? AND lower(name) LIKE lower(?)"), shopID, c.query+"%").Scan(&named); err != nil {
			t.Fatal(err)
		}
		if named < c.fewest || named > c.most {
			t.Fatalf("%q: %d shoppers so named; the case needs %d to %d", c.query, named, c.fewest, c.most)
		}
		want := wantNamedOrders(t, s, shopID, c.query, c.status)
		var got []int64
		var before int64
		for page := 0; page < 3; page++ {
			rows, next, err := d.OrderPage(ctx, models.OrderFilter{Query: c.query, Status: c.status, Cursor: before}, 50)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				got = append(got, r.ID)
			}
			if before = next; next == 0 {
				break
			}
		}
		if n := min(len(want), 150); !slices.Equal(got, want[:n]) {
			t.Errorf("%q (status %q): %d orders listed, want the newest %d of %d: got %v…, want %v…", c.query, c.status, len(got), n, len(want), got[:min(5, len(got))], want[:min(5, len(want))])
		}
	}
}

// wantNamedOrders are the ids of the shop's orders by shoppers whose names start with name (in
// any case), newest first.
func wantNamedOrders(t *testing.T, s *models.Store, shopID int64, name, status string) []int64 {
	t.Helper()
	rows, err := s.ReaderDB().Query(models.Numbered(`SELECT o.id FROM orders o JOIN shoppers sh ON sh.id = o.shopper_id
		WHERE o.shop_id = ? AND lower(sh.name) LIKE lower(?) AND (? = '' OR o.status = ?) ORDER BY o.id DESC`), shopID, name+"%", status, status)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		t.Fatalf("no orders by shoppers named %q: the case tests nothing", name)
	}
	return ids
}

// An order lists its shopper by the name the Messenger profile gave last, and is found by it.
func TestOrdersFollowTheirShoppersName(t *testing.T) {
	ctx := context.Background()
	s, shopID := seededDemoShop(t, 20, 60, 3)
	d := s.ForShop(shopID)
	rows, _, err := d.OrderPage(ctx, models.OrderFilter{}, 1)
	if err != nil || len(rows) != 1 || rows[0].ShopperName == "" {
		t.Fatalf("newest order: %+v, %v", rows, err)
	}
	buyer := rows[0].ShopperID
	if err := s.SetShopperProfile(buyer, "Zephyrine Quill", "fr_FR"); err != nil {
		t.Fatal(err)
	}
	named, _, err := d.OrderPage(ctx, models.OrderFilter{Query: "zephyr"}, 100)
	if err != nil || len(named) == 0 {
		t.Fatalf("orders found by the new name: %d, %v", len(named), err)
	}
	for _, r := range named {
		if r.ShopperID != buyer || r.ShopperName != "Zephyrine Quill" {
			t.Fatalf("order %d of shopper %d named %q, want shopper %d named Zephyrine Quill", r.ID, r.ShopperID, r.ShopperName, buyer)
		}
	}
	all, _, err := d.OrderPage(ctx, models.OrderFilter{ShopperID: buyer}, 100)
	if err != nil || len(all) != len(named) {
		t.Fatalf("the shopper has %d orders, %d found by name (%v)", len(all), len(named), err)
	}
}

// seededDemoShop is a new store's demo shop with shoppers and orders seeded from seed.
func seededDemoShop(t *testing.T, shoppers, orders int, seed uint64) (*models.Store, int64) {
	t.Helper()
	ctx := context.Background()
	s := modelstest.Open(t)
	if _, err := demo.Ensure(ctx, s); err != nil {
		t.Fatal(err)
	}
	shopID, err := s.DemoShopID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d, rnd := s.ForShop(shopID), rand.New(rand.NewPCG(seed, seed+1))
	if err := d.SeedShoppers(ctx, shoppers, rnd, nil); err != nil {
		t.Fatal(err)
	}
	if err := d.SeedOrders(ctx, orders, rnd, nil); err != nil {
		t.Fatal(err)
	}
	return s, shopID
}
