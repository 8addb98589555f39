package models_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/catalog"
	"github.com/chatshop/chatshop/imaging"
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

// product builds a valid product with one variant per value of a Size option (none: a default variant).
func product(title, vendor, tags string, cents int64, qty int64, sizes ...string) *models.Product {
	p := &models.Product{Title: title, Vendor: vendor, Tags: tags, Status: models.ProductActive}
	if len(sizes) > 0 {
		p.Option1Name = "Size"
	}
	sku := strings.ToUpper(models.Slugify(title))
	for _, size := range append([]string{}, sizes...) {
		v := models.Variant{SKU: sku + "-" + size, PriceMinor: cents, InventoryQty: qty}
		v.SetOptionValues([]string{size})
		p.Variants = append(p.Variants, v)
	}
	if len(sizes) == 0 {
		p.Variants = []models.Variant{{SKU: sku, PriceMinor: cents, InventoryQty: qty}}
	}
	return p
}

func mustCreate(t *testing.T, d *models.ShopData, p *models.Product) *models.Product {
	t.Helper()
	if errs := p.Validate("USD"); errs != nil {
		t.Fatalf("invalid %s: %v", p.Title, errs)
	}
	if err := d.CreateProduct(context.Background(), p, models.Actor{}); err != nil {
		t.Fatalf("create %s: %v", p.Title, err)
	}
	return p
}

func titlesOf(ps []models.ProductSummary) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Title)
	}
	return out
}

func TestListProductsPagesEveryOrderWithinOneShop(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	a, b := s.ForShop(newShop(t, s, "a@example.com").ID), s.ForShop(newShop(t, s, "b@example.com").ID)
	for i, title := range []string{"delta", "Alpha", "charlie", "Bravo", "echo"} {
		mustCreate(t, a, product(title, "V", "", int64(500-i*100), 3))
		mustCreate(t, b, product("other "+title, "V", "", 100, 3))
	}
	for _, tc := range []struct {
		sort models.ProductSort
		want string
	}{
		{models.SortNewest, "[echo Bravo charlie Alpha delta]"},
		{models.SortOldest, "[delta Alpha charlie Bravo echo]"},
		{models.SortTitle, "[Alpha Bravo charlie delta echo]"},
		{models.SortTitleDesc, "[echo delta charlie Bravo Alpha]"},
		{models.SortPriceLow, "[echo Bravo charlie Alpha delta]"},
		{models.SortPriceHigh, "[delta Alpha charlie Bravo echo]"},
	} {
		t.Run(string(tc.sort), func(t *testing.T) {
			var titles []string
			after, pages := "", 0
			for {
				page, err := a.ListProducts(ctx, models.ProductFilter{Sort: tc.sort, After: after, Limit: 2})
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, p := range page.Products {
					if p.ShopID != a.ShopID() {
						t.Fatalf("shop A's list holds %+v", p)
					}
				}
				titles = append(titles, titlesOf(page.Products)...)
				if page.Next == "" {
					break
				}
				after = page.Next
			}
			if fmt.Sprint(titles) != tc.want || pages != 3 {
				t.Fatalf("%d pages of %v, want 3 pages of %s", pages, titles, tc.want)
			}
		})
	}
	if _, err := a.ListProducts(ctx, models.ProductFilter{Sort: models.SortTitle, After: "not-a-cursor"}); !errors.Is(err, models.ErrInvalid) {
		t.Fatalf("mangled cursor: %v, want ErrInvalid", err)
	}
}

