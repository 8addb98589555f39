package models

import (
	"context"
	"time"
)

// Sign-in throttling lives in the database, so it holds across processes and restarts. Nobody can
// lock an account out: failures lock the pair of account and address they come from, and the
// address; across addresses they only slow the account down for addresses it has not signed in
// from, so its owner, at an address they used before, signs in whatever others guess.
const (
	throttleWindow     = 15 * time.Minute
	maxFailuresPerPair = 5  // for one account from one address; then that pair waits out the window
	maxFailuresPerIP   = 30 // from one address, whatever emails it tries; then that address waits
	// From accountDelayAfter failures for an account in the window, from anywhere, an address
	// not known for the account waits 2^(n-accountDelayAfter) s after the last of the n
	// failures, up to maxAccountDelay: about 15 guesses more in a window, however many addresses.
	accountDelayAfter = 10
	maxAccountDelay   = time.Minute
	accountDelayRows  = accountDelayAfter + 6 // 2^6 s passes maxAccountDelay: more change nothing
	// knownAddressFor is how long an address a user signed in from counts as theirs.
	knownAddressFor = 30 * 24 * time.Hour
)

type loginAttempt struct {
	ID        int64
	Email     string
	IP        string `gorm:"column:ip"`
	Succeeded bool
	// InSession marks a wrong current password given in a signed-in session (on /account).
	InSession bool
	CreatedAt time.Time
}

// LoginThrottle says how long a sign-in to email from ip must wait; zero means go ahead. A pair's
// failures count since its last successful sign-in; the address's and the account's, all those
// in the window.
func (s *Store) LoginThrottle(ctx context.Context, email, ip string) (time.Duration, error) {
	now := s.nowUTC()
	since := now.Add(-throttleWindow)
	email = NormalizeEmail(email)
	r := s.reading(ctx)
	known, err := r.lastSignInFrom(email, ip, now.Add(-knownAddressFor))
	if err != nil {
		return 0, err
	}
	pairSince := since
	if known.After(pairSince) {
		pairSince = known
	}
	pair, err := r.recentFailures(pairSince, maxFailuresPerPair, "email = ? AND ip = ?", email, ip)
	if err != nil {
		return 0, err
	}
	fromIP, err := r.recentFailures(since, maxFailuresPerIP, "ip = ?", ip)
	if err != nil {
		return 0, err
	}
	wait := max(lockedFor(pair, maxFailuresPerPair, now), lockedFor(fromIP, maxFailuresPerIP, now))
	if known.IsZero() {
		account, err := r.recentFailures(since, accountDelayRows, "email = ?", email)
		if err != nil {
			return 0, err
		}
		if n := len(account); n >= accountDelayAfter {
			wait = max(wait, account[0].Add(accountDelay(n)).Sub(now))
		}
	}
	return wait, nil
}

// recentFailures lists the times of the newest failed attempts matching where, after since, at
// most limit of them, newest first.
func (tx *Tx) recentFailures(since time.Time, limit int, where string, args ...any) ([]time.Time, error) {
	var failures []time.Time
	err := tx.db.Model(&loginAttempt{}).Where(where, args...).Where("NOT succeeded AND created_at > ?", since).
		Order("created_at DESC").Limit(limit).Pluck("created_at", &failures).Error
	return failures, err
}

// lockedFor is how long until the oldest of failures (newest first) leaves the window, if there
// are limit of them; else zero.
func lockedFor(failures []time.Time, limit int, now time.Time) time.Duration {
	if len(failures) < limit {
		return 0
	}
	return max(failures[limit-1].Add(throttleWindow).Sub(now), 0)
}

// accountDelay is the wait after an account's nth failure in the window, for unknown addresses.
func accountDelay(n int) time.Duration {
	return min(time.Second<<(n-accountDelayAfter), maxAccountDelay)
}

// DeleteOldLoginAttempts forgets attempts that no longer count, and addresses not signed in from
// for knownAddressFor.
func (s *Store) DeleteOldLoginAttempts(ctx context.Context) (int64, error) {
	now := s.nowUTC()
	res := s.w.WithContext(ctx).Where("created_at < ?", now.Add(-24*time.Hour)).Delete(&loginAttempt{})
	if res.Error != nil {
		return 0, res.Error
	}
	known := s.w.WithContext(ctx).Where("last_signed_in_at < ?", now.Add(-knownAddressFor)).Delete(&knownAddress{})
	return res.RowsAffected + known.RowsAffected, known.Error
}
