package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/chatshop/chatshop/live"
)

// changesChannel is the PostgreSQL notification channel of committed changes. A notification's
// payload is "origin shop kind": the process that committed, the shop, and the kind of change
// (empty for a change no live page hears of, which only values kept for a while depend on).
const changesChannel = "chatshop_changes"

// newOrigin names this process in its notifications, so that it skips its own.
func newOrigin() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// notifyOthers sends the transaction's changes to the other processes, on PostgreSQL: a
// notification is delivered when, and only if, the transaction commits.
func (tx *Tx) notifyOthers() error {
	if !tx.s.dialect.postgres {
		return nil
	}
	send := func(shopID int64, kind string) error {
		payload := tx.s.origin + " " + strconv.FormatInt(shopID, 10) + " " + kind
		return tx.db.Exec("SELECT pg_notify(?, ?)", changesChannel, payload).Error
	}
	for _, shopID := range tx.touched {
		if err := send(shopID, ""); err != nil {
			return err
		}
	}
	for _, c := range tx.changes {
		if err := send(c.ShopID, c.Kind); err != nil {
			return err
		}
	}
	return nil
}

// ListenForChanges hears, on PostgreSQL, the changes other processes commit, and treats them as
// its own: kept values are read again and the live hub tells open pages. It returns when ctx ends;
// a lost connection is made again, and since changes may have been missed meanwhile, every kept
// value is read again. On SQLite, one process has the database, and it returns at once.
func (s *Store) ListenForChanges(ctx context.Context, logger *slog.Logger) {
	if !s.dialect.postgres {
		return
	}
	for wait := time.Duration(0); ; wait = min(max(2*wait, 100*time.Millisecond), 5*time.Second) {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		err := s.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		logger.Warn("listening for other processes' changes: connection lost; connecting again", "err", err)
		s.versions.bumpAll()
	}
}

func (s *Store) listen(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, s.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return err
	}
	s.versions.bumpAll() // what changed before the LISTEN took effect
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if c, origin, err := parseChange(n.Payload); err != nil {
			return err
		} else if origin != s.origin {
			s.heard(c)
		}
	}
}

func parseChange(payload string) (c live.Change, origin string, err error) {
	parts := strings.SplitN(payload, " ", 3)
	if len(parts) != 3 {
		return c, "", fmt.Errorf("models: change notification %q", payload)
	}
	c.ShopID, err = strconv.ParseInt(parts[1], 10, 64)
	c.Kind = parts[2]
	return c, parts[0], err
}
