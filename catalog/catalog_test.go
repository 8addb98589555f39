package catalog_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/catalog"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/shopify"
)

const baseURL = "http://127.0.0.1:8080"

func newShop(t *testing.T, s *models.Store, email string) catalog.Shop {
	t.Helper()
	shop := &models.Shop{Name: "Shop of " + email, Currency: "USD", AllowedCountries: "US"}
	if err := s.CreateShopWithOwner(context.Background(), shop, &models.User{Email: email, Name: "O", PasswordHash: "x"}, ""); err != nil {
		t.Fatal(err)
	}
	return catalog.Shop{Data: s.ForShop(shop.ID), Currency: "USD", BaseURL: baseURL}
}

func sample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../shopify/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// importFile runs the dry run, confirms it and runs it, as the dashboard and the worker do.
func importFile(t *testing.T, shop catalog.Shop, data []byte) *models.CatalogImport {
	t.Helper()
	ctx := context.Background()
	imp, err := catalog.DryRun(ctx, shop, "products.csv", data, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := shop.Data.QueueImport(ctx, imp.ID, models.Actor{}, func(context.Context, *models.Tx, int64) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := catalog.Run(ctx, shop, imp.ID); err != nil {
		t.Fatal(err)
	}
	done, err := shop.Data.Import(ctx, imp.ID)
	if err != nil {
		t.Fatal(err)
	}
	return done
}

// dump writes the catalog as text, every field that an import sets, ids left out.
func dump(t *testing.T, shop catalog.Shop) string {
	t.Helper()
	ps, err := shop.Data.ProductsAfter(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%s|%s|%s|%s|%s|%s|%s|%v\n", p.Handle, p.Title, p.DescriptionHTML, p.Vendor, p.ProductType, p.Tags, p.Status, p.Options())
		for _, v := range p.Variants {
			cmp := "-"
			if v.CompareAtMinor != nil {
				cmp = fmt.Sprint(*v.CompareAtMinor)
			}
			fmt.Fprintf(&b, "  v %s|%s|%s|%d %s|%s|%d|%s|%d%s|%s\n", v.Title, v.SKU, v.Barcode, v.PriceMinor, v.Currency, cmp,
				v.InventoryQty, v.InventoryPolicy, v.WeightGrams, v.WeightUnit, v.ImageSrc)
		}
		for _, img := range p.Images {
			fmt.Fprintf(&b, "  i %d|%s|%s\n", img.Position, img.Path(), img.Alt)
		}
	}
	return b.String()
}

func TestSamplesImportExactly(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string // lines the catalog must hold
		n    int
	}{
		{"product_template_classic.csv", []string{
			"example-t-shirt|Example T-Shirt||Acme|Shirts|mens t-shirt example|active|[Title]",
			`  v Lithograph - Height: 9" x Width: 12"|||2500 USD|-|0|deny|3629g|`,
			"  v Small|example-shirt-s||1999 USD|2499|0|deny|200g|",
			"  v Medium|example-shirt-m||1999 USD|2499|0|deny|200g|",
			"  i 1|https://cdn.shopify.com/s/images/shopify_shirt.png?e6948ca4d9028f9e734b8202cc472e3b89aae0f3|",
		}, 1},
		{"product_template_current.csv", []string{
			"physical-product-the-band-t-shirt|Physical Product “The Band” T-Shirt|",
			"|Harmony Threads|Graphic shirt|Unisex, Clothing, Men, Women, Casual, Vintage|active|[Size Color]",
			"  v Small / green|TheBandTShirt-SG|5784397765|1999 USD|2499|47|deny|150g|",
			"  v XL / red|TheBandTShirt-XR|5784397776|1999 USD|2499|40|deny|200g|",
			"  i 1|https://burst.shopifycdn.com/photos/forest-hiker.jpg?width=1000|Green t-shirt with The Band graphic",
			"digital-product-the-history-of-rock-music|Digital Product The History of Rock Music|",
			"  v Kindle|HRM-EBK-KND|978-1-98765-432-1|999 USD|1499|0|continue|",
		}, 2},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s := modelstest.Open(t)
			shop := newShop(t, s, "a@example.com")
			imp := importFile(t, shop, sample(t, tc.file))
			if imp.Status != models.ImportDone || imp.Created != tc.n || imp.Updated != 0 || len(imp.Problems()) != 0 {
				t.Fatalf("import %+v, problems %v", imp, imp.Problems())
			}
			got := dump(t, shop)
			for _, line := range tc.want {
				if !strings.Contains(got, line) {
					t.Errorf("catalog lacks %q:\n%s", line, got)
				}
			}
			if tc.n == 2 && strings.Count(got, "\n  v ") != 15 {
				t.Errorf("want 12 + 3 variants:\n%s", got)
			}

			// Export, then import the export into the same catalog and into a new shop: same catalog.
			var out bytes.Buffer
			if n, err := catalog.Export(context.Background(), shop, &out); err != nil || n != tc.n {
				t.Fatalf("export %d, %v", n, err)
			}
			again := importFile(t, shop, out.Bytes())
			if again.Updated != tc.n || again.Created != 0 || dump(t, shop) != got {
				t.Fatalf("re-import changed the catalog (%+v):\nbefore\n%s\nafter\n%s", again, got, dump(t, shop))
			}
			fresh := newShop(t, s, "b@example.com")
			importFile(t, fresh, out.Bytes())
			if dump(t, fresh) != got {
				t.Fatalf("the export imported elsewhere differs:\n%s\nvs\n%s", dump(t, fresh), got)
			}
		})
	}
}

