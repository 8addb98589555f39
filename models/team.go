package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
)

// InviteLifetime is how long an invite link works.
const InviteLifetime = 7 * 24 * time.Hour

// Member is a user of a shop with their role.
type Member struct {
	UserID   int64
	Name     string
	Email    string
	Role     Role
	JoinedAt time.Time
}

// Invite lets someone join a shop through a link; only the hash of its token is stored.
type Invite struct {
	ID         int64
	ShopID     int64
	Email      string
	Role       Role
	TokenHash  string
	InvitedBy  *int64
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	RevokedAt  *time.Time
	CreatedAt  time.Time
}

// Pending reports whether the invite can still be accepted at now.
func (i *Invite) Pending(now time.Time) bool {
	return i.AcceptedAt == nil && i.RevokedAt == nil && now.Before(i.ExpiresAt)
}

var (
	// ErrLastOwner means the change would leave the shop without an owner.
	ErrLastOwner = errors.New("a shop needs at least one owner")
	// ErrInviteUnusable means the invite expired, was revoked or was used already.
	ErrInviteUnusable = errors.New("this invite link has expired or was already used")
)

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Members lists the shop's members, owners first.
func (d *ShopData) Members(ctx context.Context) ([]Member, error) {
	var ms []Member
	err := d.s.r.WithContext(ctx).Table("memberships").
		Select("users.id AS user_id, users.name, users.email, memberships.role, memberships.created_at AS joined_at").
		Joins("JOIN users ON users.id = memberships.user_id").
		Where("memberships.shop_id = ?", d.shopID).
		Order("memberships.role = 'owner' DESC, users.name").Scan(&ms).Error
	return ms, err
}

// PendingInvites lists the shop's invites that can still be accepted, newest first.
func (d *ShopData) PendingInvites(ctx context.Context) ([]Invite, error) {
	var is []Invite
	err := d.s.r.WithContext(ctx).Where("shop_id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?", d.shopID, d.s.nowUTC()).
		Order("id DESC").Find(&is).Error
	return is, err
}

// CreateInvite makes an invite for email with role and returns it with the secret token for its link.
// The token is shown once; only its hash is kept.
func (d *ShopData) CreateInvite(ctx context.Context, email string, role Role, by Actor) (*Invite, string, error) {
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := d.s.nowUTC()
	inv := &Invite{ShopID: d.shopID, Email: NormalizeEmail(email), Role: role, TokenHash: hashToken(token),
		ExpiresAt: now.Add(InviteLifetime), CreatedAt: now}
	if by.UserID != 0 {
		inv.InvitedBy = &by.UserID
	}
	err := d.s.Transaction(ctx, func(tx *Tx) error {
		if err := tx.db.Create(inv).Error; err != nil {
			return translate(err)
		}
		return tx.audit(d.shopID, by, AuditInviteCreated, inv.Email, string(role), now)
	})
	if err != nil {
		return nil, "", err
	}
	return inv, token, nil
}

// RevokeInvite cancels a pending invite of the shop.
func (d *ShopData) RevokeInvite(ctx context.Context, inviteID int64, by Actor) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		var inv Invite
		if err := tx.db.Where("id = ? AND shop_id = ?", inviteID, d.shopID).Take(&inv).Error; err != nil {
			return translate(err)
		}
		now := d.s.nowUTC()
		if !inv.Pending(now) {
			return ErrInviteUnusable
		}
		if err := tx.db.Model(&inv).Update("revoked_at", now).Error; err != nil {
			return err
		}
		return tx.audit(d.shopID, by, AuditInviteRevoked, inv.Email, "", now)
	})
}

// SetMemberRole changes a member's role; the last owner cannot be made staff.
func (d *ShopData) SetMemberRole(ctx context.Context, userID int64, role Role, by Actor) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		m, err := d.membership(tx, userID)
		if err != nil {
			return err
		}
		if m.Role == role {
			return nil
		}
		if m.Role == RoleOwner {
			if err := d.ensureAnotherOwner(tx, userID); err != nil {
				return err
			}
		}
		if err := tx.db.Model(&Membership{}).Where("id = ?", m.ID).Update("role", role).Error; err != nil {
			return err
		}
		return tx.audit(d.shopID, by, AuditRoleChanged, d.memberEmail(tx, userID), string(m.Role)+" → "+string(role), d.s.nowUTC())
	})
}

// RemoveMember takes a user out of the shop; the last owner cannot be removed.
func (d *ShopData) RemoveMember(ctx context.Context, userID int64, by Actor) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		m, err := d.membership(tx, userID)
		if err != nil {
			return err
		}
		if m.Role == RoleOwner {
			if err := d.ensureAnotherOwner(tx, userID); err != nil {
				return err
			}
		}
		email := d.memberEmail(tx, userID)
		if err := tx.db.Delete(&Membership{}, m.ID).Error; err != nil {
			return err
		}
		// Their conversations go back to the unassigned queue.
		if err := tx.db.Model(&Shopper{}).Where("shop_id = ? AND assigned_user_id = ?", d.shopID, userID).
			Update("assigned_user_id", nil).Error; err != nil {
			return err
		}
		// Bump the removed user's epoch so their open sessions stop working in this shop at once.
		if err := tx.db.Model(&User{}).Where("id = ?", userID).Update("session_epoch", gorm.Expr("session_epoch + 1")).Error; err != nil {
			return err
		}
		return tx.audit(d.shopID, by, AuditMemberRemoved, email, string(m.Role), d.s.nowUTC())
	})
}

func (d *ShopData) membership(tx *Tx, userID int64) (*Membership, error) {
	var m Membership
	if err := tx.db.Where("shop_id = ? AND user_id = ?", d.shopID, userID).Take(&m).Error; err != nil {
		return nil, translate(err)
	}
	return &m, nil
}

func (d *ShopData) ensureAnotherOwner(tx *Tx, userID int64) error {
	var n int64
	if err := tx.db.Model(&Membership{}).Where("shop_id = ? AND role = ? AND user_id <> ?", d.shopID, RoleOwner, userID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return ErrLastOwner
	}
	return nil
}

func (d *ShopData) memberEmail(tx *Tx, userID int64) string {
	var email string
	tx.db.Model(&User{}).Where("id = ?", userID).Pluck("email", &email)
	return email
}

// audit records an event in the transaction, so it commits with the change it describes.
func (tx *Tx) audit(shopID int64, actor Actor, action, target, detail string, at time.Time) error {
	sid := shopID
	e := actor.event(&sid, action, target, detail)
	e.CreatedAt = at
	return tx.db.Create(&e).Error
}
