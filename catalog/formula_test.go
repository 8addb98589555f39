package catalog_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"testing"

	"github.com/chatshop/chatshop/catalog"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

// The export writes a title a spreadsheet would run as a formula as text (a leading apostrophe),
// and importing the export gives back every title, description, vendor and tag exactly.
func TestExportNeutralizesFormulasAndImportUndoesIt(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	shop := newShop(t, s, "a@example.com")
	texts := []string{`=cmd|' /C calc'!A0`, "=SUM(1)", "+1", "-x", "@x", "'=x", "''=x", "'plain", "-5"}
	for i, text := range texts {
		p := &models.Product{Handle: fmt.Sprintf("p%d", i), Title: text, DescriptionHTML: text, Vendor: text, Tags: text,
			Status: models.ProductActive, Variants: []models.Variant{{SKU: fmt.Sprintf("SKU-%d", i), PriceMinor: 500, InventoryQty: -2}}}
		if errs := p.Validate("USD"); errs != nil {
			t.Fatalf("%q: %v", text, errs)
		}
		if err := shop.Data.CreateProduct(ctx, p, models.Actor{}); err != nil {
			t.Fatal(err)
		}
	}
	want := dump(t, shop)

	var out bytes.Buffer
	if _, err := catalog.Export(ctx, shop, &out); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(out.Bytes())).ReadAll()
	if err != nil || len(records) != len(texts)+1 {
		t.Fatalf("export: %v, %d records", err, len(records))
	}
	col := map[string]int{}
	for i, h := range records[0] {
		col[h] = i
	}
	for _, tc := range []struct{ title, cell string }{
		{`=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`}, {"+1", "'+1"}, {"@x", "'@x"}, {"'=x", "''=x"}, {"'plain", "'plain"}, {"-5", "-5"},
	} {
		t.Run(tc.title, func(t *testing.T) {
			for _, r := range records[1:] {
				if r[col["Title"]] == tc.cell {
					if r[col["Vendor"]] != tc.cell || r[col["Inventory quantity"]] != "-2" {
						t.Errorf("vendor %q, quantity %q", r[col["Vendor"]], r[col["Inventory quantity"]])
					}
					return
				}
			}
			t.Errorf("no title cell %q in the export:\n%s", tc.cell, out.String())
		})
	}

	fresh := newShop(t, s, "b@example.com")
	if imp := importFile(t, fresh, out.Bytes()); imp.Created != len(texts) {
		t.Fatalf("import %+v, problems %v", imp, imp.Problems())
	}
	if got := dump(t, fresh); got != want {
		t.Errorf("the export imported elsewhere differs:\n%s\nvs\n%s", got, want)
	}
}