func TestAFileWithErrorsChangesNothingUntilConfirmedThenOnlyTheValidPart(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	shop := newShop(t, s, "a@example.com")
	importFile(t, shop, []byte("Handle,Title,Variant SKU,Variant Price\nkeep,Keep,KEEP-1,5.00\n"))
	csv := "Handle,Title,Variant SKU,Variant Price\n" +
		"good,Good Cap,CAP-1,24.00\n" +
		"bad-price,Bad Price,BP-1,12.5x\n" +
		"taken,Taken SKU,KEEP-1,3.00\n" +
		"keep,Keep renamed,KEEP-1,6.00\n"
	imp, err := catalog.DryRun(ctx, shop, "mixed.csv", []byte(csv), 0)
	if err != nil {
		t.Fatal(err)
	}
	lines := map[int]bool{}
	for _, p := range imp.Problems() {
		lines[p.Line] = true
	}
	if imp.ToCreate != 1 || imp.ToUpdate != 1 || imp.ToSkip != 2 || !lines[3] || !lines[4] || len(lines) != 2 {
		t.Fatalf("dry run %+v, problems %v", imp, imp.Problems())
	}
	if page, _ := shop.Data.ListProducts(ctx, models.ProductFilter{}); len(page.Products) != 1 {
		t.Fatal("the dry run changed the catalog")
	}
	if err := shop.Data.QueueImport(ctx, imp.ID, models.Actor{}, func(context.Context, *models.Tx, int64) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := shop.Data.QueueImport(ctx, imp.ID, models.Actor{}, func(context.Context, *models.Tx, int64) error { return nil }); !errors.Is(err, models.ErrImportStarted) {
		t.Fatalf("confirming twice: %v", err)
	}
	if err := catalog.Run(ctx, shop, imp.ID); err != nil {
		t.Fatal(err)
	}
	got := dump(t, shop)
	if !strings.Contains(got, "good|Good Cap") || !strings.Contains(got, "keep|Keep renamed") || strings.Contains(got, "bad-price") || strings.Contains(got, "taken|") {
		t.Fatalf("catalog after the valid part:\n%s", got)
	}
	// Running again (a retry after a crash) changes nothing.
	if err := catalog.Run(ctx, shop, imp.ID); err != nil || dump(t, shop) != got {
		t.Fatalf("second run: %v", err)
	}
}

func TestNotACSVIsRefusedWithAReason(t *testing.T) {
	s := modelstest.Open(t)
	shop := newShop(t, s, "a@example.com")
	_, err := catalog.DryRun(context.Background(), shop, "photo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0)
	if !errors.Is(err, shopify.ErrNotCSV) {
		t.Fatalf("png: %v", err)
	}
}
