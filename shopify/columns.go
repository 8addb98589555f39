package shopify

import (
	"fmt"
	"strings"

	"github.com/chatshop/chatshop/csvcell"
)

// field is a piece of product data that one column of either set carries.
type field int

const (
	fHandle field = iota
	fTitle
	fBody
	fVendor
	fType
	fTags
	fPublished
	fStatus
	fOpt1Name
	fOpt1Value
	fOpt2Name
	fOpt2Value
	fOpt3Name
	fOpt3Value
	fSKU
	fBarcode
	fPrice
	fCompareAt
	fQty
	fPolicy
	fGrams
	fWeightUnit
	fImageSrc
	fImagePos
	fImageAlt
	fVariantImage
	numFields
)

// optName and optValue give the fields of option i (0-based).
func optName(i int) field  { return fOpt1Name + field(2*i) }
func optValue(i int) field { return fOpt1Value + field(2*i) }

const (
	setClassic = "classic"
	setCurrent = "current"
)

// colNames holds a field's header in the classic and the current set, plus
// other names seen in the wild.
type colNames struct {
	classic, current string
	extra            []string
}

var specs = [numFields]colNames{
	fHandle:       {"Handle", "URL handle", nil},
	fTitle:        {"Title", "Title", nil},
	fBody:         {"Body (HTML)", "Description", nil},
	fVendor:       {"Vendor", "Vendor", nil},
	fType:         {"Type", "Type", []string{"Custom Product Type"}},
	fTags:         {"Tags", "Tags", nil},
	fPublished:    {"Published", "Published on online store", nil},
	fStatus:       {"Status", "Status", nil},
	fOpt1Name:     {"Option1 Name", "Option1 name", nil},
	fOpt1Value:    {"Option1 Value", "Option1 value", nil},
	fOpt2Name:     {"Option2 Name", "Option2 name", nil},
	fOpt2Value:    {"Option2 Value", "Option2 value", nil},
	fOpt3Name:     {"Option3 Name", "Option3 name", nil},
	fOpt3Value:    {"Option3 Value", "Option3 value", nil},
	fSKU:          {"Variant SKU", "SKU", nil},
	fBarcode:      {"Variant Barcode", "Barcode", nil},
	fPrice:        {"Variant Price", "Price", nil},
	fCompareAt:    {"Variant Compare At Price", "Compare-at price", nil},
	fQty:          {"Variant Inventory Qty", "Inventory quantity", nil},
	fPolicy:       {"Variant Inventory Policy", "Continue selling when out of stock", nil},
	fGrams:        {"Variant Grams", "Weight value (grams)", nil},
	fWeightUnit:   {"Variant Weight Unit", "Weight unit for display", nil},
	fImageSrc:     {"Image Src", "Product image URL", nil},
	fImagePos:     {"Image Position", "Image position", nil},
	fImageAlt:     {"Image Alt Text", "Image alt text", nil},
	fVariantImage: {"Variant Image", "Variant image URL", nil},
}

// columns maps fields to the columns of one file.
type columns struct {
	set  string
	idx  [numFields]int    // -1 when the file has no such column
	name [numFields]string // header as written (trimmed), or the set's name when absent
}

// mapHeader finds the fields in a header row. It fails with ErrNotCSV when
// the header has neither a handle nor a title column.
func mapHeader(header []string) (*columns, error) {
	pos := make(map[string]int, len(header))
	for i, h := range header {
		k := strings.ToLower(strings.TrimSpace(h))
		if _, dup := pos[k]; !dup && k != "" {
			pos[k] = i
		}
	}
	has := func(name string) bool { _, ok := pos[name]; return ok }
	c := &columns{set: setCurrent}
	switch {
	case has("url handle") || has("price"):
	case has("handle") || has("variant price") || has("body (html)") || has("image src"):
		c.set = setClassic
	}
	for f := range numFields {
		s := specs[f]
		names := append([]string{s.current, s.classic}, s.extra...)
		c.name[f] = s.current
		if c.set == setClassic {
			names[0], names[1] = s.classic, s.current
			c.name[f] = s.classic
		}
		c.idx[f] = -1
		for _, n := range names {
			if i, ok := pos[strings.ToLower(n)]; ok {
				c.idx[f], c.name[f] = i, strings.TrimSpace(header[i])
				break
			}
		}
	}
	if !c.has(fHandle) && !c.has(fTitle) {
		return nil, fmt.Errorf("%w: its first line has no %q, %q or %q column", ErrNotCSV, "Handle", "URL handle", "Title")
	}
	return c, nil
}

func (c *columns) has(f field) bool { return c.idx[f] >= 0 }

// cell returns the field's cell of a record as it is in the file.
func (c *columns) cell(rec []string, f field) string {
	if i := c.idx[f]; i >= 0 && i < len(rec) {
		return rec[i]
	}
	return ""
}

// raw returns the field's cell of a record without the apostrophe Writer puts before a
// cell that a spreadsheet would take for a formula.
func (c *columns) raw(rec []string, f field) string {
	return csvcell.Restore(c.cell(rec, f))
}

// get returns the field's cell of a record with surrounding space removed, then without
// Writer's apostrophe. Space goes first: the apostrophe is what keeps the leading tab of
// an exported "\tx" from being trimmed.
func (c *columns) get(rec []string, f field) string {
	return csvcell.Restore(strings.TrimSpace(c.cell(rec, f)))
}

// detectDelimiter picks comma or semicolon, whichever occurs more often
// outside quotes on the header line.
func detectDelimiter(data []byte) rune {
	commas, semis := 0, 0
	inQuote, started := false, false
	for _, b := range data {
		if !started && (b == '\r' || b == '\n') {
			continue // blank lines before the header
		}
		started = true
		switch {
		case b == '"':
			inQuote = !inQuote
		case inQuote:
		case b == '\n':
			if semis > commas {
				return ';'
			}
			return ','
		case b == ',':
			commas++
		case b == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}
