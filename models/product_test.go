package models_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

func newShop(t *testing.T, s *models.Store, email string) *models.Shop {
	t.Helper()
	shop := &models.Shop{Name: "Shop of " + email, Currency: "USD", AllowedCountries: "US"}
	if err := s.CreateShopWithOwner(context.Background(), shop, &models.User{Email: email, Name: "O", PasswordHash: "x"}, ""); err != nil {
		t.Fatal(err)
	}
	return shop
}

func TestListProductsPagesByKeysetWithinOneShop(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	a, b := newShop(t, s, "a@example.com"), newShop(t, s, "b@example.com")
	for i := 1; i <= 5; i++ {
		for _, shop := range []*models.Shop{a, b} {
			p := &models.Product{ShopID: 999, Handle: fmt.Sprintf("p%d", i), Title: fmt.Sprintf("%s %d", shop.Name, i), Status: models.ProductActive,
				Variants: []models.Variant{{Title: "Default Title", PriceMinor: int64(i * 100), Currency: "USD", InventoryPolicy: "deny"}}}
			if err := s.ForShop(shop.ID).CreateProduct(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	var titles []string
	before := int64(0)
	for pages := 0; ; pages++ {
		page, err := s.ForShop(a.ID).ListProducts(ctx, before, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Products {
			if p.ShopID != a.ID || len(p.Variants) != 1 || p.Variants[0].ShopID != a.ID {
				t.Fatalf("shop A's list holds %+v", p)
			}
			titles = append(titles, p.Title)
		}
		if page.NextBefore == 0 {
			if pages != 2 {
				t.Fatalf("%d pages, want 3 of at most 2", pages+1)
			}
			break
		}
		before = page.NextBefore
	}
	want := fmt.Sprint([]string{a.Name + " 5", a.Name + " 4", a.Name + " 3", a.Name + " 2", a.Name + " 1"})
	if fmt.Sprint(titles) != want {
		t.Fatalf("titles %v, want %v", titles, want)
	}
}

func TestCountProductsAndStock(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	if _, err := s.EnsureDemo(ctx); err != nil {
		t.Fatal(err)
	}
	owner, _ := s.UserByEmail(ctx, models.DemoOwnerEmail)
	ms, _ := s.MembershipsOf(ctx, owner.ID)
	shop := s.ForShop(ms[0].ShopID)
	counts, err := shop.CountProducts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts != (models.ProductCounts{Active: 6, Draft: 1, Archived: 1}) {
		t.Fatalf("counts = %+v", counts)
	}
	// The rain shell's L is sold out; the draft bottle's empty stock does not count.
	if n, err := shop.CountOutOfStockVariants(ctx); err != nil || n != 1 {
		t.Fatalf("out of stock = %d, %v; want 1", n, err)
	}
	other := newShop(t, s, "other@example.com")
	if counts, _ := s.ForShop(other.ID).CountProducts(ctx); counts != (models.ProductCounts{}) {
		t.Fatalf("a new shop sees %+v of another shop's products", counts)
	}
}

func TestMoneyString(t *testing.T) {
	for _, tc := range []struct {
		m    models.Money
		want string
	}{
		{models.Money{Minor: 123450, Currency: "USD"}, "$1,234.50"},
		{models.Money{Minor: 0, Currency: "USD"}, "$0.00"},
		{models.Money{Minor: 1500, Currency: "JPY"}, "¥1,500"},
		{models.Money{Minor: 1999, Currency: "EUR"}, "€19.99"},
	} {
		if got := tc.m.String(); got != tc.want {
			t.Errorf("%+v = %q, want %q", tc.m, got, tc.want)
		}
	}
}
