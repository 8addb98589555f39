package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// A call's states: queued until done, or failed once its attempts are spent or it cannot succeed.
const (
	CallQueued = "queued"
	CallDone   = "done"
	CallFailed = "failed"
)

// Call is a call to PayPal or Meta that the worker makes: a message to send, a capture, a refund.
// It is queued in the transaction that asks for it, so it exists only if that commits.
type Call struct {
	ID   int64
	Kind string
	Args string // the call's arguments, as JSON
	// UniqueKey, when set, queues the call once however often the change asking for it runs.
	UniqueKey   *string
	State       string
	Attempts    int
	MaxAttempts int
	RunAt       time.Time // when it is due
	LockedUntil *time.Time
	LastError   string
	CreatedAt   time.Time
	FinishedAt  *time.Time
}

// QueueCall stores c in tx, due at c.RunAt (now when zero). A call with the same unique key is
// not queued again; queued reports whether this one was. With a lease, a call due now is claimed
// for this process in the same transaction (its first attempt) and handed to OnCallsQueued after
// the commit: a process that makes calls itself spares a claim's transaction for each.
func (tx *Tx) QueueCall(c *Call, lease time.Duration) (queued bool, err error) {
	now := tx.now()
	c.ID, c.State, c.Attempts, c.CreatedAt, c.LockedUntil = 0, CallQueued, 0, now, nil
	if c.RunAt.IsZero() {
		c.RunAt = now
	}
	claim := lease > 0 && !c.RunAt.After(now)
	if claim {
		until := now.Add(lease)
		c.Attempts, c.LockedUntil = 1, &until
	}
	res := tx.db.Clauses(clause.OnConflict{DoNothing: true}).Create(c)
	if res.Error != nil || res.RowsAffected == 0 {
		return false, res.Error
	}
	tx.called = true
	if claim {
		tx.claimed = append(tx.claimed, ClaimedCall{ID: c.ID, Kind: c.Kind, Args: c.Args, Attempts: 1, MaxAttempts: c.MaxAttempts})
	}
	return true, nil
}

// ClaimedCall is a call a process holds a lease on; Attempts counts this one.
type ClaimedCall struct {
	ID          int64
	Kind        string
	Args        string
	Attempts    int
	MaxAttempts int
}

// ClaimCalls leases up to limit due calls that no live lease holds; each claim counts as an
// attempt. The process renews its leases while the calls run (RenewCalls); one that dies stops
// renewing, and its calls are claimed again once the lease runs out.
func (s *Store) ClaimCalls(ctx context.Context, limit int, lease time.Duration) ([]ClaimedCall, error) {
	now := s.nowUTC()
	// Most polls find nothing due: a look on a reader spares the writer a transaction.
	var due int
	if err := s.r.WithContext(ctx).Raw(`SELECT count(*) FROM (SELECT 1 FROM calls
		WHERE state = 'queued' AND run_at <= ? AND (locked_until IS NULL OR locked_until < ?) LIMIT 1) AS due`,
		now, now).Scan(&due).Error; err != nil || due == 0 {
		return nil, err
	}
	var out []ClaimedCall
	err := s.transactionInTurn(ctx, false, func(tx *Tx) error {
		return tx.db.Raw(`UPDATE calls SET locked_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM calls
			              WHERE state = 'queued' AND run_at <= ? AND (locked_until IS NULL OR locked_until < ?)
			              ORDER BY run_at, id LIMIT ?`+tx.s.dialect.skipLocked()+`)
			RETURNING id, kind, args, attempts, max_attempts`, now.Add(lease), now, now, limit).Scan(&out).Error
	})
	return out, err
}

// RenewCalls extends the leases on calls this process still holds.
func (s *Store) RenewCalls(ctx context.Context, ids []int64, lease time.Duration) error {
	if len(ids) == 0 {
		return nil
	}
	return s.transactionInTurn(ctx, false, func(tx *Tx) error {
		return tx.db.Model(&Call{}).Where("id IN ? AND state = ?", ids, CallQueued).
			Update("locked_until", tx.now().Add(lease)).Error
	})
}

// CallsDone records calls that succeeded, together.
func (s *Store) CallsDone(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return s.transactionInTurn(ctx, false, func(tx *Tx) error {
		return tx.db.Model(&Call{}).Where("id IN ? AND state = ?", ids, CallQueued).
			Updates(map[string]any{"state": CallDone, "locked_until": nil, "last_error": "", "finished_at": tx.now()}).Error
	})
}

// CallFailed records a failed attempt: the call is due again at retryAt, or, when retryAt is
// zero, it has failed for good, and a call made once per arguments may be asked for again.
func (s *Store) CallFailed(ctx context.Context, id int64, why string, retryAt time.Time) error {
	updates := map[string]any{"locked_until": nil, "last_error": why}
	if retryAt.IsZero() {
		updates["state"], updates["finished_at"], updates["unique_key"] = CallFailed, s.nowUTC(), nil
	} else {
		updates["run_at"] = retryAt.UTC()
	}
	return s.transactionInTurn(ctx, false, func(tx *Tx) error {
		return tx.db.Model(&Call{}).Where("id = ? AND state = ?", id, CallQueued).Updates(updates).Error
	})
}

// CallByID loads a call.
func (s *Store) CallByID(ctx context.Context, id int64) (*Call, error) {
	var c Call
	if err := s.r.WithContext(ctx).Take(&c, id).Error; err != nil {
		return nil, translate(err)
	}
	return &c, nil
}

// PruneCalls deletes calls done before doneBefore and calls failed before failedBefore, a batch
// at a time; it reports how many went.
func (s *Store) PruneCalls(ctx context.Context, doneBefore, failedBefore time.Time) (int64, error) {
	var total int64
	for {
		var n int64
		err := s.transactionInTurn(ctx, false, func(tx *Tx) error {
			res := tx.db.Exec(`DELETE FROM calls WHERE id IN (SELECT id FROM calls
				WHERE state <> 'queued' AND (finished_at < ? AND state = 'done' OR finished_at < ? AND state = 'failed') LIMIT 500)`,
				doneBefore.UTC(), failedBefore.UTC())
			n = res.RowsAffected
			return res.Error
		})
		total += n
		if err != nil || n < 500 {
			return total, err
		}
	}
}
