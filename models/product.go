package models

import (
	"strings"
	"time"

	"github.com/chatshop/chatshop/money"
)

// ProductStatus says whether a product is for sale.
type ProductStatus string

const (
	// ProductActive products are for sale and offered in Messenger.
	ProductActive ProductStatus = "active"
	// ProductDraft products are being prepared.
	ProductDraft ProductStatus = "draft"
	// ProductArchived products are kept for the record.
	ProductArchived ProductStatus = "archived"
)

// ProductStatuses lists the statuses in the order people see them.
var ProductStatuses = []ProductStatus{ProductActive, ProductDraft, ProductArchived}

// Valid reports whether s is one of the statuses.
func (s ProductStatus) Valid() bool {
	return s == ProductActive || s == ProductDraft || s == ProductArchived
}

// Inventory policies: whether a variant may be sold when out of stock.
const (
	PolicyDeny     = "deny"
	PolicyContinue = "continue"
)

// MaxOptions and MaxVariants are Shopify's limits, kept so that catalogs move both ways.
const (
	MaxOptions  = 3
	MaxVariants = 100
	MaxImages   = 250
)

// DefaultVariantTitle is the title of the one variant of a product without options.
const DefaultVariantTitle = "Default Title"

// Product is an item of a shop's catalog; what is bought is one of its variants.
type Product struct {
	ID              int64
	ShopID          int64
	Handle          string
	Title           string
	DescriptionHTML string
	Vendor          string
	ProductType     string
	// Tags is the comma-separated list as the retailer wrote it; product_tags indexes it.
	Tags        string
	Status      ProductStatus
	Option1Name string
	Option2Name string
	Option3Name string
	// Version grows on every edit; an edit made from an older version is refused (ErrConflict).
	Version int64
	ProductFigures
	ImageCount int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Variants   []Variant      `gorm:"-"`
	Images     []ProductImage `gorm:"-"`
}

// ProductFigures are a product's figures that the store keeps up to date on every write of it or
// of its variants; the product and the list's summary of it both carry them.
type ProductFigures struct {
	VariantCount    int
	PriceMinMinor   int64
	PriceMaxMinor   int64
	Currency        string
	TotalInventory  int64
	MinTrackedStock *int64
	Offered         bool
}

// PriceRange is the lowest and highest variant price.
func (f *ProductFigures) PriceRange() (low, high money.Money) {
	return money.Money{Minor: f.PriceMinMinor, Currency: f.Currency}, money.Money{Minor: f.PriceMaxMinor, Currency: f.Currency}
}

// LowStock tells whether a variant that cannot be oversold is at or under LowStockThreshold.
func (f *ProductFigures) LowStock() bool {
	return f.MinTrackedStock != nil && *f.MinTrackedStock <= LowStockThreshold
}

// Options lists the product's option names, in order (none for a product with a default variant).
func (p *Product) Options() []string {
	var names []string
	for _, n := range []string{p.Option1Name, p.Option2Name, p.Option3Name} {
		if n != "" {
			names = append(names, n)
		}
	}
	return names
}

// SetOptions sets the option names, in order.
func (p *Product) SetOptions(names []string) {
	slots := []*string{&p.Option1Name, &p.Option2Name, &p.Option3Name}
	for i, s := range slots {
		*s = ""
		if i < len(names) {
			*s = names[i]
		}
	}
}

// TagList splits Tags into its tags: trimmed, without empties or repeats (ignoring case).
func (p *Product) TagList() []string {
	return SplitTags(p.Tags)
}

// SplitTags splits a comma-separated tag list: trimmed, without empties or repeats (ignoring case).
func SplitTags(s string) []string {
	var tags []string
	seen := map[string]bool{}
	for _, t := range strings.Split(s, ",") {
		t = strings.TrimSpace(t)
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		tags = append(tags, t)
	}
	return tags
}

// LowStockThreshold is the stock at or under which a variant that cannot be oversold counts as low.
const LowStockThreshold = 5

// Variant is a purchasable version of a product (a size, a colour), with its price and stock.
type Variant struct {
	ID              int64
	ShopID          int64
	ProductID       int64
	Position        int
	Title           string
	Option1         string
	Option2         string
	Option3         string
	SKU             string `gorm:"column:sku"`
	Barcode         string
	PriceMinor      int64
	Currency        string
	CompareAtMinor  *int64
	InventoryQty    int64
	InventoryPolicy string
	WeightGrams     int64
	WeightUnit      string
	ImageSrc        string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Price is the variant's price as Money.
func (v *Variant) Price() money.Money { return money.Money{Minor: v.PriceMinor, Currency: v.Currency} }

// OptionValues lists the variant's option values for the product's n options.
func (v *Variant) OptionValues(n int) []string {
	return []string{v.Option1, v.Option2, v.Option3}[:min(n, MaxOptions)]
}

// SetOptionValues sets the option values and the title made of them.
func (v *Variant) SetOptionValues(values []string) {
	slots := []*string{&v.Option1, &v.Option2, &v.Option3}
	for i, s := range slots {
		*s = ""
		if i < len(values) {
			*s = values[i]
		}
	}
	v.Title = DefaultVariantTitle
	if len(values) > 0 {
		v.Title = strings.Join(values, " / ")
	}
}

// Sellable reports whether the variant can be bought now.
func (v *Variant) Sellable() bool {
	return v.InventoryQty > 0 || v.InventoryPolicy == PolicyContinue
}
