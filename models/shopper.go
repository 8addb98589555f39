package models

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chatshop/chatshop/live"
)

// Shopper is a person who messaged a shop's Page.
type Shopper struct {
	ID          int64
	ShopID      int64
	PageID      string
	PSID        string `gorm:"column:psid"`
	Name        string
	Locale      string
	Country     string // from the Messenger locale, then from PayPal once linked
	NeedsHuman  bool   // the conversation is in the shop's inbox
	Unread      int
	FirstSeenAt time.Time
	LastSeenAt  time.Time
	// The PayPal account linked to Messenger: a payment token in the shop's merchant vault.
	PayPalVaultID string `gorm:"column:paypal_vault_id"`
	PayPalEmail   string `gorm:"column:paypal_email"`
	LinkedAt      *time.Time
	// The conversation as the inbox lists it.
	AssignedUserID *int64
	LastMessageAt  *time.Time
	LastInboundAt  *time.Time // when the shopper last wrote: Messenger's reply window runs from it
	LastText       string
}

// DisplayName is how the dashboard names the shopper: their Messenger name, or, before the
// profile is known, the end of their PSID.
func (sh *Shopper) DisplayName() string {
	if sh.Name != "" {
		return sh.Name
	}
	return "Messenger user " + sh.PSID[max(0, len(sh.PSID)-4):]
}

// Linked reports whether the shopper linked PayPal and pays with one tap.
func (sh *Shopper) Linked() bool { return sh.PayPalVaultID != "" }

// ChatMessage is one message of a shopper's conversation, either way.
type ChatMessage struct {
	ID        int64
	ShopID    int64
	ShopperID int64
	Direction string // in or out
	Text      string
	Body      string
	CreatedAt time.Time
	// A message a team member wrote in the inbox: who, and the outbound message that carries it.
	AuthorUserID      *int64
	OutboundMessageID *int64
}

// TouchShopper finds the shopper behind a Page's PSID, making them on first contact (created),
// and notes that they were seen now.
func (tx *Tx) TouchShopper(shopID int64, pageID, psid string) (sh *Shopper, created bool, err error) {
	now := tx.now()
	sh = &Shopper{}
	err = tx.db.Where("page_id = ? AND psid = ?", pageID, psid).Take(sh).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		sh = &Shopper{ShopID: shopID, PageID: pageID, PSID: psid, FirstSeenAt: now, LastSeenAt: now}
		return sh, true, tx.db.Create(sh).Error
	case err != nil:
		return nil, false, err
	}
	if sh.ShopID != shopID { // the Page moved to another shop: its shoppers start afresh there
		sh.ShopID, sh.NeedsHuman, sh.Unread = shopID, false, 0
	}
	sh.LastSeenAt = now
	return sh, false, tx.db.Select("shop_id", "needs_human", "unread", "last_seen_at").Save(sh).Error
}

// RecordChat adds a message (Direction, Text and Body, and for the inbox's replies who wrote it) to
// the shopper's conversation, and moves the conversation to the top of the inbox.
func (tx *Tx) RecordChat(sh *Shopper, m ChatMessage) error {
	now := tx.now()
	m.ID, m.ShopID, m.ShopperID, m.CreatedAt = 0, sh.ShopID, sh.ID, now
	if err := tx.db.Create(&m).Error; err != nil {
		return err
	}
	conv := map[string]any{"last_message_at": now, "last_text": m.Text}
	sh.LastMessageAt, sh.LastText = &now, m.Text
	if m.Direction == "in" {
		conv["last_inbound_at"], sh.LastInboundAt = now, &now
	}
	tx.changed(sh.ShopID, live.Chat)
	return tx.db.Model(&Shopper{}).Where("id = ?", sh.ID).Updates(conv).Error
}

// HandToInbox puts the shopper's conversation in the shop's inbox with one more unread message;
// it reports whether it was there already.
func (tx *Tx) HandToInbox(sh *Shopper) (already bool, err error) {
	already = sh.NeedsHuman
	sh.NeedsHuman = true
	sh.Unread++
	return already, tx.db.Model(sh).Updates(map[string]any{"needs_human": true, "unread": gorm.Expr("unread + 1")}).Error
}

