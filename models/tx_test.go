package models_test

import (
	"context"
	"testing"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

// A durable transaction commits with synchronous=FULL and leaves the writer at NORMAL after.
func TestDurableTransaction(t *testing.T) {
	modelstest.SkipOnPostgres(t, "PostgreSQL's commits are durable without a setting")
	s := modelstest.Open(t)
	err := s.DurableTransaction(context.Background(), func(tx *models.Tx) error {
		var sync int
		if err := tx.SQL().QueryRow("PRAGMA synchronous").Scan(&sync); err != nil {
			return err
		}
		if sync != 2 {
			t.Errorf("inside: synchronous=%d, want 2 (FULL)", sync)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var after int
	s.WriterDB().QueryRow("PRAGMA synchronous").Scan(&after)
	if after != 1 {
		t.Fatalf("after: synchronous=%d, want 1 (NORMAL)", after)
	}
}
