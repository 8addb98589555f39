package models

import (
	"context"
	"time"
)

// Login throttling lives in the database, so it holds across processes and restarts.
const (
	throttleWindow      = 15 * time.Minute
	maxFailuresPerEmail = 5  // then that account is locked out for the rest of the window
	maxFailuresPerIP    = 30 // then that address is, whatever emails it tries
)

type loginAttempt struct {
	ID        int64
	Email     string
	IP        string `gorm:"column:ip"`
	Succeeded bool
	CreatedAt time.Time
}

// LoginThrottle says how long sign-in must wait for this email or address; zero means go ahead.
// Failures count within the window and, for an email, only since its last successful sign-in.
func (s *Store) LoginThrottle(ctx context.Context, email, ip string) (time.Duration, error) {
	now := s.nowUTC()
	since := now.Add(-throttleWindow)
	email = NormalizeEmail(email)
	db := s.r.WithContext(ctx).Model(&loginAttempt{})

	var lastSuccess []time.Time
	if err := db.Where("email = ? AND succeeded", email).Order("created_at DESC").Limit(1).Pluck("created_at", &lastSuccess).Error; err != nil {
		return 0, err
	}
	emailSince := since
	if len(lastSuccess) == 1 && lastSuccess[0].After(emailSince) {
		emailSince = lastSuccess[0]
	}
	wait := time.Duration(0)
	for _, q := range []struct {
		where string
		arg   string
		since time.Time
		limit int
	}{
		{"email = ?", email, emailSince, maxFailuresPerEmail},
		{"ip = ?", ip, since, maxFailuresPerIP},
	} {
		var failures []time.Time
		err := s.r.WithContext(ctx).Model(&loginAttempt{}).Where(q.where+" AND NOT succeeded AND created_at > ?", q.arg, q.since).
			Order("created_at DESC").Limit(q.limit).Pluck("created_at", &failures).Error
		if err != nil {
			return 0, err
		}
		if len(failures) >= q.limit {
			// Locked until the oldest of the counted failures leaves the window.
			if w := failures[len(failures)-1].Add(throttleWindow).Sub(now); w > wait {
				wait = w
			}
		}
	}
	return wait, nil
}

// DeleteOldLoginAttempts forgets attempts that no longer count.
func (s *Store) DeleteOldLoginAttempts(ctx context.Context) (int64, error) {
	res := s.w.WithContext(ctx).Where("created_at < ?", s.nowUTC().Add(-24*time.Hour)).Delete(&loginAttempt{})
	return res.RowsAffected, res.Error
}

// RecordSignIn remembers a sign-in attempt for throttling and the audit log, in one transaction.
// u is the account signed in to, or nil when the attempt failed. A failure against a known account
// is audited in that account's shops, so their owners see it.
func (s *Store) RecordSignIn(ctx context.Context, email, ip string, u *User, throttled bool) error {
	email = NormalizeEmail(email)
	now := s.nowUTC()
	return s.Transaction(ctx, func(tx *Tx) error {
		if !throttled {
			a := loginAttempt{Email: email, IP: ip, Succeeded: u != nil, CreatedAt: now}
			if err := tx.db.Create(&a).Error; err != nil {
				return err
			}
		}
		action, actor := AuditSignInFailed, Actor{Email: email, IP: ip}
		if throttled {
			action = AuditSignInThrottled
		}
		account := u
		if u != nil {
			action, actor.UserID = AuditSignedIn, u.ID
		} else {
			var known User
			if err := tx.db.Where("email = ?", email).Take(&known).Error; err == nil {
				account = &known
			}
		}
		var shopIDs []int64
		if account != nil {
			if err := tx.db.Model(&Membership{}).Where("user_id = ?", account.ID).Pluck("shop_id", &shopIDs).Error; err != nil {
				return err
			}
		}
		if len(shopIDs) == 0 {
			shopIDs = []int64{0} // a platform-level event: an admin, or an unknown email
		}
		for _, id := range shopIDs {
			e := actor.event(nil, action, email, "")
			if id != 0 {
				e.ShopID = &id
			}
			e.CreatedAt = now
			if err := tx.db.Create(&e).Error; err != nil {
				return err
			}
		}
		return nil
	})
}
