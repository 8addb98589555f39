package shopify

import (
	"reflect"
	"strings"
	"testing"
)

// capCSV has a quoted description spanning lines 2-3 with doubled quotes,
// so the rows after it start on lines 4 and 5.
const capCSV = "Title,URL handle,Description,Option1 name,Option1 value,Price\n" +
	"Cap,cap,\"Line one\nline \"\"two\"\"\",Size,S,10.00\n" +
	",cap,,,M,11.5\n" +
	"Hat,hat,,,,5\n"

var capWant = []Product{{
	Line: 2, Handle: "cap", Title: "Cap", DescriptionHTML: "Line one\nline \"two\"", Status: "active",
	Options: []string{"Size"},
	Variants: []Variant{
		{Line: 2, OptionValues: []string{"S"}, PriceMinor: 1000, InventoryPolicy: "deny"},
		{Line: 4, OptionValues: []string{"M"}, PriceMinor: 1150, InventoryPolicy: "deny"},
	},
}, {
	Line: 5, Handle: "hat", Title: "Hat", Status: "active",
	Variants: []Variant{{Line: 5, PriceMinor: 500, InventoryPolicy: "deny"}},
}}

func TestReadFormats(t *testing.T) {
	crlf := strings.ReplaceAll(capCSV, "\n", "\r\n")
	tests := []struct {
		name string
		data string
	}{
		{"LF", capCSV},
		{"CRLF", crlf},
		{"BOM", "\xEF\xBB\xBF" + capCSV},
		{"BOM and CRLF", "\xEF\xBB\xBF" + crlf},
		{"blank lines and empty rows", strings.Replace(capCSV, "Hat,", "\n,,,,,\nHat,", 1)},
		{"semicolon with decimal comma", "Title;URL handle;Description;Option1 name;Option1 value;Price\n" +
			"Cap;cap;\"Line one\nline \"\"two\"\"\";Size;S;10,00\n" +
			";cap;;;M;11,5\n" +
			"Hat;hat;;;;5\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustRead(t, tt.data)
			if len(f.Problems) != 0 {
				t.Fatalf("Problems = %s", show(f.Problems))
			}
			want := capWant
			if tt.name == "blank lines and empty rows" { // Hat moves down by two lines
				want = append([]Product(nil), capWant...)
				want[1].Line, want[1].Variants = 7, []Variant{{Line: 7, PriceMinor: 500, InventoryPolicy: "deny"}}
			}
			if !reflect.DeepEqual(f.Products, want) {
				t.Errorf("got  %s\nwant %s", show(f.Products), show(want))
			}
			if f.Rows != 3 || f.ColumnSet != "current" {
				t.Errorf("Rows, ColumnSet = %d, %q", f.Rows, f.ColumnSet)
			}
		})
	}
}

func TestReadRules(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []Product
	}{{
		name: "handle from title, rows apart, default title, tags",
		data: "Title,URL handle,Option1 name,Option1 value,Price,Tags,Status\n" +
			"Blue Mug! (XL),,Title,Default Title,3,\"a, B,,b , c\",DRAFT\n" +
			"Bowl,bowl,,,4,,archived\n" +
			",blue-mug-xl,,,,,\n",
		want: []Product{
			{Line: 2, Handle: "blue-mug-xl", Title: "Blue Mug! (XL)", Tags: []string{"a", "B", "c"}, Status: "draft",
				Variants: []Variant{{Line: 2, PriceMinor: 300, InventoryPolicy: "deny"}}},
			{Line: 3, Handle: "bowl", Title: "Bowl", Status: "archived",
				Variants: []Variant{{Line: 3, PriceMinor: 400, InventoryPolicy: "deny"}}},
		},
	}, {
		name: "classic published false, grams rounded, policy case, images by position",
		data: "Handle,Title,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant Price,Variant Grams," +
			"Variant Inventory Qty,Variant Inventory Policy,Variant Weight Unit,Image Src,Image Position,Image Alt Text,Variant Image\n" +
			"tee,Tee,FALSE,Size,S,Fit,Slim,1,150.5,-3,CONTINUE,KG,https://x.test/2.png,2,Two,https://x.test/v.png\n" +
			"tee,,,,M,,Slim,1.5,0.49,,Deny,,https://x.test/n.png,,,\n" +
			"tee,,,,,,,,,,,,https://x.test/1.png,1,One,\n" +
			"tee,,,,,,,,,,,,https://x.test/2.png,,,\n",
		want: []Product{{
			Line: 2, Handle: "tee", Title: "Tee", Status: "draft", Options: []string{"Size", "Fit"},
			Variants: []Variant{
				{Line: 2, OptionValues: []string{"S", "Slim"}, PriceMinor: 100, InventoryQty: -3, InventoryPolicy: "continue",
					WeightGrams: 151, WeightUnit: "kg", ImageSrc: "https://x.test/v.png"},
				{Line: 3, OptionValues: []string{"M", "Slim"}, PriceMinor: 150, InventoryPolicy: "deny"},
			},
			Images: []Image{
				{Line: 4, Src: "https://x.test/1.png", Position: 1, Alt: "One"},
				{Line: 2, Src: "https://x.test/2.png", Position: 2, Alt: "Two"},
				{Line: 3, Src: "https://x.test/n.png", Position: 3},
			},
		}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustRead(t, tt.data)
			if len(f.Problems) != 0 {
				t.Fatalf("Problems = %s", show(f.Problems))
			}
			if !reflect.DeepEqual(f.Products, tt.want) {
				t.Errorf("got  %s\nwant %s", show(f.Products), show(tt.want))
			}
		})
	}
}
