package models

import (
	"context"

	"github.com/chatshop/chatshop/money"
)

// ShippingRate is what shipping to one country costs a shop's shoppers, in the shop's currency: a
// flat rate, free when the items come to FreeAboveMinor or more (nil: never free). A country
// without a rate ships free.
type ShippingRate struct {
	ShopID         int64  `gorm:"primaryKey"`
	Country        string `gorm:"primaryKey"`
	RateMinor      int64
	FreeAboveMinor *int64
}

// Cost is the shipping of items worth itemsMinor.
func (r *ShippingRate) Cost(itemsMinor int64) int64 {
	if r == nil || r.FreeAboveMinor != nil && itemsMinor >= *r.FreeAboveMinor {
		return 0
	}
	return r.RateMinor
}

// Words say the rate as a shopper reads it: "Shipping $5.00, free from $50.00".
func (r *ShippingRate) Words(currency string) string {
	if r == nil || r.RateMinor == 0 {
		return "Free shipping"
	}
	words := "Shipping " + money.Money{Minor: r.RateMinor, Currency: currency}.String()
	if r.FreeAboveMinor != nil {
		words += ", free from " + money.Money{Minor: *r.FreeAboveMinor, Currency: currency}.String()
	}
	return words
}

// ShippingRates are the shop's rates by country.
func (d *ShopData) ShippingRates(ctx context.Context) (map[string]ShippingRate, error) {
	return shippingRates(d.s.reading(ctx), d.shopID)
}

func shippingRates(tx *Tx, shopID int64) (map[string]ShippingRate, error) {
	var rows []ShippingRate
	if err := tx.db.Where("shop_id = ?", shopID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string]ShippingRate{}
	for _, r := range rows {
		out[r.Country] = r
	}
	return out, nil
}

// SetShippingRates replaces the shop's rates (countries left out ship free).
func (d *ShopData) SetShippingRates(ctx context.Context, rates []ShippingRate, by Actor) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		if err := tx.db.Where("shop_id = ?", d.shopID).Delete(&ShippingRate{}).Error; err != nil {
			return err
		}
		for i := range rates {
			rates[i].ShopID = d.shopID
		}
		if len(rates) > 0 {
			if err := tx.db.Create(&rates).Error; err != nil {
				return err
			}
		}
		return tx.audit(d.shopID, by, AuditShopUpdated, "shipping", "shipping rates", tx.now())
	})
}

// shippingFor is what shipping items worth itemsMinor in currency to country costs the shop's shopper.
func (tx *Tx) shippingFor(shopID int64, country, currency string, itemsMinor int64) (int64, error) {
	var shop Shop
	if err := tx.db.Select("currency").Take(&shop, shopID).Error; err != nil {
		return 0, translate(err)
	}
	if shop.Currency != currency {
		return 0, nil // rates are in the shop's currency
	}
	var rates []ShippingRate
	if err := tx.db.Where("shop_id = ? AND country = ?", shopID, country).Limit(1).Find(&rates).Error; err != nil || len(rates) == 0 {
		return 0, err
	}
	return rates[0].Cost(itemsMinor), nil
}
