package models

import (
	"context"
	"errors"
)

// InviteByToken finds the invite behind a link, usable or not, with its shop.
func (s *Store) InviteByToken(ctx context.Context, token string) (*Invite, *Shop, error) {
	var inv Invite
	if err := s.r.WithContext(ctx).Where("token_hash = ?", hashToken(token)).Take(&inv).Error; err != nil {
		return nil, nil, translate(err)
	}
	shop, err := s.ShopByID(ctx, inv.ShopID)
	if err != nil {
		return nil, nil, err
	}
	return &inv, shop, nil
}

// AcceptInvite adds u to the invite's shop with the invite's role. A u without an id is a new
// account for the invited email, created in the same transaction. A token used twice at once
// succeeds once: the write transactions are serialised and the second finds it accepted.
func (s *Store) AcceptInvite(ctx context.Context, token string, u *User, ip string) (*Invite, error) {
	var inv Invite
	err := s.Transaction(ctx, func(tx *Tx) error {
		if err := tx.db.Where("token_hash = ?", hashToken(token)).Take(&inv).Error; err != nil {
			return translate(err)
		}
		now := s.nowUTC()
		if !inv.Pending(now) {
			return ErrInviteUnusable
		}
		if u.ID == 0 {
			u.Email = inv.Email
			if err := tx.db.Create(u).Error; err != nil {
				return translate(err)
			}
			if err := tx.rememberAddress(u.ID, ip, now); err != nil {
				return err
			}
		}
		m := Membership{ShopID: inv.ShopID, UserID: u.ID, Role: inv.Role}
		if err := tx.db.Create(&m).Error; err != nil {
			if errors.Is(translate(err), ErrConflict) {
				return errors.Join(ErrConflict, errors.New("you are already a member of this shop"))
			}
			return err
		}
		if err := tx.db.Model(&inv).Update("accepted_at", now).Error; err != nil {
			return err
		}
		return tx.audit(inv.ShopID, Actor{UserID: u.ID, Email: u.Email, IP: ip}, AuditInviteAccepted, u.Email, string(inv.Role), now)
	})
	if err != nil {
		return nil, err
	}
	return &inv, nil
}
