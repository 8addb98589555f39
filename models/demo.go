package models

import (
	"context"
	"errors"

	"github.com/chatshop/chatshop/password"
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
	// DemoPageToken and DemoMerchantEmail are the demo Page's access token and the demo merchant's
	// email address as the emulators make them (their tests check that they agree).
	DemoPageToken     = "EAAGsandbox" + DemoPageID
	DemoMerchantEmail = "sb-7xkq2rm4lspna@business.example.com"
)

// EnsureDemo creates the demo shop, its owner, the platform admin and a small catalog, unless they
// exist already; it reports whether it created anything. Running it again, or in several
// processes at once, duplicates nothing.
func (s *Store) EnsureDemo(ctx context.Context) (created bool, err error) {
	err = s.WithSetupLock(ctx, func() error {
		created, err = s.ensureDemo(ctx)
		return err
	})
	return created, err
}

func (s *Store) ensureDemo(ctx context.Context) (bool, error) {
	created := false
	if _, err := s.UserByEmail(ctx, DemoAdminEmail); errors.Is(err, ErrNotFound) {
		hash, err := password.Hash(ctx, DemoAdminPassword)
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
	hash, err := password.Hash(ctx, DemoOwnerPassword)
	if err != nil {
		return false, err
	}
	now := s.nowUTC()
	shop := Shop{Name: "Lakeside Supply Co.", Currency: "USD", AllowedCountries: "US", IsDemo: true, CountriesConfirmedAt: &now}
	owner := User{Email: DemoOwnerEmail, Name: "Dana Demo", PasswordHash: hash}
	if err := s.CreateShopWithOwner(ctx, &shop, &owner, ""); err != nil {
		return false, err
	}
	if err := s.createDemoCatalog(ctx, shop.ID); err != nil {
		return false, err
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
	if err := s.ensureDemoImages(ctx, shop.ShopID()); err != nil {
		return false, err
	}
	created := false
	if ok, err := s.exists(ctx, "messenger_pages", "page_id", DemoPageID); err != nil {
		return false, err
	} else if !ok {
		token := ""
		if s.sealer != nil { // the demo's simulated Page has the token the Graph emulator expects
			token = DemoPageToken
		}
		if err := shop.ConnectPage(ctx, PageConnection{PageID: DemoPageID, Name: DemoPageName, Token: token}, by, nil); err != nil {
			return false, err
		}
		created = true
	}
	if ok, err := s.exists(ctx, "paypal_accounts", "merchant_id", DemoMerchantID); err != nil {
		return false, err
	} else if !ok {
		m := MerchantStatus{MerchantID: DemoMerchantID, TrackingID: TrackingID(shop.ShopID()), LegalName: DemoPageName,
			Email:              DemoMerchantEmail,
			PermissionsGranted: true, PaymentsReceivable: true, PrimaryEmailConfirmed: true}
		if err := shop.ConnectPayPal(ctx, m, by); err != nil {
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

// DemoShopID is the id of the demo shop (ErrNotFound before EnsureDemo).
func (s *Store) DemoShopID(ctx context.Context) (int64, error) {
	var id int64
	err := s.r.WithContext(ctx).Model(&Shop{}).Where("is_demo").Order("id").Limit(1).Pluck("id", &id).Error
	if err == nil && id == 0 {
		err = ErrNotFound
	}
	return id, err
}
