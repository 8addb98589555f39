package models

import (
	"cmp"
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// LinkHold is how long a shopper has to finish linking PayPal once our link page opened.
const LinkHold = 30 * time.Minute

// PayPalLink is one attempt of a shopper to link their PayPal account to Messenger.
type PayPalLink struct {
	ID                int64
	ShopID            int64
	ShopperID         int64
	State             string // names the attempt when PayPal sends the shopper back
	RedirectURI       string // Messenger's, to send the shopper back with the authorization code
	SetupTokenID      string
	VaultID           string
	PayerEmail        string
	PayerCountry      string
	AuthorizationCode string
	UsedAt            *time.Time
	ExpiresAt         time.Time
	CreatedAt         time.Time
}

// TableName names the table: gorm would say pay_pal_links.
func (PayPalLink) TableName() string { return "paypal_links" }

// ErrLinkExpired means a linking attempt is too old (or already used) to finish.
var ErrLinkExpired = errors.New("the linking attempt expired")

// StartLink records a shopper's linking attempt and the setup token PayPal made for it.
func (s *Store) StartLink(l *PayPalLink) error {
	now := s.nowUTC()
	l.CreatedAt, l.ExpiresAt = now, now.Add(LinkHold)
	return s.w.Create(l).Error
}

// LinkByState finds a linking attempt by the state PayPal brings back; ErrLinkExpired when it is
// over.
func (s *Store) LinkByState(state string) (*PayPalLink, error) {
	var l PayPalLink
	if err := s.r.Where("state = ?", state).Take(&l).Error; err != nil {
		return nil, translate(err)
	}
	if l.UsedAt != nil || s.nowUTC().After(l.ExpiresAt) {
		return &l, ErrLinkExpired
	}
	return &l, nil
}

// LinkVaulted records the PayPal wallet vaulted for an attempt and the authorization code that
// Messenger's account_linking webhook will bring back. Asking again keeps the first code.
func (s *Store) LinkVaulted(l *PayPalLink, vaultID, email, country, code string) error {
	res := s.w.Model(&PayPalLink{}).Where("id = ? AND authorization_code = ''", l.ID).
		Updates(map[string]any{"vault_id": vaultID, "payer_email": email, "payer_country": country, "authorization_code": code})
	if res.Error != nil {
		return res.Error
	}
	return s.r.Take(l, l.ID).Error
}

// LinkShopper finishes a linking attempt from the account_linking webhook: the code must be one
// this shopper's attempt got. The shopper's PayPal becomes the vaulted wallet, and PayPal's
// country replaces the one guessed from the Messenger locale. It returns the vault id the
// shopper had before, to be deleted, and whether the code was used already (a redelivery).
func (tx *Tx) LinkShopper(sh *Shopper, code string) (previousVault string, used bool, err error) {
	var l PayPalLink
	if err := tx.db.Where("authorization_code = ? AND shopper_id = ?", code, sh.ID).Take(&l).Error; err != nil {
		return "", false, translate(err)
	}
	if l.UsedAt != nil {
		return "", true, nil
	}
	now := tx.now()
	if err := tx.db.Model(&l).Update("used_at", now).Error; err != nil {
		return "", false, err
	}
	if sh.PayPalVaultID != l.VaultID {
		previousVault = sh.PayPalVaultID
	}
	sh.PayPalVaultID, sh.PayPalEmail, sh.LinkedAt = l.VaultID, l.PayerEmail, &now
	tx.touch(sh.ShopID)
	if l.PayerCountry != "" {
		sh.Country = l.PayerCountry
	}
	err = tx.db.Model(sh).Updates(map[string]any{"paypal_vault_id": sh.PayPalVaultID, "paypal_email": sh.PayPalEmail,
		"linked_at": now, "country": sh.Country}).Error
	return previousVault, false, err
}

// UnlinkShopper forgets a shopper's linked PayPal and returns its vault id, to be deleted from
// the merchant's vault ("" when nothing was linked).
func (tx *Tx) UnlinkShopper(sh *Shopper) (string, error) {
	vault := sh.PayPalVaultID
	if vault == "" {
		return "", nil
	}
	sh.PayPalVaultID, sh.PayPalEmail, sh.LinkedAt = "", "", nil
	tx.touch(sh.ShopID)
	err := tx.db.Model(sh).Updates(map[string]any{"paypal_vault_id": "", "paypal_email": "", "linked_at": gorm.Expr("NULL")}).Error
	return vault, err
}

// ShopperOnPage finds the shopper behind a PSID of a Page that their shop still has connected.
func (s *Store) ShopperOnPage(ctx context.Context, pageID, psid string) (*Shopper, error) {
	var sh Shopper
	err := s.r.WithContext(ctx).Where(`page_id = ? AND psid = ? AND EXISTS (SELECT 1 FROM messenger_pages p
		WHERE p.page_id = shoppers.page_id AND p.shop_id = shoppers.shop_id AND p.status <> ?)`, pageID, psid, PageDisconnected).Take(&sh).Error
	if err != nil {
		return nil, translate(err)
	}
	return &sh, nil
}

// ShopForPage finds the shop a connected Facebook Page belongs to, outside a transaction.
func (s *Store) ShopForPage(ctx context.Context, pageID string) (int64, error) {
	var ids []int64
	err := s.r.WithContext(ctx).Model(&MessengerPage{}).Where("page_id = ? AND status <> ?", pageID, PageDisconnected).
		Limit(1).Pluck("shop_id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, cmp.Or(err, ErrNotFound)
	}
	return ids[0], nil
}
