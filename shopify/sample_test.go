package shopify

import (
	"reflect"
	"testing"
)

// shirt is a variant of the current sample's T-shirt.
func shirt(line int, size, color, sku, barcode string, qty, grams int64) Variant {
	return Variant{Line: line, OptionValues: []string{size, color}, SKU: sku, Barcode: barcode,
		PriceMinor: 1999, CompareAtMinor: i64(2499), InventoryQty: qty, InventoryPolicy: "deny",
		WeightGrams: grams, WeightUnit: "g"}
}

// ebook is a variant of the current sample's eBook.
func ebook(line int, format, sku string, price int64, compare *int64) Variant {
	return Variant{Line: line, OptionValues: []string{format}, SKU: sku, Barcode: "978-1-98765-432-1",
		PriceMinor: price, CompareAtMinor: compare, InventoryPolicy: "continue"}
}

var classicWant = []Product{{
	Line: 2, Handle: "example-t-shirt", Title: "Example T-Shirt", Vendor: "Acme", ProductType: "Shirts",
	Tags: []string{"mens t-shirt example"}, Status: "active", Options: []string{"Title"},
	Variants: []Variant{
		{Line: 2, OptionValues: []string{`Lithograph - Height: 9" x Width: 12"`}, PriceMinor: 2500,
			InventoryPolicy: "deny", WeightGrams: 3629, WeightUnit: "g"},
		{Line: 3, OptionValues: []string{"Small"}, SKU: "example-shirt-s", PriceMinor: 1999, CompareAtMinor: i64(2499),
			InventoryPolicy: "deny", WeightGrams: 200, WeightUnit: "g"},
		{Line: 4, OptionValues: []string{"Medium"}, SKU: "example-shirt-m", PriceMinor: 1999, CompareAtMinor: i64(2499),
			InventoryPolicy: "deny", WeightGrams: 200, WeightUnit: "g"},
	},
	Images: []Image{{Line: 2, Position: 1,
		Src: "https://cdn.shopify.com/s/images/shopify_shirt.png?e6948ca4d9028f9e734b8202cc472e3b89aae0f3"}},
}}

var currentWant = []Product{{
	Line: 2, Handle: "physical-product-the-band-t-shirt", Title: "Physical Product “The Band” T-Shirt",
	DescriptionHTML: "Celebrate the timeless legacy of one of rock music's most influential groups with our exclusive The Band Graphic T-Shirt. Perfect for music lovers and vintage style enthusiasts, this t-shirt features a striking graphic of The Band, capturing the essence of their iconic sound and enduring spirit.",
	Vendor:          "Harmony Threads", ProductType: "Graphic shirt",
	Tags:   []string{"Unisex", "Clothing", "Men", "Women", "Casual", "Vintage"},
	Status: "active", Options: []string{"Size", "Color"},
	Variants: []Variant{
		shirt(2, "Small", "green", "TheBandTShirt-SG", "5784397765", 47, 150),
		shirt(3, "Small", "gray", "TheBandTShirt-SA", "5784397766", 42, 150),
		shirt(4, "Small", "red", "TheBandTShirt-SR", "5784397767", 51, 150),
		shirt(5, "Medium", "green", "TheBandTShirt-MG", "5784397768", 40, 177),
		shirt(6, "Medium", "gray", "TheBandTShirt-MA", "5784397769", 39, 177),
		shirt(7, "Medium", "red", "TheBandTShirt-MR", "5784397770", 56, 177),
		shirt(8, "Large", "green", "TheBandTShirt-LG", "5784397771", 50, 181),
		shirt(9, "Large", "gray", "TheBandTShirt-LA", "5784397772", 44, 181),
		shirt(10, "Large", "red", "TheBandTShirt-LR", "5784397773", 34, 181),
		shirt(11, "XL", "green", "TheBandTShirt-XG", "5784397774", 27, 200),
		shirt(12, "XL", "gray", "TheBandTShirt-XA", "5784397775", 43, 200),
		shirt(13, "XL", "red", "TheBandTShirt-XR", "5784397776", 40, 200),
	},
	Images: []Image{{Line: 2, Src: "https://burst.shopifycdn.com/photos/forest-hiker.jpg?width=1000",
		Position: 1, Alt: "Green t-shirt with The Band graphic"}},
}, {
	Line: 14, Handle: "digital-product-the-history-of-rock-music", Title: "Digital Product The History of Rock Music",
	DescriptionHTML: "Dive into the rich and electrifying world of rock music with 'The History of Rock Music: From Roots to Revolution.' This comprehensive eBook explores the origins, evolution, and cultural impact of rock music, featuring iconic artists, groundbreaking albums, and pivotal moments in music history. Perfect for music enthusiasts and historians alike. PDF, ePub, Kindle. 8 MB. English.",
	Vendor:          "Harmony Publishing", ProductType: "Digital book",
	Tags:   []string{"Rock Music", "Music History", "eBook", "Music Culture", "Rock Bands", "Music Genres"},
	Status: "active", Options: []string{"Format"},
	Variants: []Variant{
		ebook(14, "PDF", "HRM-EBK-PDF", 1499, nil),
		ebook(15, "Audio", "HRM-EBK-AUD", 2199, nil),
		ebook(16, "Kindle", "HRM-EBK-KND", 999, i64(1499)),
	},
}}

func TestReadSamples(t *testing.T) {
	tests := []struct {
		file      string
		columnSet string
		rows      int
		want      []Product
	}{
		{"product_template_classic.csv", "classic", 3, classicWant},
		{"product_template_current.csv", "current", 15, currentWant},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := readSample(t, tt.file)
			if f.ColumnSet != tt.columnSet || f.Rows != tt.rows {
				t.Errorf("ColumnSet, Rows = %q, %d; want %q, %d", f.ColumnSet, f.Rows, tt.columnSet, tt.rows)
			}
			if len(f.Problems) != 0 {
				t.Errorf("Problems = %s", show(f.Problems))
			}
			if len(f.Products) != len(tt.want) {
				t.Fatalf("got %d products, want %d", len(f.Products), len(tt.want))
			}
			for i, want := range tt.want {
				got := f.Products[i]
				if !reflect.DeepEqual(got, want) {
					t.Errorf("product %d:\ngot  %s\nwant %s", i, show(got), show(want))
				}
				if f.Invalid(want.Handle) {
					t.Errorf("Invalid(%q) = true", want.Handle)
				}
			}
		})
	}
}
