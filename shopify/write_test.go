package shopify

import (
	"bytes"
	"encoding/csv"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTripSamples(t *testing.T) {
	for _, name := range []string{"product_template_classic.csv", "product_template_current.csv"} {
		t.Run(name, func(t *testing.T) {
			first := readSample(t, name)
			var buf bytes.Buffer
			w := NewWriter(&buf, 2)
			for _, p := range first.Products {
				if err := w.WriteProduct(p); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			second := mustRead(t, buf.String())
			if second.ColumnSet != "current" || len(second.Problems) != 0 {
				t.Fatalf("ColumnSet %q, problems %s\n%s", second.ColumnSet, show(second.Problems), buf.String())
			}
			if got, want := noLines(second.Products), noLines(first.Products); !reflect.DeepEqual(got, want) {
				t.Errorf("round trip differs:\ngot  %s\nwant %s\nCSV:\n%s", show(got), show(want), buf.String())
			}
		})
	}
}

func TestWriterHeader(t *testing.T) {
	sample, err := os.ReadFile("testdata/product_template_current.csv")
	if err != nil {
		t.Fatal(err)
	}
	wantHeader, _, _ := strings.Cut(string(sample), "\n")
	var buf bytes.Buffer
	w := NewWriter(&buf, 2)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != wantHeader+"\n" {
		t.Errorf("header only:\ngot  %q\nwant %q", got, wantHeader+"\n")
	}
}

// writeOne writes one product and returns the data rows, split into cells.
func writeOne(t *testing.T, p Product, decimals int) []map[string]string {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, decimals)
	if err := w.WriteProduct(p); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range currentHeader {
			if rec[i] != "" {
				m[h] = rec[i]
			}
		}
		rows = append(rows, m)
	}
	return rows
}

func TestWriteProduct(t *testing.T) {
	tests := []struct {
		name     string
		p        Product
		decimals int
		want     []map[string]string
	}{{
		name: "default variant, draft, JPY",
		p: Product{Handle: "tea", Title: "Tea", Status: "draft", Tags: []string{"green", "loose"},
			Variants: []Variant{{PriceMinor: 1200, InventoryQty: -2, InventoryPolicy: "continue", WeightGrams: 100, WeightUnit: "g"}}},
		decimals: 0,
		want: []map[string]string{{
			"Title": "Tea", "URL handle": "tea", "Tags": "green, loose", "Published on online store": "FALSE", "Status": "Draft",
			"Option1 name": "Title", "Option1 value": "Default Title", "Price": "1200", "Inventory tracker": "shopify",
			"Inventory quantity": "-2", "Continue selling when out of stock": "CONTINUE", "Weight value (grams)": "100",
			"Weight unit for display": "g",
		}},
	}, {
		name: "variants paired with images",
		p: Product{Handle: "mug", Title: "Mug", Status: "archived", Options: []string{"Color"},
			Variants: []Variant{
				{OptionValues: []string{"Blue"}, PriceMinor: 5, CompareAtMinor: i64(1000), InventoryPolicy: "deny", ImageSrc: "https://x.test/b.png"},
				{OptionValues: []string{"Red"}, PriceMinor: 1234, InventoryPolicy: "deny"},
			},
			Images: []Image{{Src: "https://x.test/a.png", Position: 1, Alt: "Front"}, {Src: "https://x.test/b.png", Position: 2},
				{Src: "https://x.test/c.png", Position: 3}}},
		decimals: 2,
		want: []map[string]string{{
			"Title": "Mug", "URL handle": "mug", "Published on online store": "FALSE", "Status": "Archived",
			"Option1 name": "Color", "Option1 value": "Blue", "Price": "0.05", "Compare-at price": "10.00",
			"Inventory tracker": "shopify", "Inventory quantity": "0", "Continue selling when out of stock": "DENY",
			"Weight value (grams)": "0", "Variant image URL": "https://x.test/b.png",
			"Product image URL": "https://x.test/a.png", "Image position": "1", "Image alt text": "Front",
		}, {
			"URL handle": "mug", "Option1 value": "Red", "Price": "12.34", "Inventory tracker": "shopify",
			"Inventory quantity": "0", "Continue selling when out of stock": "DENY", "Weight value (grams)": "0",
			"Product image URL": "https://x.test/b.png", "Image position": "2",
		}, {
			"URL handle": "mug", "Product image URL": "https://x.test/c.png", "Image position": "3",
		}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := writeOne(t, tt.p, tt.decimals)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rows:\ngot  %s\nwant %s", show(got), show(tt.want))
			}
			var buf bytes.Buffer
			w := NewWriter(&buf, tt.decimals)
			if err := w.WriteProduct(tt.p); err != nil {
				t.Fatal(err)
			}
			w.Flush()
			back, err := Read(&buf, tt.decimals)
			if err != nil || len(back.Problems) != 0 {
				t.Fatalf("reading back: %v %s", err, show(back))
			}
			if got := noLines(back.Products); !reflect.DeepEqual(got, []Product{tt.p}) {
				t.Errorf("read back:\ngot  %s\nwant %s", show(got), show(tt.p))
			}
		})
	}
}

func TestWriteProductErrors(t *testing.T) {
	tests := []struct {
		name string
		p    Product
	}{
		{"no handle", Product{Title: "X"}},
		{"four options", Product{Handle: "x", Options: []string{"a", "b", "c", "d"}}},
		{"values mismatch", Product{Handle: "x", Options: []string{"Size"}, Variants: []Variant{{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := NewWriter(&bytes.Buffer{}, 2).WriteProduct(tt.p); err == nil {
				t.Error("WriteProduct succeeded")
			}
		})
	}
}
