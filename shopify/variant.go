package shopify

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// variant reads the variant of a row. options are the product's option
// names; defaultTitle says the Option1 value "Default Title" stands for no
// options.
func (rd *reader) variant(r row, h string, options []string, defaultTitle bool) Variant {
	c := rd.cols
	get := func(f field) string { return c.get(r.rec, f) }
	v := Variant{Line: r.line, SKU: get(fSKU), Barcode: get(fBarcode), InventoryPolicy: "deny"}
	for i := range 3 {
		val := get(optValue(i))
		switch {
		case i < len(options):
			v.OptionValues = append(v.OptionValues, val)
			if val == "" && options[i] != "" {
				rd.problem(r.line, h, optValue(i), "The value for option %s is missing.", quote(options[i]))
			}
		case val != "" && !(i == 0 && defaultTitle):
			rd.problem(r.line, h, optValue(i), "%s %s is given, but the product has no %s.", c.name[optValue(i)], quote(val), c.name[optName(i)])
		}
	}
	switch s := get(fPrice); {
	case s == "" && !c.has(fPrice):
		rd.problem(r.line, h, fPrice, "Price is required, but the file has no %s column.", c.name[fPrice])
	case s == "":
		rd.problem(r.line, h, fPrice, "Price is required.")
	default:
		v.PriceMinor = rd.amount(r, h, fPrice, s)
	}
	if s := get(fCompareAt); s != "" {
		n := rd.amount(r, h, fCompareAt, s)
		v.CompareAtMinor = &n
	}
	if s := get(fQty); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			rd.problem(r.line, h, fQty, "%s %s is not a whole number.", c.name[fQty], quote(s))
		}
		v.InventoryQty = n
	}
	switch s := get(fPolicy); strings.ToLower(s) {
	case "", "deny":
	case "continue":
		v.InventoryPolicy = "continue"
	default:
		rd.problem(r.line, h, fPolicy, "%s %s must be DENY or CONTINUE.", c.name[fPolicy], quote(s))
	}
	if s := get(fGrams); s != "" {
		n, msg := parseGrams(s)
		if msg != "" {
			rd.problem(r.line, h, fGrams, "%s %s %s.", c.name[fGrams], quote(s), msg)
		}
		v.WeightGrams = n
	}
	switch s := get(fWeightUnit); strings.ToLower(s) {
	case "", "g", "kg", "lb", "oz":
		v.WeightUnit = strings.ToLower(s)
	default:
		rd.problem(r.line, h, fWeightUnit, "%s %s must be g, kg, lb or oz.", c.name[fWeightUnit], quote(s))
	}
	v.ImageSrc = rd.imageURL(r, h, fVariantImage)
	return v
}

// amount parses a price column, reporting a problem when it is not valid.
func (rd *reader) amount(r row, h string, f field, s string) int64 {
	n, msg := parseMinor(s, rd.decimals)
	if msg != "" {
		rd.problem(r.line, h, f, "%s %s %s.", rd.cols.name[f], quote(s), msg)
	}
	return n
}

// imageURL returns the URL in column f, reporting one that is not a web address.
func (rd *reader) imageURL(r row, h string, f field) string {
	s := rd.cols.get(r.rec, f)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && !strings.HasPrefix(s, "//")) {
		rd.problem(r.line, h, f, "%s %s is not a web address; it should start with https://.", rd.cols.name[f], quote(s))
	}
	return s
}

// images collects the product images of a group's rows: rows with an image
// URL, ordered by position, the same URL only once.
func (rd *reader) images(g *group, h string) []Image {
	var imgs []Image
	bySrc := map[string]int{}
	for _, r := range g.rows {
		src := rd.imageURL(r, h, fImageSrc)
		if src == "" {
			continue
		}
		img := Image{Line: r.line, Src: src, Alt: rd.cols.get(r.rec, fImageAlt)}
		if s := rd.cols.get(r.rec, fImagePos); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				rd.problem(r.line, h, fImagePos, "%s %s is not a whole number from 1 up.", rd.cols.name[fImagePos], quote(s))
			} else {
				img.Position = n
			}
		}
		if i, dup := bySrc[src]; dup {
			if imgs[i].Alt == "" {
				imgs[i].Alt = img.Alt
			}
			continue
		}
		if len(imgs) == maxImages {
			rd.problem(r.line, h, fImageSrc, "The product has more than %d images; Shopify allows at most %d.", maxImages, maxImages)
		}
		bySrc[src] = len(imgs)
		imgs = append(imgs, img)
	}
	sort.SliceStable(imgs, func(i, j int) bool {
		a, b := imgs[i].Position, imgs[j].Position
		return a != 0 && (b == 0 || a < b)
	})
	next := 1
	for i := range imgs {
		if imgs[i].Position == 0 {
			imgs[i].Position = next
		}
		next = max(next, imgs[i].Position+1)
	}
	return imgs
}
