package models

import (
	"context"
	"errors"
)

// The demo logins printed at start-up in sandbox mode (live mode never creates them).
const (
	DemoOwnerEmail    = "demo@chatshop.test"
	DemoOwnerPassword = "demo-password"
	DemoAdminEmail    = "admin@chatshop.test"
	DemoAdminPassword = "admin-password"

	// DemoPageID is the simulated Facebook Page of the demo shop.
	DemoPageID   = "104859213370001"
	DemoPageName = "Lakeside Supply Co."
	// DemoMerchantID is the demo shop's sandbox PayPal merchant (PayPal's ids have 13 characters).
	DemoMerchantID = "7XKQ2RM4LSPNA"
)

// EnsureDemo creates the demo shop, its owner, the platform admin and a small catalog, unless they
// exist already; it reports whether it created anything. Running it again duplicates nothing.
func (s *Store) EnsureDemo(ctx context.Context) (bool, error) {
	created := false
	if _, err := s.UserByEmail(ctx, DemoAdminEmail); errors.Is(err, ErrNotFound) {
		hash, err := HashPassword(ctx, DemoAdminPassword)
		if err != nil {
			return false, err
		}
		admin := User{Email: DemoAdminEmail, Name: "Avery Admin", PasswordHash: hash, IsAdmin: true}
		if err := s.w.WithContext(ctx).Create(&admin).Error; err != nil {
			return false, translate(err)
		}
		created = true
	} else if err != nil {
		return false, err
	}

	if owner, err := s.UserByEmail(ctx, DemoOwnerEmail); err == nil {
		connected, err := s.ensureDemoConnections(ctx, owner)
		return created || connected, err
	} else if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	hash, err := HashPassword(ctx, DemoOwnerPassword)
	if err != nil {
		return false, err
	}
	shop := Shop{Name: "Lakeside Supply Co.", Currency: "USD", AllowedCountries: "US", IsDemo: true}
	owner := User{Email: DemoOwnerEmail, Name: "Dana Demo", PasswordHash: hash}
	if err := s.CreateShopWithOwner(ctx, &shop, &owner, ""); err != nil {
		return false, err
	}
	for _, p := range demoCatalog() {
		if err := s.ForShop(shop.ID).CreateProduct(ctx, &p); err != nil {
			return false, err
		}
	}
	if _, err := s.ensureDemoConnections(ctx, &owner); err != nil {
		return false, err
	}
	return true, nil
}

// ensureDemoConnections connects the demo shop to its simulated Page and sandbox merchant,
// unless it is already (a data directory from before they existed gets them on its next start).
func (s *Store) ensureDemoConnections(ctx context.Context, owner *User) (bool, error) {
	ms, err := s.MembershipsOf(ctx, owner.ID)
	if err != nil || len(ms) == 0 {
		return false, err
	}
	shop, by := s.ForShop(ms[0].ShopID), Actor{UserID: owner.ID, Email: owner.Email}
	created := false
	if ok, err := s.exists(ctx, "messenger_pages", "page_id", DemoPageID); err != nil {
		return false, err
	} else if !ok {
		token := ""
		if s.sealer != nil { // the demo's simulated Page has the token the Graph emulator expects
			token = SimulatedPageToken(DemoPageID)
		}
		if err := shop.ConnectPage(ctx, DemoPageID, DemoPageName, token, by); err != nil {
			return false, err
		}
		created = true
	}
	if ok, err := s.exists(ctx, "paypal_accounts", "merchant_id", DemoMerchantID); err != nil {
		return false, err
	} else if !ok {
		if err := shop.ConnectPayPal(ctx, DemoMerchantID, by); err != nil {
			return false, err
		}
		created = true
	}
	return created, nil
}

func (s *Store) exists(ctx context.Context, table, column, value string) (bool, error) {
	var n int64
	err := s.r.WithContext(ctx).Table(table).Where(column+" = ?", value).Count(&n).Error
	return n > 0, err
}
func demoCatalog() []Product {
	usd := func(title, sku string, cents, qty int64) Variant {
		return Variant{Title: title, SKU: sku, PriceMinor: cents, Currency: "USD", InventoryQty: qty, InventoryPolicy: "deny"}
	}
	return []Product{
		{Handle: "trail-runner-cap", Title: "Trail Runner Cap", Vendor: "Lakeside", ProductType: "Hats", Tags: "outdoor, summer", Status: ProductActive,
			DescriptionHTML: "<p>Lightweight, quick-dry cap with a curved brim.</p>",
			Variants:        []Variant{usd("Default Title", "LS-CAP-01", 2400, 40)}},
		{Handle: "merino-crew-socks", Title: "Merino Crew Socks", Vendor: "Lakeside", ProductType: "Socks", Tags: "wool, bestseller", Status: ProductActive,
			DescriptionHTML: "<p>Soft merino wool socks that stay warm when wet.</p>",
			Variants:        []Variant{usd("S", "LS-SOCK-S", 1800, 25), usd("M", "LS-SOCK-M", 1800, 32), usd("L", "LS-SOCK-L", 1800, 12)}},
		{Handle: "canvas-weekender", Title: "Canvas Weekender Bag", Vendor: "Harbor & Pine", ProductType: "Bags", Tags: "travel", Status: ProductActive,
			DescriptionHTML: "<p>Waxed canvas with leather handles; fits a weekend.</p>",
			Variants:        []Variant{usd("Olive", "HP-WKND-OLV", 12900, 6), usd("Navy", "HP-WKND-NVY", 12900, 3)}},
		{Handle: "enamel-camp-mug", Title: "Enamel Camp Mug", Vendor: "Harbor & Pine", ProductType: "Kitchen", Tags: "camping", Status: ProductActive,
			DescriptionHTML: "<p>12 oz enamel steel mug for the trail and the desk.</p>",
			Variants:        []Variant{usd("Default Title", "HP-MUG-12", 1600, 58)}},
		{Handle: "packable-rain-shell", Title: "Packable Rain Shell", Vendor: "Lakeside", ProductType: "Jackets", Tags: "rain, outdoor", Status: ProductActive,
			DescriptionHTML: "<p>Waterproof shell that packs into its own pocket.</p>",
			Variants:        []Variant{usd("S", "LS-SHELL-S", 8900, 4), usd("M", "LS-SHELL-M", 8900, 9), usd("L", "LS-SHELL-L", 8900, 0)}},
		{Handle: "cedar-soy-candle", Title: "Cedar & Sage Soy Candle", Vendor: "Juniper Home", ProductType: "Home", Tags: "gift", Status: ProductActive,
			DescriptionHTML: "<p>Hand-poured soy candle, 40 hours of burn time.</p>",
			Variants:        []Variant{usd("Default Title", "JH-CNDL-CS", 2800, 21)}},
		{Handle: "insulated-bottle", Title: "Insulated Bottle 750 ml", Vendor: "Lakeside", ProductType: "Bottles", Tags: "outdoor", Status: ProductDraft,
			DescriptionHTML: "<p>Keeps drinks cold for 24 hours.</p>",
			Variants:        []Variant{usd("Default Title", "LS-BTL-750", 3400, 0)}},
		{Handle: "wool-blanket-classic", Title: "Classic Wool Blanket", Vendor: "Juniper Home", ProductType: "Home", Tags: "wool, winter", Status: ProductArchived,
			DescriptionHTML: "<p>Our original stripe blanket.</p>",
			Variants:        []Variant{usd("Default Title", "JH-BLNK-01", 14500, 2)}},
	}
}
