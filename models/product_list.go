package models

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// ProductSort is an order of the product list.
type ProductSort string

// The orders of the product list.
const (
	SortNewest    ProductSort = "newest"
	SortOldest    ProductSort = "oldest"
	SortTitle     ProductSort = "title"
	SortTitleDesc ProductSort = "title-desc"
	SortUpdated   ProductSort = "updated"
	SortPriceLow  ProductSort = "price"
	SortPriceHigh ProductSort = "price-desc"
)

// productSorts maps each order to its key and direction; no key is the id alone.
var productSorts = map[ProductSort]struct {
	key  sortKey
	desc bool
}{
	SortNewest: {"", true}, SortOldest: {"", false},
	SortTitle: {sortByTitle, false}, SortTitleDesc: {sortByTitle, true},
	SortUpdated:  {sortByUpdated, true},
	SortPriceLow: {sortByPrice, false}, SortPriceHigh: {sortByPrice, true},
}

// sortKey is what the product list is ordered by before the id.
type sortKey string

const (
	sortByTitle   sortKey = "title"
	sortByUpdated sortKey = "updated"
	sortByPrice   sortKey = "price"
)

// column is the key's SQL expression, and value the placeholder a cursor's key is compared as.
func (k sortKey) column(d dialect) (column, value string) {
	switch k {
	case sortByTitle:
		return d.caseless("products.title"), d.caselessValue()
	case sortByUpdated:
		return "products.updated_at", "?"
	case sortByPrice:
		return "products.price_min_minor", "?"
	}
	return "", ""
}

// ProductFilter selects and orders the product list.
type ProductFilter struct {
	Query    string // words matched against title, vendor, tags and SKUs, as prefixes
	Status   ProductStatus
	Vendor   string
	Type     string
	Tag      string
	LowStock bool
	Sort     ProductSort
	After    string // cursor from ProductPage.Next
	Limit    int
}

// ProductPage is one page of the product list.
type ProductPage struct {
	Products []ProductSummary
	// Next is the cursor of the following page; empty on the last page.
	Next string
}

// ProductSummary is a product as the list shows it: its figures kept up to date and its cover
// picture, without its description, variants or other images (a page of them is read in one query).
type ProductSummary struct {
	ID          int64
	ShopID      int64
	Handle      string
	Title       string
	Vendor      string
	ProductType string
	Status      ProductStatus
	ProductFigures
	UpdatedAt time.Time
	// The first image's, when the product has one.
	CoverDigest *string
	CoverSrcURL *string
}

// productSummaryColumns are the product's columns of a ProductSummary.
const productSummaryColumns = `products.id, products.shop_id, products.handle, products.title, products.vendor, products.product_type,
	products.status, products.variant_count, products.price_min_minor, products.price_max_minor, products.currency,
	products.total_inventory, products.min_tracked_stock, products.offered, products.updated_at`

// Thumb is the cover picture's thumbnail path, or empty without a picture.
func (p *ProductSummary) Thumb() string {
	if p.CoverDigest == nil && p.CoverSrcURL == nil {
		return ""
	}
	img := ProductImage{Digest: p.CoverDigest}
	if p.CoverSrcURL != nil {
		img.SrcURL = *p.CoverSrcURL
	}
	return img.ThumbPath()
}