// SetShopperProfile records what the User Profile API says of a shopper, and gives the name to
// the shopper's orders too; the locale gives the country (en_US → US).
func (s *Store) SetShopperProfile(shopperID int64, name, locale string) error {
	country := ""
	if _, c, ok := strings.Cut(locale, "_"); ok && len(c) == 2 {
		country = strings.ToUpper(c)
	}
	return s.Transaction(context.Background(), func(tx *Tx) error {
		err := tx.db.Model(&Shopper{}).Where("id = ?", shopperID).Updates(map[string]any{"name": name, "locale": locale,
			"country": gorm.Expr("CASE WHEN linked_at IS NULL THEN ? ELSE country END", country)}).Error
		if err != nil {
			return err
		}
		return tx.db.Model(&Order{}).Where("shopper_id = ? AND shopper_name <> ?", shopperID, name).Update("shopper_name", name).Error
	})
}

// ShopperByID reads a shopper.
func (s *Store) ShopperByID(id int64) (*Shopper, error) {
	return s.reading(context.Background()).ShopperOf(id)
}

// Storefront is what the bot and the checkout need of a shop: its name, the countries whose
// shoppers may pay, and the PayPal merchant paid ("" while PayPal cannot take payments).
type Storefront struct {
	Name       string
	Countries  []string
	MerchantID string
	// Currency is the shop's; Rates its shipping rates by country.
	Currency string
	Rates    map[string]ShippingRate
}

// ShippingTo is the shop's shipping rate for country, nil when it ships there free.
func (f *Storefront) ShippingTo(country string) *ShippingRate {
	if r, ok := f.Rates[country]; ok {
		return &r
	}
	return nil
}

// Sells reports whether a shopper from country may pay with PayPal. A shopper whose country is not
// known yet (no locale) is not turned away: PayPal's own account country decides once linked.
func (f *Storefront) Sells(country string) bool {
	return f.MerchantID != "" && (country == "" || slices.Contains(f.Countries, country))
}

// Storefront reads the shop's storefront in the transaction.
func (tx *Tx) Storefront(shopID int64) (*Storefront, error) { return storefront(tx.db, shopID) }

// Storefront reads the shop's storefront.
func (s *Store) Storefront(shopID int64) (*Storefront, error) { return storefront(s.r, shopID) }

func storefront(db *gorm.DB, shopID int64) (*Storefront, error) {
	var shop Shop
	if err := db.Take(&shop, shopID).Error; err != nil {
		return nil, translate(err)
	}
	f := &Storefront{Name: shop.Name, Countries: shop.Countries(), Currency: shop.Currency}
	var rates []ShippingRate
	if err := db.Where("shop_id = ?", shopID).Find(&rates).Error; err != nil {
		return nil, err
	}
	for _, r := range rates {
		if f.Rates == nil {
			f.Rates = map[string]ShippingRate{}
		}
		f.Rates[r.Country] = r
	}
	var ids []string
	err := db.Model(&PayPalAccount{}).Where("shop_id = ? AND status = ?", shopID, PayPalConnected).
		Order("id DESC").Limit(1).Pluck("merchant_id", &ids).Error
	if len(ids) > 0 {
		f.MerchantID = ids[0]
	}
	return f, err
}

// OfferedProducts lists up to limit products offered in Messenger after the product afterID (0 for
// the first), oldest first, each with its first image.
func (tx *Tx) OfferedProducts(shopID, afterID int64, limit int) ([]Product, error) {
	var ps []Product
	if err := tx.db.Where("shop_id = ? AND offered AND id > ?", shopID, afterID).Order("id").Limit(limit).Find(&ps).Error; err != nil {
		return nil, err
	}
	for i := range ps {
		if err := tx.db.Where("product_id = ?", ps[i].ID).Order("position, id").Limit(1).Find(&ps[i].Images).Error; err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// OfferedProduct reads a product offered in Messenger with its variants and first image;
// ErrNotFound when it is not (or no longer) offered.
func (tx *Tx) OfferedProduct(shopID, id int64) (*Product, error) {
	var p Product
	if err := tx.db.Where("id = ? AND shop_id = ? AND offered", id, shopID).Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	if err := tx.db.Where("product_id = ?", p.ID).Order("position, id").Find(&p.Variants).Error; err != nil {
		return nil, err
	}
	return &p, tx.db.Where("product_id = ?", p.ID).Order("position, id").Limit(1).Find(&p.Images).Error
}
