package models

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// ProductErrors maps a field ("title", "handle", "options", "variants.2.price") to what is wrong with it.
type ProductErrors map[string]string

var handlePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Slugify makes a handle from a title: lower-case ASCII letters and digits joined by hyphens.
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > 100 {
		s = strings.TrimRight(s[:100], "-")
	}
	return s
}

// Validate checks the product and its variants as the store will keep them, filling in what can be
// derived (the handle from the title, variant titles, currency). It returns nil when all is well.
func (p *Product) Validate(currency string) ProductErrors {
	errs := ProductErrors{}
	p.Title = strings.TrimSpace(p.Title)
	p.Handle = strings.TrimSpace(p.Handle)
	if p.Handle == "" {
		p.Handle = Slugify(p.Title)
	}
	switch {
	case p.Title == "":
		errs["title"] = "Give the product a title."
	case len(p.Title) > 255:
		errs["title"] = "Keep the title under 255 characters."
	}
	if p.Handle != "" && !handlePattern.MatchString(p.Handle) {
		errs["handle"] = "Use lower-case letters, digits and single hyphens, like summer-dress."
	}
	if !p.Status.Valid() {
		errs["status"] = "Choose active, draft or archived."
	}
	p.Tags = strings.Join(SplitTags(p.Tags), ", ")
	options := p.Options()
	if (p.Option1Name == "" && (p.Option2Name != "" || p.Option3Name != "")) || (p.Option2Name == "" && p.Option3Name != "") {
		errs["options"] = "Fill the options in order, starting with the first."
	}
	seenName := map[string]bool{}
	for _, n := range options {
		if seenName[strings.ToLower(n)] {
			errs["options"] = fmt.Sprintf("Option %q appears twice.", n)
		}
		seenName[strings.ToLower(n)] = true
	}
	validateVariants(p, len(options), currency, errs)
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func validateVariants(p *Product, nOptions int, currency string, errs ProductErrors) {
	switch {
	case len(p.Variants) == 0:
		errs["variants"] = "A product needs at least one variant with a price."
		return
	case len(p.Variants) > MaxVariants:
		errs["variants"] = fmt.Sprintf("A product can have at most %d variants.", MaxVariants)
	case nOptions == 0 && len(p.Variants) > 1:
		errs["variants"] = "Name an option (like Size) to offer more than one variant."
	}
	seen := map[string]int{}
	skus := map[string]bool{}
	for i := range p.Variants {
		v := &p.Variants[i]
		key := func(f string) string { return fmt.Sprintf("variants.%d.%s", i, f) }
		values := v.OptionValues(nOptions)
		for j, val := range values {
			values[j] = strings.TrimSpace(val)
			if values[j] == "" {
				errs[key("options")] = fmt.Sprintf("Give a value for %s.", p.Options()[j])
			}
		}
		v.SetOptionValues(values)
		combo := strings.ToLower(strings.Join(values, "\x00"))
		if first, dup := seen[combo]; dup {
			errs[key("options")] = fmt.Sprintf("Same options as variant %d.", first+1)
		}
		seen[combo] = i
		v.SKU = strings.TrimSpace(v.SKU)
		if v.SKU != "" && skus[v.SKU] {
			errs[key("sku")] = "This SKU is used twice in the product."
		}
		skus[v.SKU] = v.SKU != ""
		if v.PriceMinor < 0 {
			errs[key("price")] = "The price cannot be negative."
		}
		if v.CompareAtMinor != nil && *v.CompareAtMinor < 0 {
			errs[key("compare_at")] = "The compare-at price cannot be negative."
		}
		if v.InventoryPolicy == "" {
			v.InventoryPolicy = PolicyDeny
		}
		if v.InventoryPolicy != PolicyDeny && v.InventoryPolicy != PolicyContinue {
			errs[key("policy")] = "Choose whether to keep selling when out of stock."
		}
		if v.WeightGrams < 0 {
			errs[key("weight")] = "The weight cannot be negative."
		}
		v.Currency = currency
	}
}

var (
	descriptionPolicy     *bluemonday.Policy
	descriptionPolicyOnce sync.Once
)

// SanitizeDescription keeps the formatting a product description may use (paragraphs, lists,
// emphasis, links, tables, images) and drops scripts, styles, event handlers and anything else.
func SanitizeDescription(html string) string {
	descriptionPolicyOnce.Do(func() {
		descriptionPolicy = bluemonday.UGCPolicy()
		descriptionPolicy.RequireNoFollowOnLinks(true)
		descriptionPolicy.AddTargetBlankToFullyQualifiedLinks(true)
	})
	return strings.TrimSpace(descriptionPolicy.Sanitize(html))
}
