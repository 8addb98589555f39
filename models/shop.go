package models

import (
	"context"
	"strings"
	"time"
)

// Shop is a retailer on chatshop; every piece of shop data carries its id.
type Shop struct {
	ID               int64
	Name             string
	Currency         string
	AllowedCountries string // comma-separated ISO 3166-1 alpha-2 codes
	IsDemo           bool
	// CountriesConfirmedAt is when the owner chose the countries; nil until they do.
	CountriesConfirmedAt *time.Time
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

// PayPalCountries are the countries a shop may offer PayPal in: PayPal's largest markets.
var PayPalCountries = []struct{ Code, Name string }{
	{"US", "United States"}, {"CA", "Canada"}, {"MX", "Mexico"}, {"BR", "Brazil"}, {"GB", "United Kingdom"},
	{"IE", "Ireland"}, {"FR", "France"}, {"DE", "Germany"}, {"ES", "Spain"}, {"IT", "Italy"},
	{"NL", "Netherlands"}, {"BE", "Belgium"}, {"AT", "Austria"}, {"CH", "Switzerland"}, {"PT", "Portugal"},
	{"SE", "Sweden"}, {"DK", "Denmark"}, {"NO", "Norway"}, {"FI", "Finland"}, {"PL", "Poland"},
	{"AU", "Australia"}, {"NZ", "New Zealand"}, {"JP", "Japan"}, {"HK", "Hong Kong"}, {"SG", "Singapore"},
}

// CountryNames lists the names of countries by their codes ("the United States and Canada").
func CountryNames(codes []string) string {
	var names []string
	for _, c := range codes {
		name := c
		for _, pc := range PayPalCountries {
			if pc.Code == c {
				name = pc.Name
			}
		}
		if name == "United States" || name == "United Kingdom" || name == "Netherlands" {
			name = "the " + name
		}
		names = append(names, name)
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Countries is the list of countries whose shoppers may pay with PayPal.
func (sh *Shop) Countries() []string { return splitList(sh.AllowedCountries) }

// ShopByID finds a shop by id.
func (s *Store) ShopByID(ctx context.Context, id int64) (*Shop, error) {
	var sh Shop
	if err := s.r.WithContext(ctx).Take(&sh, id).Error; err != nil {
		return nil, translate(err)
	}
	return &sh, nil
}

// CreateShopWithOwner creates a shop and its owner account in one transaction. An email already
// registered is ErrConflict, and then nothing is created.
func (s *Store) CreateShopWithOwner(ctx context.Context, shop *Shop, owner *User, ip string) error {
	return s.Transaction(ctx, func(tx *Tx) error {
		owner.Email = NormalizeEmail(owner.Email)
		if err := tx.db.Create(shop).Error; err != nil {
			return translate(err)
		}
		if err := tx.db.Create(owner).Error; err != nil {
			return translate(err)
		}
		m := Membership{ShopID: shop.ID, UserID: owner.ID, Role: RoleOwner}
		if err := tx.db.Create(&m).Error; err != nil {
			return translate(err)
		}
		if err := tx.rememberAddress(owner.ID, ip, s.nowUTC()); err != nil {
			return err
		}
		return tx.audit(shop.ID, Actor{UserID: owner.ID, Email: owner.Email, IP: ip}, AuditShopCreated, shop.Name, "", s.nowUTC())
	})
}

// SetCountries chooses the countries whose shoppers may pay with PayPal (ISO 3166-1 alpha-2 codes,
// validated by the caller) and marks the choice as made.
func (d *ShopData) SetCountries(ctx context.Context, codes []string, by Actor) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		now := tx.now()
		if err := tx.db.Model(&Shop{}).Where("id = ?", d.shopID).
			Updates(map[string]any{"allowed_countries": strings.Join(codes, ","), "countries_confirmed_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		return tx.audit(d.shopID, by, AuditShopUpdated, "Allowed countries", strings.Join(codes, ", "), now)
	})
}

// RenameShop changes the shop's name.
func (d *ShopData) RenameShop(ctx context.Context, name string, by Actor) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		now := tx.now()
		if err := tx.db.Model(&Shop{}).Where("id = ?", d.shopID).Updates(map[string]any{"name": name, "updated_at": now}).Error; err != nil {
			return err
		}
		return tx.audit(d.shopID, by, AuditShopUpdated, "Shop name", name, now)
	})
}

// DemoShopID is the id of the sandbox's demo shop, the shop marked is_demo (ErrNotFound before
// the demo exists).
func (s *Store) DemoShopID(ctx context.Context) (int64, error) {
	var id int64
	err := s.r.WithContext(ctx).Model(&Shop{}).Where("is_demo").Order("id").Limit(1).Pluck("id", &id).Error
	if err == nil && id == 0 {
		err = ErrNotFound
	}
	return id, err
}
