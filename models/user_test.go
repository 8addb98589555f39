package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/password"
)

func TestPasswordHashing(t *testing.T) {
	ctx := context.Background()
	hash, err := password.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not argon2id with OWASP's parameters", hash)
	}
	again, _ := password.Hash(ctx, "correct horse battery")
	if again == hash {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		name, hash, password string
		ok                   bool
		wantErr              bool
	}{
		{"right password", hash, "correct horse battery", true, false},
		{"wrong password", hash, "correct horse battery!", false, false},
		{"empty password", hash, "", false, false},
		{"malformed hash", "$argon2id$nope", "x", false, true},
		{"other algorithm", "$2a$10$abcdefghijklmnopqrstuv", "x", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := password.Check(ctx, tc.hash, tc.password)
			if ok != tc.ok || (err != nil) != tc.wantErr {
				t.Fatalf("CheckPassword = %v, %v; want %v, error %v", ok, err, tc.ok, tc.wantErr)
			}
		})
	}
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	if _, err := demo.Ensure(ctx, s); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, email, password string
		want                  error
	}{
		{"owner", demo.OwnerEmail, demo.OwnerPassword, nil},
		{"email in other case and spaces", "  Demo@ChatShop.test ", demo.OwnerPassword, nil},
		{"wrong password", demo.OwnerEmail, demo.AdminPassword, models.ErrNotFound},
		{"unknown email", "nobody@chatshop.test", demo.OwnerPassword, models.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := s.Authenticate(ctx, tc.email, tc.password)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Authenticate error = %v, want %v", err, tc.want)
			}
			if tc.want == nil && u.Email != demo.OwnerEmail {
				t.Fatalf("signed in as %q", u.Email)
			}
		})
	}
	admin, err := s.Authenticate(ctx, demo.AdminEmail, demo.AdminPassword)
	if err != nil || !admin.IsAdmin {
		t.Fatalf("admin: %+v, %v", admin, err)
	}
}

func TestCreateShopWithOwnerRejectsDuplicateEmail(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	mk := func(email string) error {
		return s.CreateShopWithOwner(ctx, &models.Shop{Name: "Shop", Currency: "USD", AllowedCountries: "US"},
			&models.User{Email: email, Name: "Owner", PasswordHash: "x"}, "203.0.113.9")
	}
	if err := mk("owner@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := mk("OWNER@example.com"); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("second signup with the same email: %v, want ErrConflict", err)
	}
	// The failed signup rolled back whole: no orphan shop was left behind.
	var shops int64
	if err := s.ReaderDB().QueryRow("SELECT count(*) FROM shops").Scan(&shops); err != nil || shops != 1 {
		t.Fatalf("shops = %d, %v; want 1", shops, err)
	}
}
