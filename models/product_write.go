package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// CreateProduct stores a new product with its variants in the shop. The product must be valid
// (Validate); a handle or SKU already in use is a *TakenError (an ErrConflict).
func (d *ShopData) CreateProduct(ctx context.Context, p *Product, by Actor) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		if err := tx.createProduct(d.shopID, p); err != nil {
			return err
		}
		return tx.audit(d.shopID, by, AuditProductCreated, p.Handle, p.Title, tx.now())
	})
}

func (tx *Tx) createProduct(shopID int64, p *Product) error {
	p.ID, p.ShopID, p.Version = 0, shopID, 1
	p.DescriptionHTML = SanitizeDescription(p.DescriptionHTML)
	if err := tx.checkTaken(shopID, p); err != nil {
		return err
	}
	if err := tx.db.Omit("Variants", "Images").Create(p).Error; err != nil {
		return translate(err)
	}
	if err := tx.saveVariants(p, nil); err != nil {
		return err
	}
	if err := tx.replaceImages(p, p.Images); err != nil { // images given with a new product (imports, seeds)
		return err
	}
	return tx.refreshProduct(p)
}

// UpdateProduct saves an edit of a product made from version p.Version: the product's fields, and its
// variants (those with an id are updated, those without are added, the others removed). An edit from
// an older version than the stored one is ErrConflict: someone else saved in between.
func (d *ShopData) UpdateProduct(ctx context.Context, p *Product, by Actor) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		if err := tx.updateProduct(d.shopID, p); err != nil {
			return err
		}
		return tx.audit(d.shopID, by, AuditProductUpdated, p.Handle, p.Title, tx.now())
	})
}

