package shopify

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/chatshop/chatshop/csvcell"
)

// currentHeader is the header of Shopify's current product CSV.
var currentHeader = []string{
	"Title", "URL handle", "Description", "Vendor", "Product category", "Type", "Tags",
	"Published on online store", "Status", "SKU", "Barcode", "Option1 name", "Option1 value",
	"Option1 Linked To", "Option2 name", "Option2 value", "Option2 Linked To", "Option3 name",
	"Option3 value", "Option3 Linked To", "Price", "Compare-at price", "Cost per item",
	"Charge tax", "Tax code", "Inventory tracker", "Inventory quantity", "Continue selling when out of stock",
	"Weight value (grams)", "Weight unit for display", "Requires shipping", "Fulfillment service",
	"Product image URL", "Image position", "Image alt text", "Variant image URL", "Gift card",
	"SEO title", "SEO description", "Color (product.metafields.shopify.color-pattern)",
	"Google Shopping / Google product category", "Google Shopping / Gender", "Google Shopping / Age group",
	"Google Shopping / Manufacturer part number (MPN)", "Google Shopping / Ad group name",
	"Google Shopping / Ads labels", "Google Shopping / Condition", "Google Shopping / Custom product",
	"Google Shopping / Custom label 0", "Google Shopping / Custom label 1", "Google Shopping / Custom label 2",
	"Google Shopping / Custom label 3", "Google Shopping / Custom label 4",
}

// headerIndex maps a column name of currentHeader to its position.
var headerIndex = func() map[string]int {
	m := make(map[string]int, len(currentHeader))
	for i, h := range currentHeader {
		m[h] = i
	}
	return m
}()

// Writer writes products in Shopify's current column set. Its cells are neutralized (see
// package csvcell), so that a title such as =HYPERLINK(...) opens as text in a spreadsheet;
// Read undoes that.
type Writer struct {
	cw       *csvcell.Writer
	decimals int
	started  bool
}

// NewWriter returns a Writer that writes to w, formatting prices with
// decimals digits after the point (2 for USD, 0 for JPY).
func NewWriter(w io.Writer, decimals int) *Writer {
	return &Writer{cw: csvcell.NewWriter(w), decimals: decimals}
}

// record is one output row.
type record []string

func (r record) set(col, v string) {
	i, ok := headerIndex[col]
	if !ok {
		panic("shopify: no column " + col)
	}
	r[i] = v
}

// WriteProduct writes the rows of one product: the first carries the
// product fields, its first variant and first image; each following row
// carries the URL handle, the next variant and the next image. The header
// is written before the first product.
func (w *Writer) WriteProduct(p Product) error {
	if err := w.check(p); err != nil {
		return err
	}
	if err := w.header(); err != nil {
		return err
	}
	options := p.Options
	if len(options) == 0 {
		options = []string{"Title"}
	}
	for i := range max(len(p.Variants), len(p.Images), 1) {
		r := make(record, len(currentHeader))
		r.set("URL handle", p.Handle)
		if i == 0 {
			w.productFields(r, p, options)
		}
		if i < len(p.Variants) {
			w.variantFields(r, p.Variants[i], len(p.Options) == 0)
		}
		if i < len(p.Images) {
			img := p.Images[i]
			r.set("Product image URL", img.Src)
			if img.Position > 0 {
				r.set("Image position", strconv.Itoa(img.Position))
			}
			r.set("Image alt text", img.Alt)
		}
		if err := w.cw.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// Flush writes buffered rows (and the header if no product was written).
func (w *Writer) Flush() error {
	if err := w.header(); err != nil {
		return err
	}
	w.cw.Flush()
	return w.cw.Error()
}

func (w *Writer) header() error {
	if w.started {
		return nil
	}
	w.started = true
	return w.cw.Write(currentHeader)
}

// check refuses products that cannot be written faithfully.
func (w *Writer) check(p Product) error {
	switch {
	case w.decimals < 0 || w.decimals > maxDecimals:
		return fmt.Errorf("shopify: currency decimals %d out of range 0..%d", w.decimals, maxDecimals)
	case p.Handle == "":
		return fmt.Errorf("shopify: product %q has no handle", p.Title)
	case len(p.Options) > 3:
		return fmt.Errorf("shopify: product %q has %d options, at most 3 can be written", p.Handle, len(p.Options))
	}
	for i, v := range p.Variants {
		if len(v.OptionValues) != len(p.Options) {
			return fmt.Errorf("shopify: product %q: variant %d has %d option values for %d options",
				p.Handle, i+1, len(v.OptionValues), len(p.Options))
		}
	}
	return nil
}

func (w *Writer) productFields(r record, p Product, options []string) {
	r.set("Title", p.Title)
	r.set("Description", p.DescriptionHTML)
	r.set("Vendor", p.Vendor)
	r.set("Type", p.ProductType)
	r.set("Tags", strings.Join(p.Tags, ", "))
	status := strings.ToLower(p.Status)
	if status == "" {
		status = "active"
	}
	r.set("Published on online store", strings.ToUpper(strconv.FormatBool(status == "active")))
	r.set("Status", strings.ToUpper(status[:1])+status[1:])
	for i, name := range options {
		r.set(fmt.Sprintf("Option%d name", i+1), name)
	}
}

func (w *Writer) variantFields(r record, v Variant, defaultTitle bool) {
	if defaultTitle {
		r.set("Option1 value", "Default Title")
	}
	for i, val := range v.OptionValues {
		r.set(fmt.Sprintf("Option%d value", i+1), val)
	}
	r.set("SKU", v.SKU)
	r.set("Barcode", v.Barcode)
	r.set("Price", formatMinor(v.PriceMinor, w.decimals))
	if v.CompareAtMinor != nil {
		r.set("Compare-at price", formatMinor(*v.CompareAtMinor, w.decimals))
	}
	r.set("Inventory tracker", "shopify")
	r.set("Inventory quantity", strconv.FormatInt(v.InventoryQty, 10))
	policy := "DENY"
	if strings.EqualFold(v.InventoryPolicy, "continue") {
		policy = "CONTINUE"
	}
	r.set("Continue selling when out of stock", policy)
	r.set("Weight value (grams)", strconv.FormatInt(v.WeightGrams, 10))
	r.set("Weight unit for display", v.WeightUnit)
	r.set("Variant image URL", v.ImageSrc)
}
