package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ShopperRow is a shopper as the dashboard lists them, with what they bought.
type ShopperRow struct {
	Shopper
	Orders     int   // paid orders
	SpentMinor int64 // the paid orders' total
	Currency   string
}

// ShopperPage is one keyset page of the shop's shoppers, newest first, and the cursor of the next.
func (d *ShopData) ShopperPage(ctx context.Context, before int64, limit int) ([]ShopperRow, int64, error) {
	db := d.s.r.WithContext(ctx)
	shoppers, next, err := keysetPage(db.Where("shop_id = ?", d.shopID), before, limit, func(s *Shopper) int64 { return s.ID })
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(shoppers))
	for i, sh := range shoppers {
		ids[i] = sh.ID
	}
	// What the page's shoppers bought, in one query rather than one per shopper.
	var bought []struct {
		ShopperID  int64
		Orders     int
		SpentMinor int64
		Currency   string
	}
	err = db.Model(&Order{}).Where("shopper_id IN ? AND shop_id = ? AND status = ?", ids, d.shopID, OrderPaid).
		Select("shopper_id, count(*) AS orders, coalesce(sum(total_minor), 0) AS spent_minor, coalesce(max(currency), '') AS currency").
		Group("shopper_id").Scan(&bought).Error
	if err != nil {
		return nil, 0, err
	}
	rows := make([]ShopperRow, len(shoppers))
	for i, sh := range shoppers {
		rows[i].Shopper = sh
		for _, b := range bought {
			if b.ShopperID == sh.ID {
				rows[i].Orders, rows[i].SpentMinor, rows[i].Currency = b.Orders, b.SpentMinor, b.Currency
			}
		}
	}
	return rows, next, nil
}

// ShopperRow reads one of the shop's shoppers with their paid orders and what they spent.
func (d *ShopData) ShopperRow(ctx context.Context, shopperID int64) (ShopperRow, error) {
	sh, err := d.Shopper(ctx, shopperID)
	if err != nil {
		return ShopperRow{}, err
	}
	return d.shopperRow(d.s.r.WithContext(ctx), *sh)
}

func (d *ShopData) shopperRow(db *gorm.DB, sh Shopper) (ShopperRow, error) {
	var bought struct {
		Orders     int
		SpentMinor int64
		Currency   string
	}
	err := db.Model(&Order{}).Where("shopper_id = ? AND shop_id = ? AND status = ?", sh.ID, d.shopID, OrderPaid).
		Select("count(*) AS orders, coalesce(sum(total_minor), 0) AS spent_minor, coalesce(max(currency), '') AS currency").
		Scan(&bought).Error
	return ShopperRow{Shopper: sh, Orders: bought.Orders, SpentMinor: bought.SpentMinor, Currency: bought.Currency}, err
}

// UnlinkShopper forgets a shopper's linked PayPal from the dashboard; then deletes its vault token,
// tells Messenger and the shopper (the jobs, in the same transaction). False when nothing was linked.
func (d *ShopData) UnlinkShopper(ctx context.Context, shopperID int64, by Actor,
	then func(ctx context.Context, tx *Tx, sh *Shopper, vaultID string) error) (bool, error) {
	unlinked := false
	err := d.s.Transaction(ctx, func(tx *Tx) error {
		sh, err := tx.ShopperOf(shopperID)
		if err != nil {
			return err
		}
		if sh.ShopID != d.shopID {
			return ErrNotFound
		}
		email := sh.PayPalEmail
		vault, err := tx.UnlinkShopper(sh)
		if err != nil || vault == "" {
			return err
		}
		unlinked = true
		detail := fmt.Sprintf("%s (PayPal %s)", sh.Name, email)
		if err := tx.audit(d.shopID, by, AuditShopperUnlinked, fmt.Sprint(sh.ID), detail, tx.now()); err != nil {
			return err
		}
		return then(ctx, tx, sh, vault)
	})
	return unlinked, err
}
