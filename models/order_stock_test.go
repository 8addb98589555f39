package models_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chatshop/chatshop/catalog"
	"github.com/chatshop/chatshop/imaging"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

// An order takes its item's stock and gives it back when it is cancelled: the product's figures
// and whether the bot offers it follow, and it stays found by a word of its title, its tag and
// its SKU all along (a change of stock leaves the search and tag indexes as they are).
func TestOrdersMoveStockAndKeepTheProductFound(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	shop := newShop(t, s, "a@example.com")
	d := s.ForShop(shop.ID)
	p := mustCreate(t, d, product("Wool Blanket", "Juniper Home", "winter", 14500, 1))
	prepared, err := imaging.Prepare(context.Background(), imaging.Placeholder("Wool Blanket", 30))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.AddProductImage(ctx, p.ID, catalog.ImageBlob(prepared), "front"); err != nil {
		t.Fatal(err)
	}
	check := func(when string, stock int64, offered bool) {
		t.Helper()
		got, err := d.GetProduct(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.TotalInventory != stock || got.Offered != offered {
			t.Fatalf("%s: stock %d, offered %v; want %d, %v", when, got.TotalInventory, got.Offered, stock, offered)
		}
		for _, q := range []string{"blanket", "winter", "WOOL-BLANKET"} {
			page, err := d.ListProducts(ctx, models.ProductFilter{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(titlesOf(page.Products)) != "[Wool Blanket]" {
				t.Fatalf("%s: searching %q finds %v", when, q, titlesOf(page.Products))
			}
		}
	}
	check("in stock", 1, true)

	var order *models.Order
	err = s.Transaction(ctx, func(tx *models.Tx) error {
		sh, _, err := tx.TouchShopper(shop.ID, "PAGE-1", "PSID-1")
		if err != nil {
			return err
		}
		order, _, err = tx.PlaceOrder(sh, p.Variants[0].ID, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	check("the last one ordered", 0, false)

	err = s.Transaction(ctx, func(tx *models.Tx) error {
		_, cancelled, err := tx.CancelOrder(shop.ID, order.ID)
		if err == nil && !cancelled {
			err = fmt.Errorf("order %d was not cancelled", order.ID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	check("the order cancelled", 1, true)
}
