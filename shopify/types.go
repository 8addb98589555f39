package shopify

import "errors"

// Product is one product of the file: its first row plus its continuation rows, grouped by handle.
type Product struct {
	Line            int // line number (1-based, counting the header as line 1) of the product's first row
	Handle          string
	Title           string
	DescriptionHTML string // as in the file; the caller sanitizes
	Vendor          string
	ProductType     string
	Tags            []string // split on commas, trimmed, empty ones dropped, order kept, duplicates (case-insensitive) dropped
	Status          string   // "active", "draft" or "archived"
	Options         []string // option names in order, at most 3; empty when the product has only a default variant
	Variants        []Variant
	Images          []Image // ordered by position (rows without a position keep file order after positioned ones)
}

// Variant is one purchasable row.
type Variant struct {
	Line            int
	OptionValues    []string // same length as Product.Options
	SKU             string
	Barcode         string
	PriceMinor      int64
	CompareAtMinor  *int64 // nil when empty
	InventoryQty    int64  // empty means 0
	InventoryPolicy string // "deny" or "continue"; empty in the file means deny
	WeightGrams     int64  // decimals rounded; empty means 0
	WeightUnit      string // "g", "kg", "lb" or "oz"; empty stays empty
	ImageSrc        string // the variant's image URL, may be empty
}

// Image is a product image given by URL.
type Image struct {
	Line     int
	Src      string
	Position int // from the file, or assigned in order when absent
	Alt      string
}

// Problem is something wrong with the file, reported by line.
type Problem struct {
	Line    int
	Handle  string // the product it belongs to, when known
	Column  string // the column header as written in the file, when it is about one field
	Message string // a sentence for a retailer, e.g. `Price "12,5x" is not a number.`
}

// File is the result of reading a CSV.
type File struct {
	ColumnSet string    // "classic" or "current"
	Rows      int       // data rows read (header excluded; rows whose cells are all empty are not counted)
	Products  []Product // in order of first appearance
	Problems  []Problem // sorted by line
}

// Invalid reports whether the product with this handle has at least one
// problem (such products are skipped by an import).
func (f *File) Invalid(handle string) bool {
	if handle == "" {
		return false
	}
	for _, p := range f.Problems {
		if p.Handle == handle {
			return true
		}
	}
	return false
}

// ErrNotCSV is wrapped by Read's error when the input is not a Shopify product
// CSV at all: binary content, text that is not UTF-8, no header line, or a
// header without a Handle/URL handle column and without a Title column. The
// wrapping error's message says what is wrong in plain words.
var ErrNotCSV = errors.New("this is not a Shopify product CSV file")
