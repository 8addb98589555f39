package models

import (
	"context"
	"errors"
	"time"
)

// MessengerPage is a Facebook Page connected to a shop.
type MessengerPage struct {
	ID          int64
	ShopID      int64
	PageID      string
	Name        string
	TokenSealed string
	Status      string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// PayPalAccount is a PayPal merchant connected to a shop.
type PayPalAccount struct {
	ID         int64
	ShopID     int64
	MerchantID string `gorm:"column:merchant_id"`
	Status     string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName maps PayPalAccount to its table.
func (PayPalAccount) TableName() string { return "paypal_accounts" }

// SimulatedPageToken is the access token of a sandbox Page: the Graph emulator accepts exactly it.
func SimulatedPageToken(pageID string) string { return "EAAGsandbox" + pageID }

// ConnectPage records that a Facebook Page belongs to the shop, with its access token sealed
// (token may be empty for tests that send nothing). A Page another shop has connected is ErrConflict.
func (d *ShopData) ConnectPage(ctx context.Context, pageID, name, token string, by Actor) error {
	sealed := ""
	if token != "" {
		if d.s.sealer == nil {
			return errors.New("models: no secret key to seal the Page token")
		}
		var err error
		if sealed, err = d.s.sealer.Seal(token, pageTokenPurpose(pageID)); err != nil {
			return err
		}
	}
	return d.s.Transaction(ctx, func(tx *Tx) error {
		p := MessengerPage{ShopID: d.shopID, PageID: pageID, Name: name, TokenSealed: sealed, Status: "connected"}
		if err := tx.db.Create(&p).Error; err != nil {
			return translate(err)
		}
		return tx.audit(d.shopID, by, AuditConnectionChanged, "Messenger Page "+name, "connected", tx.now())
	})
}

// ConnectPayPal records that a PayPal merchant belongs to the shop. A merchant another shop has
// connected is ErrConflict.
func (d *ShopData) ConnectPayPal(ctx context.Context, merchantID string, by Actor) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		a := PayPalAccount{ShopID: d.shopID, MerchantID: merchantID, Status: "connected"}
		if err := tx.db.Create(&a).Error; err != nil {
			return translate(err)
		}
		return tx.audit(d.shopID, by, AuditConnectionChanged, "PayPal merchant "+merchantID, "connected", tx.now())
	})
}

// SandboxConnection is a connected Page or merchant with its shop, for the sandbox's directory.
type SandboxConnection struct {
	Kind     string // page or merchant
	ID, Name string
	ShopName string
}

// SandboxConnections lists every shop's connected Pages and PayPal merchants.
func (s *Store) SandboxConnections(ctx context.Context) ([]SandboxConnection, error) {
	var out []SandboxConnection
	err := s.r.WithContext(ctx).Raw(`
		SELECT 'page' AS kind, p.page_id AS id, p.name AS name, s.name AS shop_name
		  FROM messenger_pages p JOIN shops s ON s.id = p.shop_id WHERE p.status <> 'disconnected'
		UNION ALL
		SELECT 'merchant', a.merchant_id, a.merchant_id, s.name
		  FROM paypal_accounts a JOIN shops s ON s.id = a.shop_id WHERE a.status <> 'disconnected'
		ORDER BY 1, 2`).Scan(&out).Error
	return out, err
}
