package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chatshop/chatshop/password"
)

// Role is what a member may do in a shop.
type Role string

const (
	// RoleOwner runs the shop: connections, team, exports and everything staff can do.
	RoleOwner Role = "owner"
	// RoleStaff works the inbox, orders and catalog.
	RoleStaff Role = "staff"
)

// User is a person who signs in: a shop member, a platform admin, or both.
type User struct {
	ID           int64
	Email        string
	Name         string
	PasswordHash string
	IsAdmin      bool
	// SessionEpoch is copied into each session at sign-in; raising it ends all older sessions.
	SessionEpoch int64 `gorm:"default:1"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Membership ties a user to a shop with a role.
type Membership struct {
	ID        int64
	ShopID    int64
	UserID    int64
	Role      Role
	CreatedAt time.Time
	// NotificationsSeenID is the newest payment notification the member has seen (the badge).
	NotificationsSeenID int64
}

// NormalizeEmail is the form in which emails are stored and looked up.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// UserByEmail finds a user by email, case-insensitively.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	err := s.r.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).Take(&u).Error
	if err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	var u User
	if err := s.r.WithContext(ctx).Take(&u, id).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// Authenticate returns the user whose email and password match, or ErrNotFound. It spends the same
// hashing work whether or not the email exists, so timing does not reveal registered addresses.
func (s *Store) Authenticate(ctx context.Context, email, pass string) (*User, error) {
	u, err := s.UserByEmail(ctx, email)
	if err != nil && err != ErrNotFound {
		return nil, err
	}
	hash := dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err := password.Check(ctx, hash, pass)
	if err != nil {
		return nil, err
	}
	if u == nil || !ok {
		return nil, ErrNotFound
	}
	return u, nil
}

// dummyHash is checked against when the email is unknown (its password is random and discarded).
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$8qJvuV1CWmBh6nN8eGDu1dQYKnAgsuB7wVd0p2r2Lm4"

// MembershipsOf lists the shops a user belongs to, oldest first.
func (s *Store) MembershipsOf(ctx context.Context, userID int64) ([]Membership, error) {
	var ms []Membership
	err := s.r.WithContext(ctx).Where("user_id = ?", userID).Order("id").Find(&ms).Error
	return ms, translate(err)
}

// ChangePassword stores a new password hash and ends every other session of the user; it returns
// the new session epoch for the session that made the change.
func (s *Store) ChangePassword(ctx context.Context, userID int64, hash string, actor Actor) (int64, error) {
	return s.bumpEpoch(ctx, userID, map[string]any{"password_hash": hash}, actor, AuditPasswordChanged)
}

// EndAllSessions signs the user out everywhere by raising their session epoch.
func (s *Store) EndAllSessions(ctx context.Context, userID int64, actor Actor) (int64, error) {
	return s.bumpEpoch(ctx, userID, nil, actor, AuditSignedOutAll)
}

func (s *Store) bumpEpoch(ctx context.Context, userID int64, changes map[string]any, actor Actor, action string) (int64, error) {
	var epoch int64
	err := s.Transaction(ctx, func(tx *Tx) (err error) {
		epoch, err = tx.bumpEpoch(userID, changes, actor, action)
		return err
	})
	return epoch, err
}

// bumpEpoch applies changes to the user and raises their session epoch, ending their sessions,
// audited as action in each of their shops, or for the platform if they have none (an admin); it
// returns the new epoch.
func (tx *Tx) bumpEpoch(userID int64, changes map[string]any, actor Actor, action string) (int64, error) {
	if changes == nil {
		changes = map[string]any{}
	}
	now := tx.now()
	changes["session_epoch"] = gorm.Expr("session_epoch + 1")
	changes["updated_at"] = now
	res := tx.db.Model(&User{}).Where("id = ?", userID).Updates(changes)
	if res.Error != nil {
		return 0, res.Error
	}
	if res.RowsAffected == 0 {
		return 0, ErrNotFound
	}
	var epoch int64
	if err := tx.db.Model(&User{}).Where("id = ?", userID).Pluck("session_epoch", &epoch).Error; err != nil {
		return 0, err
	}
	return epoch, tx.auditAccount(&User{ID: userID}, actor, action, actor.Email, now)
}

// CreateAdmin creates a platform admin: an account of no shop that reviews disputes and events
// for every shop. An email already registered is ErrConflict.
func (s *Store) CreateAdmin(ctx context.Context, u *User) error {
	u.Email, u.IsAdmin = NormalizeEmail(u.Email), true
	return translate(s.w.WithContext(ctx).Create(u).Error)
}
