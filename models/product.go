package models

import (
	"context"
	"time"

	"gorm.io/gorm"
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

// Product is an item of a shop's catalog; what is bought is one of its variants.
type Product struct {
	ID              int64
	ShopID          int64
	Handle          string
	Title           string
	DescriptionHTML string
	Vendor          string
	ProductType     string
	Tags            string
	Status          ProductStatus
	Version         int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Variants        []Variant
}

// Variant is a purchasable version of a product (a size, a colour), with its price and stock.
type Variant struct {
	ID              int64
	ShopID          int64
	ProductID       int64
	Position        int
	Title           string
	SKU             string `gorm:"column:sku"`
	PriceMinor      int64
	Currency        string
	CompareAtMinor  *int64
	InventoryQty    int64
	InventoryPolicy string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Price is the variant's price as Money.
func (v *Variant) Price() Money { return Money{Minor: v.PriceMinor, Currency: v.Currency} }

// ProductPage is one page of a keyset-paginated product list.
type ProductPage struct {
	Products []Product
	// NextBefore is the cursor for the next page (older products); 0 when this is the last page.
	NextBefore int64
}

// ListProducts lists the shop's products, newest first, limit at a time, starting before the id cursor.
func (d *ShopData) ListProducts(ctx context.Context, before int64, limit int) (ProductPage, error) {
	q := d.s.r.WithContext(ctx).Where("shop_id = ?", d.shopID).
		Preload("Variants", func(db *gorm.DB) *gorm.DB { return db.Order("position") })
	ps, next, err := keysetPage(q, before, limit, func(p *Product) int64 { return p.ID })
	return ProductPage{Products: ps, NextBefore: next}, err
}

// ProductCounts is how many products a shop has in each status.
type ProductCounts struct {
	Active, Draft, Archived int64
}

// CountProducts counts the shop's products by status.
func (d *ShopData) CountProducts(ctx context.Context) (ProductCounts, error) {
	var rows []struct {
		Status ProductStatus
		N      int64
	}
	err := d.s.r.WithContext(ctx).Model(&Product{}).Select("status, count(*) AS n").
		Where("shop_id = ?", d.shopID).Group("status").Scan(&rows).Error
	var c ProductCounts
	for _, r := range rows {
		switch r.Status {
		case ProductActive:
			c.Active = r.N
		case ProductDraft:
			c.Draft = r.N
		case ProductArchived:
			c.Archived = r.N
		}
	}
	return c, err
}

// CreateProduct stores a product with its variants in the shop.
func (d *ShopData) CreateProduct(ctx context.Context, p *Product) error {
	p.ShopID = d.shopID
	return d.s.Transaction(ctx, func(tx *Tx) error {
		variants := p.Variants
		p.Variants = nil
		if err := tx.db.Create(p).Error; err != nil {
			return translate(err)
		}
		for i := range variants {
			variants[i].ShopID, variants[i].ProductID, variants[i].Position = p.ShopID, p.ID, i+1
		}
		if len(variants) > 0 {
			if err := tx.db.Create(&variants).Error; err != nil {
				return translate(err)
			}
		}
		p.Variants = variants
		return nil
	})
}

// CountOutOfStockVariants counts variants of active products that cannot be bought: no stock and
// the inventory policy denies overselling.
func (d *ShopData) CountOutOfStockVariants(ctx context.Context) (int64, error) {
	var n int64
	err := d.s.r.WithContext(ctx).Model(&Variant{}).
		Joins("JOIN products ON products.id = variants.product_id").
		Where("variants.shop_id = ? AND products.status = ? AND variants.inventory_qty <= 0 AND variants.inventory_policy = 'deny'", d.shopID, ProductActive).
		Count(&n).Error
	return n, err
}
