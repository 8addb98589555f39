package bench

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chatshop/chatshop/models"
)

// Floor is this machine's raw durable insert rate into SQLite with the product's settings
// (WAL, synchronous=FULL, one writer): what no ingest can beat.
type Floor struct {
	SinglePerSecond  float64 `json:"single_row_tx_per_s"`
	BatchedPerSecond float64 `json:"batched_rows_per_s"`
	BatchSize        int     `json:"batch_size"`
}

func measureFloor(quick bool) (Floor, error) {
	dir, err := os.MkdirTemp("", "chatshop-floor-")
	if err != nil {
		return Floor{}, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	store, err := models.OpenSQLite(ctx, filepath.Join(dir, "floor.db"), models.OpenOptions{})
	if err != nil {
		return Floor{}, err
	}
	defer store.Close()
	db := store.WriterDB()
	db.SetMaxOpenConns(1)
	// The floor is measured with what the intake commits with: every commit fsynced.
	if _, err := db.Exec(`PRAGMA synchronous = FULL`); err != nil {
		return Floor{}, err
	}
	if _, err := db.Exec(`CREATE TABLE floor (id INTEGER PRIMARY KEY, headers TEXT NOT NULL, body BLOB NOT NULL, received_at DATETIME NOT NULL)`); err != nil {
		return Floor{}, err
	}
	headers := strings.Repeat("h", 300)
	body := []byte(strings.Repeat("b", 1200))
	singles, batches, batch := 3000, 300, 100
	if quick {
		singles, batches = 600, 60
	}
	f := Floor{BatchSize: batch}

	start := time.Now()
	for range singles {
		if _, err := db.Exec(`INSERT INTO floor (headers, body, received_at) VALUES (?, ?, ?)`, headers, body, time.Now()); err != nil {
			return f, err
		}
	}
	f.SinglePerSecond = float64(singles) / time.Since(start).Seconds()

	start = time.Now()
	for range batches {
		tx, err := db.Begin()
		if err != nil {
			return f, err
		}
		for range batch {
			if _, err := tx.Exec(`INSERT INTO floor (headers, body, received_at) VALUES (?, ?, ?)`, headers, body, time.Now()); err != nil {
				tx.Rollback()
				return f, err
			}
		}
		if err := tx.Commit(); err != nil {
			return f, err
		}
	}
	f.BatchedPerSecond = float64(batches*batch) / time.Since(start).Seconds()
	return f, nil
}
