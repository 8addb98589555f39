package models_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

func TestSQLiteSettings(t *testing.T) {
	modelstest.SkipOnPostgres(t, "pragmas")
	s := modelstest.Open(t)
	ctx := context.Background()
	for _, tc := range []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "1"}, // NORMAL by default; the intake commits with FULL
		{"busy_timeout", "10000"},
	} {
		t.Run(tc.pragma, func(t *testing.T) {
			var got string
			if err := s.WriterDB().QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("PRAGMA %s = %s, want %s", tc.pragma, got, tc.want)
			}
		})
	}
}

func TestReopenKeepsDataAndMigratesOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chatshop.db")
	first := modelstest.OpenAt(t, path)
	if created, err := demo.Ensure(ctx, first); err != nil || !created {
		t.Fatalf("first EnsureDemo: created=%v err=%v", created, err)
	}
	v1, err := first.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first.Close()

	second := modelstest.OpenAt(t, path)
	if created, err := demo.Ensure(ctx, second); err != nil || created {
		t.Fatalf("second EnsureDemo: created=%v err=%v, want nothing created", created, err)
	}
	v2, err := second.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v1 != v2 || v1 < 2 {
		t.Fatalf("schema versions %d then %d", v1, v2)
	}
	owner, err := second.UserByEmail(ctx, "DEMO@chatshop.test")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := second.MembershipsOf(ctx, owner.ID)
	if err != nil || len(ms) != 1 {
		t.Fatalf("memberships = %v, %v; want exactly one shop", ms, err)
	}
	page, err := second.ForShop(ms[0].ShopID).ListProducts(ctx, models.ProductFilter{Limit: 100})
	if err != nil || len(page.Products) != 8 {
		t.Fatalf("demo products = %d, %v; want 8, not duplicated", len(page.Products), err)
	}
}

func TestReadPoolIsReadOnly(t *testing.T) {
	modelstest.SkipOnPostgres(t, "one pool reads and writes on PostgreSQL")
	s := modelstest.Open(t)
	// Writes through the reader would bypass the single writer; the pool refuses them.
	if _, err := s.ReaderDB().ExecContext(context.Background(), "CREATE TABLE nope (id INTEGER)"); err == nil {
		t.Fatal("the read pool accepted a write")
	}
}
