package models

import (
	"context"
	"time"
)

// maxSessionFailures is how many wrong current passwords a user's signed-in sessions may give in
// the throttle's window, since the user last signed in, before all of them are ended.
const maxSessionFailures = 5

// RecordSignIn remembers a sign-in attempt for throttling and the audit log, in one transaction;
// a success also makes ip a known address of the account (see LoginThrottle).
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
			if u != nil {
				if err := tx.rememberAddress(u.ID, ip, now); err != nil {
					return err
				}
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
		return tx.auditAccount(account, actor, action, email, now)
	})
}

// RecordPasswordCheckFailed remembers a wrong current password given in u's signed-in session
// from ip (on /account), or an attempt refused by the throttle, and audits it. A wrong password is
// a failed attempt at u's password like a wrong sign-in, so sign-in's throttle counts it; and the
// maxSessionFailures-th in the window since u last signed in, from any address, ends all of u's
// sessions, this one included, and reports true: a stolen session must not become a stolen account.
func (s *Store) RecordPasswordCheckFailed(ctx context.Context, u *User, ip string, throttled bool) (ended bool, err error) {
	now := s.nowUTC()
	actor := Actor{UserID: u.ID, Email: u.Email, IP: ip}
	err = s.Transaction(ctx, func(tx *Tx) error {
		ended = false // a retried transaction starts again
		if throttled {
			return tx.auditAccount(u, actor, AuditPasswordCheckThrottled, u.Email, now)
		}
		a := loginAttempt{Email: NormalizeEmail(u.Email), IP: ip, InSession: true, CreatedAt: now}
		if err := tx.db.Create(&a).Error; err != nil {
			return err
		}
		if err := tx.auditAccount(u, actor, AuditPasswordCheckFailed, u.Email, now); err != nil {
			return err
		}
		since := now.Add(-throttleWindow)
		if last, err := tx.lastSignIn(u.ID); err != nil {
			return err
		} else if last.After(since) {
			since = last
		}
		var failures int64
		if err := tx.db.Model(&loginAttempt{}).Where("email = ? AND in_session AND NOT succeeded AND created_at >= ?", a.Email, since).
			Count(&failures).Error; err != nil {
			return err
		}
		if failures < maxSessionFailures {
			return nil
		}
		ended = true
		_, err := tx.bumpEpoch(u.ID, nil, actor, AuditSignedOutAfterGuesses)
		return err
	})
	return ended, err
}

// auditAccount records an event about account (nil: an unknown email) in each of its shops, so
// their owners see it, or as a platform-level event when it has none (an admin).
func (tx *Tx) auditAccount(account *User, actor Actor, action, target string, at time.Time) error {
	var shopIDs []int64
	if account != nil {
		if err := tx.db.Model(&Membership{}).Where("user_id = ?", account.ID).Pluck("shop_id", &shopIDs).Error; err != nil {
			return err
		}
	}
	if len(shopIDs) == 0 {
		shopIDs = []int64{0}
	}
	for _, id := range shopIDs {
		e := actor.event(nil, action, target, "")
		if id != 0 {
			e.ShopID = &id
		}
		e.CreatedAt = at
		if err := tx.db.Create(&e).Error; err != nil {
			return err
		}
	}
	return nil
}
