package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"

	"github.com/chatshop/chatshop/imaging"
	"github.com/chatshop/chatshop/shopify"
)

// setField replaces what an input holds.
func setField(p *rod.Page, field, value string) {
	p.MustElement(`[data-testid="field-` + field + `"]`).MustSelectAllText().MustInput(value)
}

// bigCatalog writes a Shopify CSV of n products, big enough for the import to take a while.
func bigCatalog(t *testing.T, n int) string {
	var buf bytes.Buffer
	w := shopify.NewWriter(&buf, 2)
	for i := range n {
		p := shopify.Product{Handle: fmt.Sprintf("bulk-mug-%d", i), Title: fmt.Sprintf("Bulk Mug %d", i), Vendor: "Importer",
			ProductType: "Mugs", Tags: []string{"bulk"}, Status: "active",
			Variants: []shopify.Variant{{SKU: fmt.Sprintf("BULK-%d", i), PriceMinor: 1200, InventoryQty: 5, InventoryPolicy: "deny"}}}
		if err := w.WriteProduct(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bulk-products.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A retailer creates a product (fixing a mistake the form points out), edits it, gives it a picture,
// imports a large Shopify CSV while watching the progress bar, and exports the catalog, which imports
// back as updates only.
func TestCatalogCreateEditImportExport(t *testing.T) {
	srv := startServer(t, "")
	// The journey is longer than the browser's default 20 seconds.
	p := newBrowser(t).CancelTimeout().Timeout(2 * time.Minute).MustPage("")
	p.MustSetViewport(1280, 900, 1, false)
	signIn(t, p, srv.URL, "demo@chatshop.test", "demo-password")

	// Create, with a typo in the second variant's price first.
	p.MustNavigate(srv.URL + "/app/products").MustWaitLoad()
	clickAndWait(p, "new-product")
	fill(p, "title", "Harbor Rope Bracelet")
	fill(p, "option1", "Color")
	clickAndWait(p, "add-variant")
	for i, v := range [][3]string{{"Navy", "32.00", "HRB-NVY"}, {"Red", "3x", "HRB-RED"}} {
		fill(p, fmt.Sprintf("v.%d.option1", i), v[0])
		fill(p, fmt.Sprintf("v.%d.price", i), v[1])
		fill(p, fmt.Sprintf("v.%d.sku", i), v[2])
		fill(p, fmt.Sprintf("v.%d.qty", i), "12")
	}
	clickAndWait(p, "save-product")
	if got := p.MustElement(`[data-testid="error-v.1.price"]`).MustText(); !strings.Contains(got, "not an amount") {
		t.Fatalf("price error %q", got)
	}
	if got := p.MustElement(`[data-testid="field-v.1.sku"]`).MustProperty("value").String(); got != "HRB-RED" {
		t.Fatalf("typed SKU kept as %q", got)
	}
	screenshot(t, p, "product-form-error")
	setField(p, "v.1.price", "34.50")
	clickAndWait(p, "save-product")
	p.MustElement(`[data-testid="flash-success"]`)

	// Edit, then add a picture: the Messenger preview says it is offered.
	setField(p, "title", "Harbor Rope Bracelet (hand-tied)")
	clickAndWait(p, "save-product")
	if got := p.MustElement(`[data-testid="page-title"]`).MustText(); got != "Harbor Rope Bracelet (hand-tied)" {
		t.Fatalf("after the edit the title is %q", got)
	}
	p.MustElement(`[data-testid="not-offered"]`)
	picture := filepath.Join(t.TempDir(), "bracelet.png")
	if err := os.WriteFile(picture, imaging.Placeholder("Rope Bracelet", 220), 0o644); err != nil {
		t.Fatal(err)
	}
	p.MustElement(`[data-testid="image-file"]`).MustSetFiles(picture)
	p.MustElement(`[data-testid="image-alt"]`).MustInput("Navy rope bracelet")
	clickAndWait(p, "upload-image")
	p.MustElement(`[data-testid="offered"]`)
	screenshot(t, p, "product-edit")

	// Search finds it by SKU, live as the retailer types.
	p.MustNavigate(srv.URL + "/app/products").MustWaitLoad()
	p.MustElement(`[data-testid="product-search"]`).MustInput("HRB-RED")
	waitFor(t, "search results", func() bool {
		rows := p.MustElements(`[data-testid="product-row"]`)
		return len(rows) == 1 && strings.Contains(rows[0].MustText(), "Harbor Rope Bracelet")
	})

	// Import a large file: dry run, confirm, watch the progress bar, see the summary.
	p.MustNavigate(srv.URL + "/app/products/import").MustWaitLoad()
	p.MustElement(`[data-testid="import-file"]`).MustSetFiles(bigCatalog(t, 3000))
	clickAndWait(p, "import-upload")
	if got := p.MustElement(`[data-testid="import-create-value"]`).MustText(); got != "3000" {
		t.Fatalf("dry run would create %s products", got)
	}
	screenshot(t, p, "import-dry-run")
	clickAndWait(p, "import-confirm")
	p.MustElement(`[data-testid="import-progress"]`)
	screenshot(t, p, "import-progress")
	waitFor(t, "the import to finish", func() bool {
		has, _, _ := p.Has(`[data-testid="import-done"]`)
		return has
	})
	if got := p.MustElement(`[data-testid="import-done"]`).MustText(); !strings.Contains(got, "3000 created") {
		t.Fatalf("summary %q", got)
	}

	// Export, and import the export back: every product is an update, none is new.
	csv := p.MustEval(`() => fetch("/app/products/export").then(r => r.text())`).String()
	if !strings.HasPrefix(csv, "Title,URL handle,") || !strings.Contains(csv, "Harbor Rope Bracelet (hand-tied)") || !strings.Contains(csv, "bulk-mug-2999") {
		t.Fatalf("export starts %q", csv[:min(len(csv), 200)])
	}
	exported := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(exported, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	p.MustNavigate(srv.URL + "/app/products/import").MustWaitLoad()
	p.MustElement(`[data-testid="import-file"]`).MustSetFiles(exported)
	clickAndWait(p, "import-upload")
	if has, _, _ := p.Has(`[data-testid="import-create-value"]`); !has {
		t.Fatalf("after uploading the export, %s shows: %.500s", p.MustInfo().URL, p.MustElement("body").MustText())
	}
	if create, update := p.MustElement(`[data-testid="import-create-value"]`).MustText(), p.MustElement(`[data-testid="import-update-value"]`).MustText(); create != "0" || update != "3009" {
		t.Fatalf("re-importing the export would create %s and update %s", create, update)
	}
}

// waitFor polls cond until it holds or 30 seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
