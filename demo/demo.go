// Package demo is the sandbox's demo: the logins printed at start-up, and the demo shop with its
// catalog and pictures, connected to the emulators' simulated Page and PayPal merchant. Live mode
// never creates it.
package demo

import (
	"context"
	"errors"
	"time"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/password"
)

// The demo logins printed at start-up in sandbox mode.
const (
	OwnerEmail    = "demo@chatshop.test"
	OwnerPassword = "demo-password"
	AdminEmail    = "admin@chatshop.test"
	AdminPassword = "admin-password"

	// PageID is the simulated Facebook Page of the demo shop.
	PageID   = "104859213370001"
	PageName = "Lakeside Supply Co."
	// MerchantID is the demo shop's sandbox PayPal merchant (PayPal's ids have 13 characters).
	MerchantID = "7XKQ2RM4LSPNA"
	// PageToken and MerchantEmail are the demo Page's access token and the demo merchant's email
	// address as the emulators make them (their tests check that they agree).
	PageToken     = "EAAGsandbox" + PageID
	MerchantEmail = "sb-7xkq2rm4lspna@business.example.com"
)

// Ensure creates the demo shop, its owner, the platform admin and a small catalog, unless they
// exist already; it reports whether it created anything. Running it again, or in several
// processes at once, duplicates nothing.
func Ensure(ctx context.Context, s *models.Store) (created bool, err error) {
	err = s.WithSetupLock(ctx, func() error {
		created, err = ensure(ctx, s)
		return err
	})
	return created, err
}

func ensure(ctx context.Context, s *models.Store) (bool, error) {
	created := false
	if _, err := s.UserByEmail(ctx, AdminEmail); errors.Is(err, models.ErrNotFound) {
		hash, err := password.Hash(ctx, AdminPassword)
		if err != nil {
			return false, err
		}
		if err := s.CreateAdmin(ctx, &models.User{Email: AdminEmail, Name: "Avery Admin", PasswordHash: hash}); err != nil {
			return false, err
		}
		created = true
	} else if err != nil {
		return false, err
	}

	if owner, err := s.UserByEmail(ctx, OwnerEmail); err == nil {
		connected, err := ensureConnections(ctx, s, owner)
		return created || connected, err
	} else if !errors.Is(err, models.ErrNotFound) {
		return false, err
	}
	hash, err := password.Hash(ctx, OwnerPassword)
	if err != nil {
		return false, err
	}
	now := time.Now().UTC()
	shop := models.Shop{Name: PageName, Currency: "USD", AllowedCountries: "US", IsDemo: true, CountriesConfirmedAt: &now}
	owner := models.User{Email: OwnerEmail, Name: "Dana Demo", PasswordHash: hash}
	if err := s.CreateShopWithOwner(ctx, &shop, &owner, ""); err != nil {
		return false, err
	}
	if err := createCatalog(ctx, s.ForShop(shop.ID)); err != nil {
		return false, err
	}
	if _, err := ensureConnections(ctx, s, &owner); err != nil {
		return false, err
	}
	return true, nil
}

// ensureConnections connects the demo shop to its simulated Page and sandbox merchant, unless they
// were ever connected (a data directory from before they existed gets them on its next start; one
// whose owner disconnected them keeps them disconnected).
func ensureConnections(ctx context.Context, s *models.Store, owner *models.User) (bool, error) {
	ms, err := s.MembershipsOf(ctx, owner.ID)
	if err != nil || len(ms) == 0 {
		return false, err
	}
	shop, by := s.ForShop(ms[0].ShopID), models.Actor{UserID: owner.ID, Email: owner.Email}
	if err := ensurePictures(ctx, shop); err != nil {
		return false, err
	}
	created := false
	if known, err := s.PageKnown(ctx, PageID); err != nil {
		return false, err
	} else if !known {
		// The demo's simulated Page has the token the Graph emulator expects.
		if err := shop.ConnectPage(ctx, models.PageConnection{PageID: PageID, Name: PageName, Token: PageToken}, by, nil); err != nil {
			return false, err
		}
		created = true
	}
	if known, err := s.MerchantKnown(ctx, MerchantID); err != nil {
		return false, err
	} else if !known {
		m := models.MerchantStatus{MerchantID: MerchantID, TrackingID: models.TrackingID(shop.ShopID()), LegalName: PageName,
			Email: MerchantEmail, PermissionsGranted: true, PaymentsReceivable: true, PrimaryEmailConfirmed: true}
		if err := shop.ConnectPayPal(ctx, m, by); err != nil {
			return false, err
		}
		created = true
	}
	return created, nil
}