func (tx *Tx) updateProduct(shopID int64, p *Product) error {
	p.ShopID = shopID
	p.DescriptionHTML = SanitizeDescription(p.DescriptionHTML)
	if err := tx.checkTaken(shopID, p); err != nil {
		return err
	}
	res := tx.db.Model(&Product{}).Where("id = ? AND shop_id = ? AND version = ?", p.ID, shopID, p.Version).
		Updates(map[string]any{
			"handle": p.Handle, "title": p.Title, "description_html": p.DescriptionHTML, "vendor": p.Vendor,
			"product_type": p.ProductType, "tags": p.Tags, "status": p.Status, "option1_name": p.Option1Name,
			"option2_name": p.Option2Name, "option3_name": p.Option3Name, "version": p.Version + 1,
			"updated_at": tx.now(),
		})
	if err := translate(res.Error); err != nil {
		return err
	}
	if res.RowsAffected == 0 {
		var n int64
		if err := tx.db.Model(&Product{}).Where("id = ? AND shop_id = ?", p.ID, shopID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		return ErrConflict
	}
	p.Version++
	var existing []Variant
	if err := tx.db.Where("product_id = ?", p.ID).Find(&existing).Error; err != nil {
		return err
	}
	if err := tx.saveVariants(p, existing); err != nil {
		return err
	}
	return tx.refreshProduct(p)
}

// saveVariants writes p.Variants in order, updating those that match an existing variant by id,
// inserting the rest and deleting the existing ones not kept.
func (tx *Tx) saveVariants(p *Product, existing []Variant) error {
	kept := map[int64]bool{}
	known := map[int64]Variant{}
	for _, v := range existing {
		known[v.ID] = v
	}
	for i := range p.Variants {
		if _, ok := known[p.Variants[i].ID]; ok {
			kept[p.Variants[i].ID] = true
		} else {
			p.Variants[i].ID = 0
		}
	}
	var gone []int64
	for _, v := range existing {
		if !kept[v.ID] {
			gone = append(gone, v.ID)
		}
	}
	if len(gone) > 0 {
		if err := tx.db.Where("id IN ?", gone).Delete(&Variant{}).Error; err != nil {
			return err
		}
	}
	// The kept variants let go of their SKUs first, so that SKUs may move between them.
	if len(kept) > 0 {
		ids := make([]int64, 0, len(kept))
		for id := range kept {
			ids = append(ids, id)
		}
		if err := tx.db.Model(&Variant{}).Where("id IN ?", ids).Update("sku", "").Error; err != nil {
			return err
		}
	}
	now := tx.now()
	for i := range p.Variants {
		v := &p.Variants[i]
		v.ShopID, v.ProductID, v.Position, v.UpdatedAt = p.ShopID, p.ID, i+1, now
		if v.ID != 0 {
			v.CreatedAt = known[v.ID].CreatedAt
			if err := tx.db.Select("*").Omit("id", "shop_id", "product_id").Updates(v).Error; err != nil {
				return translate(err)
			}
			continue
		}
		v.CreatedAt = now
		if err := tx.db.Create(v).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}

// refreshProduct recomputes the figures the list reads, the tag index and the search index of p.
func (tx *Tx) refreshProduct(p *Product) error {
	if err := tx.refreshFigures(p.ID); err != nil {
		return err
	}
	if err := tx.db.Exec("DELETE FROM product_tags WHERE product_id = ?", p.ID).Error; err != nil {
		return err
	}
	for _, tag := range SplitTags(p.Tags) {
		err := tx.db.Exec("INSERT INTO product_tags (shop_id, tag, product_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", p.ShopID, tag, p.ID).Error
		if err != nil {
			return err
		}
	}
	if err := tx.db.Exec("DELETE FROM products_fts WHERE docid = ?", p.ID).Error; err != nil {
		return err
	}
	return tx.db.Exec(`INSERT INTO products_fts (docid, title, vendor, tags, skus)
		SELECT id, title, vendor, tags, coalesce((SELECT string_agg(sku, ' ') FROM variants v WHERE v.product_id = products.id), '')
		FROM products WHERE id = ?`, p.ID).Error
}

// refreshFigures recomputes the figures the list reads of a product (counts, prices, stock,
// whether the bot offers it). A change of stock alone needs no more: its title, tags and SKUs,
// which the tag and search indexes hold, are as they were.
func (tx *Tx) refreshFigures(productID int64) error {
	err := tx.db.Exec(`UPDATE products SET
		variant_count = (SELECT count(*) FROM variants v WHERE v.product_id = products.id),
		price_min_minor = coalesce((SELECT min(price_minor) FROM variants v WHERE v.product_id = products.id), 0),
		price_max_minor = coalesce((SELECT max(price_minor) FROM variants v WHERE v.product_id = products.id), 0),
		currency = coalesce((SELECT currency FROM variants v WHERE v.product_id = products.id LIMIT 1), ''),
		total_inventory = coalesce((SELECT sum(inventory_qty) FROM variants v WHERE v.product_id = products.id), 0),
		min_tracked_stock = (SELECT min(inventory_qty) FROM variants v WHERE v.product_id = products.id AND v.inventory_policy = 'deny'),
		image_count = (SELECT count(*) FROM product_images i WHERE i.product_id = products.id)
		WHERE id = ?`, productID).Error
	if err != nil {
		return err
	}
	return tx.db.Exec(`UPDATE products SET offered = (status = 'active' AND image_count > 0 AND EXISTS (
		SELECT 1 FROM variants v WHERE v.product_id = products.id AND (v.inventory_qty > 0 OR v.inventory_policy = 'continue')))
		WHERE id = ?`, productID).Error
}

// SetProductsStatus moves the shop's products with these ids to status; it returns how many changed.
func (d *ShopData) SetProductsStatus(ctx context.Context, ids []int64, status ProductStatus, by Actor) (int, error) {
	if !status.Valid() {
		return 0, errors.New("models: unknown product status " + string(status))
	}
	n := 0
	err := d.s.Transaction(ctx, func(tx *Tx) error {
		var ps []Product
		if err := tx.db.Where("shop_id = ? AND id IN ? AND status <> ?", d.shopID, ids, status).Find(&ps).Error; err != nil {
			return err
		}
		for i := range ps {
			err := tx.db.Model(&Product{}).Where("id = ?", ps[i].ID).
				Updates(map[string]any{"status": status, "version": ps[i].Version + 1, "updated_at": tx.now()}).Error
			if err != nil {
				return err
			}
			if err := tx.refreshProduct(&ps[i]); err != nil {
				return err
			}
		}
		n = len(ps)
		return tx.audit(d.shopID, by, AuditProductsStatusChanged, string(status), fmt.Sprintf("%d products", n), tx.now())
	})
	return n, err
}

// DeleteProducts deletes the shop's products with these ids; it returns how many were deleted.
func (d *ShopData) DeleteProducts(ctx context.Context, ids []int64, by Actor) (int, error) {
	n := 0
	err := d.s.Transaction(ctx, func(tx *Tx) error {
		var mine []int64
		if err := tx.db.Model(&Product{}).Where("shop_id = ? AND id IN ?", d.shopID, ids).Pluck("id", &mine).Error; err != nil {
			return err
		}
		if len(mine) == 0 {
			return nil
		}
		if err := tx.db.Exec("DELETE FROM products_fts WHERE docid IN ?", mine).Error; err != nil {
			return err
		}
		res := tx.db.Where("id IN ?", mine).Delete(&Product{})
		if res.Error != nil {
			return res.Error
		}
		n = int(res.RowsAffected)
		return tx.audit(d.shopID, by, AuditProductsDeleted, "", fmt.Sprintf("%d products", n), tx.now())
	})
	return n, err
}

// TakenError says which handle or SKU of a product is already used by another product of the shop.
type TakenError struct {
	Field   string // "handle" or "sku"
	Value   string
	Variant int    // index of the variant, for a SKU
	Product string // title of the product that has it
}

func (e *TakenError) Error() string {
	return e.Field + " " + e.Value + " is already used by " + e.Product
}

// Unwrap makes a TakenError an ErrConflict.
func (e *TakenError) Unwrap() error { return ErrConflict }

// checkTaken returns a *TakenError when p's handle or one of its SKUs belongs to another product.
func (tx *Tx) checkTaken(shopID int64, p *Product) error {
	var other Product
	err := tx.db.Select("id, title").Where("shop_id = ? AND handle = ? AND id <> ?", shopID, p.Handle, p.ID).Take(&other).Error
	if err == nil {
		return &TakenError{Field: "handle", Value: p.Handle, Product: other.Title}
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return err
	}
	for i, v := range p.Variants {
		if v.SKU == "" {
			continue
		}
		var title string
		err := tx.db.Raw(`SELECT p.title FROM variants v JOIN products p ON p.id = v.product_id
			WHERE v.shop_id = ? AND v.sku = ? AND v.sku <> '' AND v.product_id <> ?`, shopID, v.SKU, p.ID).Scan(&title).Error
		if err != nil {
			return err
		}
		if title != "" {
			return &TakenError{Field: "sku", Value: v.SKU, Variant: i, Product: title}
		}
	}
	return nil
}
