package models_test

import (
	"context"
	"testing"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

// A durable transaction commits at the writer's synchronous=NORMAL, like every other, and is
// made durable by a flush of the WAL after it (wal_sync_test.go).
func TestDurableTransaction(t *testing.T) {
	modelstest.SkipOnPostgres(t, "PostgreSQL's commits are durable without a setting")
	s := modelstest.Open(t)
	err := s.DurableTransaction(context.Background(), func(tx *models.Tx) error {
		var sync int
		if err := tx.SQL().QueryRow("PRAGMA synchronous").Scan(&sync); err != nil {
			return err
		}
		if sync != 1 {
			t.Errorf("inside: synchronous=%d, want 1 (NORMAL)", sync)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