func TestSearchAndFiltersFindTheRightProducts(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	d := s.ForShop(newShop(t, s, "a@example.com").ID)
	other := s.ForShop(newShop(t, s, "b@example.com").ID)
	mustCreate(t, d, product("Merino Crew Socks", "Lakeside", "wool, Bestseller", 1800, 30, "S", "M"))
	mustCreate(t, d, product("Wool Blanket", "Juniper Home", "wool, winter", 14500, 2))
	mustCreate(t, d, product("Trail Cap", "Lakeside", "summer", 2400, 50))
	draft := product("Rain Shell", "Harbor", "rain", 8900, 0)
	draft.Status = models.ProductDraft
	mustCreate(t, d, draft)
	mustCreate(t, other, product("Merino Secret Socks", "Lakeside", "wool", 100, 1))
	for _, tc := range []struct {
		name string
		f    models.ProductFilter
		want string
	}{
		{"title word prefix", models.ProductFilter{Query: "meri"}, "[Merino Crew Socks]"},
		{"every word must match", models.ProductFilter{Query: "wool blank"}, "[Wool Blanket]"},
		{"tag", models.ProductFilter{Query: "winter"}, "[Wool Blanket]"},
		{"vendor", models.ProductFilter{Query: "juniper"}, "[Wool Blanket]"},
		{"sku with punctuation", models.ProductFilter{Query: "MERINO-CREW-SOCKS-M"}, "[Merino Crew Socks]"},
		{"nothing", models.ProductFilter{Query: "kayak"}, "[]"},
		{"only punctuation is no search", models.ProductFilter{Query: `"*-`}, "[Rain Shell Trail Cap Wool Blanket Merino Crew Socks]"},
		{"status", models.ProductFilter{Status: models.ProductDraft}, "[Rain Shell]"},
		{"vendor filter", models.ProductFilter{Vendor: "Lakeside"}, "[Trail Cap Merino Crew Socks]"},
		{"tag filter ignores case", models.ProductFilter{Tag: "bestseller"}, "[Merino Crew Socks]"},
		{"low stock", models.ProductFilter{LowStock: true}, "[Rain Shell Wool Blanket]"},
		{"search and filter", models.ProductFilter{Query: "wool", LowStock: true}, "[Wool Blanket]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := d.ListProducts(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(titlesOf(page.Products)); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
	facets, err := d.ProductFacets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(facets.Vendors, facets.Tags); got != "[Harbor Juniper Home Lakeside] [Bestseller rain summer winter wool]" {
		t.Fatalf("facets %s", got)
	}
}

func TestOptimizeMergesTheSearchIndex(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	if s.Postgres() {
		t.Skip("PostgreSQL keeps its search index (GIN) itself")
	}
	d := s.ForShop(newShop(t, s, "a@example.com").ID)
	for i := range 6 {
		mustCreate(t, d, product(fmt.Sprintf("Merino Sock %d", i), "Lakeside", "wool", 1800, 3))
	}
	segments := func() (n int) {
		t.Helper()
		if err := s.ReaderDB().QueryRowContext(ctx, "SELECT count(*) FROM products_fts_segdir WHERE level < 1024").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := segments(); n != 6 {
		t.Fatalf("%d segments before, want one a product written", n)
	}
	if err := s.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	if n := segments(); n != 1 {
		t.Fatalf("%d segments after Optimize, want 1", n)
	}
	page, err := d.ListProducts(ctx, models.ProductFilter{Query: "meri sock"})
	if err != nil || len(page.Products) != 6 {
		t.Fatalf("search after merging: %d products, %v", len(page.Products), err)
	}
	if err := s.Optimize(ctx); err != nil || segments() != 1 {
		t.Fatalf("Optimize again: %v, %d segments", err, segments())
	}
}

func TestUpdateProductRefusesAStaleEditAndKeepsVariantIDs(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	d := s.ForShop(newShop(t, s, "a@example.com").ID)
	p := mustCreate(t, d, product("Socks", "V", "", 1800, 5, "S", "M", "L"))
	keepID := p.Variants[1].ID

	mine, _ := d.GetProduct(ctx, p.ID)
	theirs, _ := d.GetProduct(ctx, p.ID)
	theirs.Title = "Socks (theirs)"
	if err := d.UpdateProduct(ctx, theirs, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	mine.Title = "Socks (mine)"
	if err := d.UpdateProduct(ctx, mine, models.Actor{}); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("stale edit: %v, want ErrConflict", err)
	}

	fresh, _ := d.GetProduct(ctx, p.ID)
	fresh.Variants = []models.Variant{fresh.Variants[1], {SKU: "SOCKS-XL", PriceMinor: 2000}}
	fresh.Variants[1].SetOptionValues([]string{"XL"})
	if errs := fresh.Validate("USD"); errs != nil {
		t.Fatal(errs)
	}
	if err := d.UpdateProduct(ctx, fresh, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	got, _ := d.GetProduct(ctx, p.ID)
	if got.Title != "Socks (theirs)" || len(got.Variants) != 2 || got.Variants[0].ID != keepID ||
		got.Variants[1].Title != "XL" || got.VariantCount != 2 || got.PriceMaxMinor != 2000 || got.Version != 3 {
		t.Fatalf("after edit: %+v", got)
	}
	if err := s.ForShop(newShop(t, s, "b@example.com").ID).UpdateProduct(ctx, got, models.Actor{}); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another shop's edit: %v, want ErrNotFound", err)
	}
}

func TestHandleAndSKUBelongToOneProduct(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	d := s.ForShop(newShop(t, s, "a@example.com").ID)
	mustCreate(t, d, product("Cap", "V", "", 100, 1))
	var taken *models.TakenError
	dup := product("Cap", "V", "", 100, 1)
	dup.Variants[0].SKU = "OTHER"
	dup.Validate("USD")
	if err := d.CreateProduct(ctx, dup, models.Actor{}); !errors.As(err, &taken) || taken.Field != "handle" || !errors.Is(err, models.ErrConflict) {
		t.Fatalf("same handle: %v", err)
	}
	sku := product("Hat", "V", "", 100, 1)
	sku.Variants[0].SKU = "CAP"
	sku.Validate("USD")
	if err := d.CreateProduct(ctx, sku, models.Actor{}); !errors.As(err, &taken) || taken.Field != "sku" || taken.Product != "Cap" {
		t.Fatalf("same SKU: %v", err)
	}
	// Another shop may use both.
	mustCreate(t, s.ForShop(newShop(t, s, "b@example.com").ID), product("Cap", "V", "", 100, 1))
}

func TestValidateReportsEveryField(t *testing.T) {
	p := &models.Product{Title: " ", Status: "sold", Option2Name: "Color", Variants: []models.Variant{{PriceMinor: -1, InventoryPolicy: "maybe"}}}
	errs := p.Validate("USD")
	for _, field := range []string{"title", "status", "options", "variants.0.price", "variants.0.policy"} {
		if errs[field] == "" {
			t.Errorf("no error for %s in %v", field, errs)
		}
	}
	two := product("Socks", "V", "", 100, 1, "S", "S")
	if errs := two.Validate("USD"); errs["variants.1.options"] == "" {
		t.Fatalf("duplicate option values: %v", errs)
	}
}

func TestDescriptionsAreSanitized(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	d := s.ForShop(newShop(t, s, "a@example.com").ID)
	p := product("Cap", "V", "", 100, 1)
	p.DescriptionHTML = `<p onclick="steal()">Soft <b>cotton</b><script>alert(1)</script></p><a href="javascript:alert(1)">x</a>`
	mustCreate(t, d, p)
	got, _ := d.GetProduct(ctx, p.ID)
	if got.DescriptionHTML != "<p>Soft <b>cotton</b></p>x" {
		t.Fatalf("description kept %q", got.DescriptionHTML)
	}
}

func TestImagesOrderAndMakeAProductOffered(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	d := s.ForShop(newShop(t, s, "a@example.com").ID)
	p := mustCreate(t, d, product("Cap", "V", "", 100, 1))
	if p2, _ := d.GetProduct(ctx, p.ID); p2.Offered {
		t.Fatal("offered without an image")
	}
	var ids []int64
	for i, hue := range []int{0, 120, 240} {
		prepared, err := imaging.Prepare(context.Background(), imaging.Placeholder(fmt.Sprint("Cap ", i), hue))
		if err != nil {
			t.Fatal(err)
		}
		img, err := d.AddProductImage(ctx, p.ID, catalog.ImageBlob(prepared), fmt.Sprint("view ", i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, img.ID)
	}
	if err := d.MoveProductImage(ctx, p.ID, ids[2], -1); err != nil {
		t.Fatal(err)
	}
	if err := d.DeleteProductImage(ctx, p.ID, ids[0]); err != nil {
		t.Fatal(err)
	}
	got, _ := d.GetProduct(ctx, p.ID)
	if len(got.Images) != 2 || got.Images[0].ID != ids[2] || got.Images[0].Position != 1 || got.ImageCount != 2 || !got.Offered {
		t.Fatalf("images %+v, offered %v", got.Images, got.Offered)
	}
	blob, err := s.ImageBlob(ctx, *got.Images[0].Digest, true)
	if err != nil || len(blob.Data) == 0 || blob.ContentType != "image/jpeg" {
		t.Fatalf("thumb: %v %v", blob.ContentType, err)
	}
	other := s.ForShop(newShop(t, s, "b@example.com").ID)
	if err := other.DeleteProductImage(ctx, p.ID, ids[1]); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another shop deleting an image: %v", err)
	}
	got.Variants[0].InventoryQty = 0
	if err := d.UpdateProduct(ctx, got, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	if sold, _ := d.GetProduct(ctx, p.ID); sold.Offered {
		t.Fatal("offered while out of stock with policy deny")
	}
}

func TestBulkStatusAndDeleteStayInTheShop(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	d := s.ForShop(newShop(t, s, "a@example.com").ID)
	other := s.ForShop(newShop(t, s, "b@example.com").ID)
	mine := mustCreate(t, d, product("Cap", "V", "", 100, 1))
	theirs := mustCreate(t, other, product("Hat", "V", "", 100, 1))
	n, err := d.SetProductsStatus(ctx, []int64{mine.ID, theirs.ID}, models.ProductArchived, models.Actor{})
	if err != nil || n != 1 {
		t.Fatalf("archived %d, %v; want 1", n, err)
	}
	n, err = d.DeleteProducts(ctx, []int64{mine.ID, theirs.ID}, models.Actor{})
	if err != nil || n != 1 {
		t.Fatalf("deleted %d, %v; want 1", n, err)
	}
	if p, err := other.GetProduct(ctx, theirs.ID); err != nil || p.Status != models.ProductActive {
		t.Fatalf("the other shop's product: %+v %v", p, err)
	}
	if page, _ := d.ListProducts(ctx, models.ProductFilter{Query: "cap"}); len(page.Products) != 0 {
		t.Fatal("a deleted product is still found by search")
	}
}

func TestProductCountsFollowEveryChange(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	d := s.ForShop(newShop(t, s, "a@example.com").ID)
	other := s.ForShop(newShop(t, s, "b@example.com").ID)
	cap := mustCreate(t, d, product("Cap", "V", "", 100, 3))
	sold := mustCreate(t, d, product("Socks", "V", "", 100, 0, "S", "M"))
	gone := mustCreate(t, d, product("Hat", "V", "", 100, 1))
	mustCreate(t, other, product("Scarf", "V", "", 100, 0))
	check := func(step string, want models.ProductCounts) {
		t.Helper()
		got, err := d.CountProducts(ctx)
		if err != nil || got != want {
			t.Fatalf("%s: counts %+v (%v), want %+v", step, got, err, want)
		}
	}
	check("created", models.ProductCounts{Active: 3, ActiveOutOfStock: 1})
	if _, err := d.SetProductsStatus(ctx, []int64{sold.ID}, models.ProductDraft, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	check("drafted", models.ProductCounts{Active: 2, Draft: 1})
	p, _ := d.GetProduct(ctx, cap.ID)
	p.Variants[0].InventoryQty = 0
	if err := d.UpdateProduct(ctx, p, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	check("sold out", models.ProductCounts{Active: 2, Draft: 1, ActiveOutOfStock: 1})
	if _, err := d.DeleteProducts(ctx, []int64{gone.ID}, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	check("deleted", models.ProductCounts{Active: 1, Draft: 1, ActiveOutOfStock: 1})
}