// ListProducts lists the shop's products matching f, keyset-paginated in f.Sort order.
func (d *ShopData) ListProducts(ctx context.Context, f ProductFilter) (ProductPage, error) {
	sort, ok := productSorts[f.Sort]
	if !ok {
		sort = productSorts[SortNewest]
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	db := d.s.r.WithContext(ctx)
	q := db.Model(&Product{}).Select(productSummaryColumns).Where("products.shop_id = ?", d.shopID)
	idColumn := "products.id"
	if match := d.s.dialect.fullText(searchTerms(f.Query)); match != "" && sort.key == "" {
		// Walked from the full-text index in docid order: the newest matches come first, without
		// collecting every match (a common word matches thousands).
		q = q.Joins("JOIN products_fts ON products_fts.docid = products.id").Where(d.s.dialect.textMatch(), match)
		idColumn = "products_fts.docid"
	} else if match != "" {
		q = q.Where("products.id IN (SELECT docid FROM products_fts WHERE "+d.s.dialect.textMatch()+")", match)
	}
	if f.Status != "" {
		q = q.Where("products.status = ?", f.Status)
	}
	if f.Vendor != "" {
		q = q.Where("products.vendor = ?", f.Vendor)
	}
	if f.Type != "" {
		q = q.Where("products.product_type = ?", f.Type)
	}
	if f.Tag != "" {
		// A lookup per product walked, which stops at the page's end, rather than the tag's whole list.
		q = q.Where("EXISTS (SELECT 1 FROM product_tags t WHERE t.shop_id = ? AND t.tag = ? AND t.product_id = products.id)", d.shopID, f.Tag)
	}
	if f.LowStock {
		q = q.Where("products.min_tracked_stock <= ?", LowStockThreshold)
	}
	q, err := applyCursor(q, d.s.dialect, sort.key, idColumn, sort.desc, f.After)
	if err != nil {
		return ProductPage{}, err
	}
	// The page's covers are joined to the page once it is chosen: joined to every product, a
	// sort of thousands of matches (a common word by title) also looked up each one's cover.
	// Image positions are numbered from 1 without gaps, so the join finds one cover at most.
	var ps []ProductSummary
	err = db.Table("(?) AS products", q.Limit(f.Limit+1)).
		Select("products.*, cover.digest AS cover_digest, cover.src_url AS cover_src_url").
		Joins("LEFT JOIN product_images cover ON cover.product_id = products.id AND cover.position = 1").
		Order(listOrder(d.s.dialect, sort.key, "products.id", sort.desc)).Find(&ps).Error
	if err != nil {
		return ProductPage{}, err
	}
	var page ProductPage
	if len(ps) > f.Limit {
		ps = ps[:f.Limit]
		page.Next = cursorOf(&ps[len(ps)-1], sort.key)
	}
	page.Products = ps
	return page, nil
}

// listOrder is the list's ORDER BY: the key then id.
func listOrder(d dialect, sk sortKey, id string, desc bool) string {
	column, _ := sk.column(d)
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	if column == "" {
		return id + " " + dir
	}
	return column + " " + dir + ", " + id + " " + dir
}

// applyCursor orders q by the key then id, and starts it after the cursor.
func applyCursor(q *gorm.DB, d dialect, sk sortKey, id string, desc bool, after string) (*gorm.DB, error) {
	column, value := sk.column(d)
	cmp := ">"
	if desc {
		cmp = "<"
	}
	q = q.Order(listOrder(d, sk, id, desc))
	if after == "" {
		return q, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(after)
	var c struct {
		Key any   `json:"k"`
		ID  int64 `json:"i"`
	}
	if err == nil {
		err = json.Unmarshal(raw, &c)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: bad page cursor", ErrInvalid)
	}
	if column == "" {
		return q.Where(id+" "+cmp+" ?", c.ID), nil
	}
	var key any
	switch k := c.Key.(type) {
	case string:
		if sk == sortByUpdated {
			t, err := time.Parse(time.RFC3339Nano, k)
			if err != nil {
				return nil, fmt.Errorf("%w: bad page cursor", ErrInvalid)
			}
			key = t.UTC()
		} else if sk == sortByTitle {
			key = k
		}
	case float64:
		if sk == sortByPrice {
			key = int64(k)
		}
	}
	if key == nil {
		return nil, fmt.Errorf("%w: bad page cursor", ErrInvalid)
	}
	return q.Where("("+column+", "+id+") "+cmp+" ("+value+", ?)", key, c.ID), nil
}

func cursorOf(p *ProductSummary, sk sortKey) string {
	c := struct {
		Key any   `json:"k"`
		ID  int64 `json:"i"`
	}{ID: p.ID}
	switch sk {
	case sortByTitle:
		c.Key = p.Title
	case sortByUpdated:
		c.Key = p.UpdatedAt.UTC().Format(time.RFC3339Nano)
	case sortByPrice:
		c.Key = p.PriceMinMinor
	}
	raw, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// searchTerms turns what a person typed into full-text terms: every word must match, each as a
// prefix, and a word with punctuation (a SKU like TS-RED-M) as a phrase. Empty when nothing is left.
func searchTerms(typed string) [][]string {
	var terms [][]string
	for _, word := range strings.Fields(strings.ToLower(typed)) {
		tokens := strings.FieldsFunc(word, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(tokens) > 0 {
			terms = append(terms, tokens)
		}
	}
	return terms
}

// GetProduct loads one of the shop's products with its variants and images.
func (d *ShopData) GetProduct(ctx context.Context, id int64) (*Product, error) {
	var p Product
	db := d.s.r.WithContext(ctx)
	if err := db.Where("id = ? AND shop_id = ?", id, d.shopID).Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	if err := db.Where("product_id = ?", p.ID).Order("position, id").Find(&p.Variants).Error; err != nil {
		return nil, err
	}
	return &p, db.Where("product_id = ?", p.ID).Order("position, id").Find(&p.Images).Error
}

// ProductFacets are the values the list's filters offer.
type ProductFacets struct {
	Vendors, Types, Tags []string
}

// maxFacetValues bounds each filter's choices.
const maxFacetValues = 200

// facetsFresh is how long a shop's filter choices are reused: the list asks for them on every page
// view, and a new vendor showing up in the filter a few seconds late harms no one.
const facetsFresh = 10 * time.Second

// ProductFacets returns the shop's distinct vendors, types and tags (read at most every facetsFresh).
func (d *ShopData) ProductFacets(ctx context.Context) (ProductFacets, error) {
	return d.s.facets.get(d.shopID, d.s.now(), facetsFresh, 0, func() (ProductFacets, error) { return d.readFacets(ctx) })
}

// readFacets reads the distinct vendors, types and tags, each in index order. Each is a loose index
// scan (one index seek per distinct value), so it costs the same at 100k products.
func (d *ShopData) readFacets(ctx context.Context) (ProductFacets, error) {
	var f ProductFacets
	for _, facet := range []struct {
		table, column string
		out           *[]string
	}{{"products", "vendor", &f.Vendors}, {"products", "product_type", &f.Types}, {"product_tags", "tag", &f.Tags}} {
		sql := fmt.Sprintf(`WITH RECURSIVE v(x) AS (
			SELECT min(%[2]s) FROM %[1]s WHERE shop_id = @shop AND %[2]s > ''
			UNION ALL
			SELECT (SELECT min(%[2]s) FROM %[1]s WHERE shop_id = @shop AND %[2]s > v.x) FROM v WHERE v.x IS NOT NULL
		) SELECT x FROM v WHERE x IS NOT NULL LIMIT @limit`, facet.table, facet.column)
		err := d.s.r.WithContext(ctx).Raw(sql, map[string]any{"shop": d.shopID, "limit": maxFacetValues}).Scan(facet.out).Error
		if err != nil {
			return f, err
		}
	}
	return f, nil
}

// ProductCounts is how many products a shop has in each status, and how many active ones have a
// variant that shoppers cannot buy (out of stock and not sold when out of stock).
type ProductCounts struct {
	Active, Draft, Archived int64
	ActiveOutOfStock        int64
}

// CountProducts reads the shop's product counts (kept up to date by triggers).
func (d *ShopData) CountProducts(ctx context.Context) (ProductCounts, error) {
	var rows []struct {
		Status     ProductStatus
		OutOfStock bool
		N          int64
	}
	err := d.s.r.WithContext(ctx).Table("catalog_counts").Select("status, out_of_stock, n").
		Where("shop_id = ?", d.shopID).Scan(&rows).Error
	var c ProductCounts
	for _, r := range rows {
		switch r.Status {
		case ProductActive:
			c.Active += r.N
			if r.OutOfStock {
				c.ActiveOutOfStock += r.N
			}
		case ProductDraft:
			c.Draft += r.N
		case ProductArchived:
			c.Archived += r.N
		}
	}
	return c, err
}

// ProductsAfter loads up to limit of the shop's products with ids above afterID, oldest first, each
// with its variants and images (three queries per page, for exports).
func (d *ShopData) ProductsAfter(ctx context.Context, afterID int64, limit int) ([]Product, error) {
	db := d.s.r.WithContext(ctx)
	var ps []Product
	if err := db.Where("shop_id = ? AND id > ?", d.shopID, afterID).Order("id").Limit(limit).Find(&ps).Error; err != nil || len(ps) == 0 {
		return ps, err
	}
	ids := make([]int64, len(ps))
	at := map[int64]*Product{}
	for i := range ps {
		ids[i], at[ps[i].ID] = ps[i].ID, &ps[i]
	}
	var vs []Variant
	if err := db.Where("product_id IN ?", ids).Order("product_id, position, id").Find(&vs).Error; err != nil {
		return nil, err
	}
	for _, v := range vs {
		at[v.ProductID].Variants = append(at[v.ProductID].Variants, v)
	}
	var imgs []ProductImage
	if err := db.Where("product_id IN ?", ids).Order("product_id, position, id").Find(&imgs).Error; err != nil {
		return nil, err
	}
	for _, img := range imgs {
		at[img.ProductID].Images = append(at[img.ProductID].Images, img)
	}
	return ps, nil
}

// OwnProductIDs keeps the ids that are the shop's products.
func (d *ShopData) OwnProductIDs(ctx context.Context, ids []int64) ([]int64, error) {
	var mine []int64
	err := d.s.r.WithContext(ctx).Model(&Product{}).Where("shop_id = ? AND id IN ?", d.shopID, ids).Order("id").Pluck("id", &mine).Error
	return mine, err
}
