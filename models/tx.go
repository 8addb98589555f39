package models

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Tx is a write transaction. Jobs enqueued with its SQL handle commit or roll back with it.
type Tx struct {
	db *gorm.DB
	s  *Store
}

func (tx *Tx) now() time.Time { return tx.s.nowUTC() }

// SQL is the transaction's database/sql handle, for the job queue's transactional insert.
func (tx *Tx) SQL() *sql.Tx {
	// gorm's PrepareStmt is off, so its transaction pool is the plain *sql.Tx.
	if pool, ok := tx.db.Statement.ConnPool.(*sql.Tx); ok {
		return pool
	}
	panic(fmt.Sprintf("models: transaction pool is %T, not *sql.Tx", tx.db.Statement.ConnPool))
}

// Transaction runs fn in one write transaction: committed if fn returns nil, rolled back otherwise.
func (s *Store) Transaction(ctx context.Context, fn func(tx *Tx) error) error {
	return s.w.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		return fn(&Tx{db: g, s: s})
	})
}
