package shopify

import (
	"strings"
)

// Shopify's limits per product.
const (
	maxVariants = 100
	maxImages   = 250
)

// product builds a Product from the rows of one handle. The first row with
// a title (normally the first row) gives the product fields; every row may
// add a variant and an image.
func (rd *reader) product(g *group) Product {
	c, h := rd.cols, g.handle
	head := g.rows[0]
	for _, r := range g.rows {
		if c.get(r.rec, fTitle) != "" {
			head = r
			break
		}
	}
	p := Product{
		Line:            g.rows[0].line,
		Handle:          h,
		Title:           c.get(head.rec, fTitle),
		DescriptionHTML: c.raw(head.rec, fBody),
		Vendor:          c.get(head.rec, fVendor),
		ProductType:     c.get(head.rec, fType),
		Tags:            splitTags(c.get(head.rec, fTags)),
		Status:          rd.status(head, h),
	}
	if p.Title == "" {
		rd.problem(p.Line, h, fTitle, "The product has no title.")
	}
	names := rd.optionNames(head, h)
	var variantRows []row
	for _, r := range g.rows {
		if t := c.get(r.rec, fTitle); t != "" && t != p.Title {
			rd.problem(r.line, h, fTitle, "The title %s differs from the title %s given on line %d for the same product.", quote(t), quote(p.Title), head.line)
		}
		if rd.isVariantRow(r.rec) {
			variantRows = append(variantRows, r)
		}
	}
	defaultTitle := isDefaultTitle(c, names, variantRows)
	if !defaultTitle && len(names) > 0 {
		p.Options = names
	}
	seen := map[string]int{}
	for _, r := range variantRows {
		v := rd.variant(r, h, p.Options, defaultTitle)
		key := strings.ToLower(strings.Join(v.OptionValues, "\x00"))
		switch first, dup := seen[key]; {
		case dup && len(p.Options) == 0:
			rd.problem(r.line, h, -1, "This row adds another variant (the first is on line %d), but the product has no options to tell them apart; give it an option such as Size, with a value on each row.", first)
		case dup:
			rd.problem(r.line, h, -1, "The variant %s is already on line %d.", quote(strings.Join(v.OptionValues, " / ")), first)
		default:
			seen[key] = r.line
		}
		if len(p.Variants) == maxVariants {
			rd.problem(r.line, h, -1, "The product has more than %d variants; Shopify allows at most %d.", maxVariants, maxVariants)
		}
		p.Variants = append(p.Variants, v)
	}
	if len(p.Variants) == 0 {
		rd.problem(p.Line, h, fPrice, "The product has no price: give its first row a %s.", c.name[fPrice])
	}
	p.Images = rd.images(g, h)
	return p
}

// status reads the Status column, falling back to Published.
func (rd *reader) status(r row, h string) string {
	if s := rd.cols.get(r.rec, fStatus); s != "" {
		switch v := strings.ToLower(s); v {
		case "active", "draft", "archived":
			return v
		}
		rd.problem(r.line, h, fStatus, "%s %s must be Active, Draft or Archived.", rd.cols.name[fStatus], quote(s))
		return "draft"
	}
	switch s := rd.cols.get(r.rec, fPublished); strings.ToLower(s) {
	case "", "true", "yes", "1":
		return "active"
	case "false", "no", "0":
		return "draft"
	default:
		rd.problem(r.line, h, fPublished, "%s %s must be TRUE or FALSE.", rd.cols.name[fPublished], quote(s))
		return "draft"
	}
}

// optionNames reads the option names of the product row; empty names
// before the last given one are reported and kept as "".
func (rd *reader) optionNames(r row, h string) []string {
	var names []string
	for i := range 3 {
		names = append(names, rd.cols.get(r.rec, optName(i)))
	}
	for len(names) > 0 && names[len(names)-1] == "" {
		names = names[:len(names)-1]
	}
	seen := map[string]bool{}
	for i, n := range names {
		k := strings.ToLower(n)
		switch {
		case n == "":
			rd.problem(r.line, h, optName(i), "%s is empty, but a later option has a name.", rd.cols.name[optName(i)])
		case seen[k]:
			rd.problem(r.line, h, optName(i), "The option name %s is used twice.", quote(n))
		}
		seen[k] = true
	}
	return names
}

// isVariantRow reports whether a row carries variant data.
func (rd *reader) isVariantRow(rec []string) bool {
	for _, f := range []field{fOpt1Value, fOpt2Value, fOpt3Value, fSKU, fPrice, fBarcode, fCompareAt, fQty} {
		if rd.cols.get(rec, f) != "" {
			return true
		}
	}
	return false
}

// isDefaultTitle reports Shopify's convention for a product without
// options: one option "Title" whose only value is "Default Title".
func isDefaultTitle(c *columns, names []string, rows []row) bool {
	if len(names) != 1 || !strings.EqualFold(names[0], "Title") || len(rows) == 0 {
		return false
	}
	for _, r := range rows {
		if !strings.EqualFold(c.get(r.rec, fOpt1Value), "Default Title") {
			return false
		}
	}
	return true
}

func splitTags(s string) []string {
	var tags []string
	seen := map[string]bool{}
	for t := range strings.SplitSeq(s, ",") {
		t = strings.TrimSpace(t)
		if k := strings.ToLower(t); t != "" && !seen[k] {
			seen[k] = true
			tags = append(tags, t)
		}
	}
	return tags
}
