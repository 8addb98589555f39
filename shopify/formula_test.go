package shopify

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// A title, vendor or SKU a spreadsheet would run as a formula is written as text, with an
// apostrophe in front; numbers, negative ones included, stay numbers.
func TestWriterNeutralizesFormulas(t *testing.T) {
	p := Product{Handle: "calc", Title: `=cmd|' /C calc'!A0`, DescriptionHTML: "+1", Vendor: "@SUM(A1)", ProductType: "-x",
		Tags: []string{"=HYPERLINK(\"http://evil.example/\")"}, Options: []string{"\tSize"},
		Variants: []Variant{{OptionValues: []string{"\r=1+1"}, SKU: "=A1", PriceMinor: 500, InventoryQty: -3}},
		Images:   []Image{{Src: "https://x.test/a.png", Position: 1, Alt: "=alt"}}}
	row := writeOne(t, p, 2)[0]
	for col, want := range map[string]string{
		"Title": `'=cmd|' /C calc'!A0`, "Description": "'+1", "Vendor": "'@SUM(A1)", "Type": "'-x",
		"Tags": "'=HYPERLINK(\"http://evil.example/\")", "Option1 name": "'\tSize", "Option1 value": "'\r=1+1",
		"SKU": "'=A1", "Image alt text": "'=alt", "Price": "5.00", "Inventory quantity": "-3",
	} {
		if row[col] != want {
			t.Errorf("%s: cell %q, want %q", col, row[col], want)
		}
	}
}

// Export then import gives back every text exactly, whatever it starts with.
func TestFormulaLikeTextRoundTrips(t *testing.T) {
	for _, s := range []string{"=SUM(1)", `=cmd|' /C calc'!A0`, "+1", "-x", "@x", "\tx", "\rx", "'=x", "''=x", "'plain", "-5", "'-5", "'"} {
		t.Run(s, func(t *testing.T) {
			p := Product{Handle: "x", Title: s, DescriptionHTML: s, Vendor: s, ProductType: s, Status: "active",
				Options:  []string{s},
				Variants: []Variant{{OptionValues: []string{s}, SKU: s, Barcode: s, PriceMinor: 100, InventoryPolicy: "deny"}},
				Images:   []Image{{Src: "https://x.test/a.png", Position: 1, Alt: s}}}
			if strings.TrimSpace(s) == s { // tags are trimmed one by one; the apostrophe protects only the cell's start
				p.Tags = []string{s}
			}
			var buf bytes.Buffer
			w := NewWriter(&buf, 2)
			if err := w.WriteProduct(p); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			back := mustRead(t, buf.String())
			if len(back.Problems) != 0 {
				t.Fatalf("problems %s\n%q", show(back.Problems), buf.String())
			}
			if got := noLines(back.Products); !reflect.DeepEqual(got, []Product{p}) {
				t.Errorf("read back:\ngot  %s\nwant %s\nCSV %q", show(got), show(p), buf.String())
			}
		})
	}
}

// A file from elsewhere, or saved again by a spreadsheet (which drops the apostrophe), keeps its
// text; an apostrophe before other text is the retailer's and stays, while one before a
// formula character is taken for Writer's and goes.
func TestReadKeepsForeignCells(t *testing.T) {
	f := mustRead(t, "Handle,Title,Vendor,Variant SKU,Variant Price\nx,=SUM(1),'Acme,'=SKU,-0.00\n")
	if len(f.Problems) != 0 || len(f.Products) != 1 {
		t.Fatalf("problems %s", show(f.Problems))
	}
	p := f.Products[0]
	if p.Title != "=SUM(1)" || p.Vendor != "'Acme" || p.Variants[0].SKU != "=SKU" {
		t.Errorf("title %q, vendor %q, SKU %q", p.Title, p.Vendor, p.Variants[0].SKU)
	}
}
