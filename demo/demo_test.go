package demo_test

import (
	"context"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

// The demo is the logins, a shop with a catalog whose products have pictures, and connections to
// the emulators' Page and merchant; made once, and a Page its owner disconnected stays so.
func TestEnsureMakesTheDemoOnce(t *testing.T) {
	ctx := context.Background()
	store := modelstest.Open(t)
	if created, err := demo.Ensure(ctx, store); err != nil || !created {
		t.Fatalf("first Ensure: created=%v err=%v", created, err)
	}
	admin, err := store.UserByEmail(ctx, demo.AdminEmail)
	if err != nil || !admin.IsAdmin {
		t.Fatalf("admin %+v %v", admin, err)
	}
	shopID, err := store.DemoShopID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	shop := store.ForShop(shopID)
	products, err := shop.ProductsAfter(ctx, 0, 50)
	if err != nil || len(products) != 8 {
		t.Fatalf("%d products, %v", len(products), err)
	}
	for _, p := range products {
		if p.ImageCount != 1 {
			t.Errorf("%s has %d pictures", p.Title, p.ImageCount)
		}
	}
	conns, err := shop.Connections(ctx)
	if err != nil || !conns.PageReady() || conns.Page.PageID != demo.PageID || conns.PayPal == nil || conns.PayPal.MerchantID != demo.MerchantID {
		t.Fatalf("connections %+v %v", conns, err)
	}

	owner, _ := store.UserByEmail(ctx, demo.OwnerEmail)
	if err := shop.DisconnectPage(ctx, models.Actor{UserID: owner.ID}, nil); err != nil {
		t.Fatal(err)
	}
	if created, err := demo.Ensure(ctx, store); err != nil || created {
		t.Fatalf("second Ensure: created=%v err=%v, want nothing created", created, err)
	}
	if conns, _ := shop.Connections(ctx); conns.Page != nil {
		t.Fatal("the demo Page its owner disconnected was connected again")
	}
	if products, _ := shop.ProductsAfter(ctx, 0, 50); len(products) != 8 {
		t.Fatalf("after a second Ensure: %d products", len(products))
	}
}
