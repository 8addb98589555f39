package models

import (
	"context"
	"time"
)

// SandboxSetupToken is a vault setup token of the PayPal emulator: made by the merchant, approved
// by a buyer on the emulator's consent page, then exchanged for a payment token once. Body is the
// token as GET returns it (links aside).
type SandboxSetupToken struct {
	ID             string `gorm:"primaryKey"`
	MerchantID     string
	CustomerID     string
	Status         string
	PayerID        string
	ReturnURL      string `gorm:"column:return_url"`
	CancelURL      string `gorm:"column:cancel_url"`
	Body           string
	PaymentTokenID string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (SandboxSetupToken) TableName() string { return "sandbox_paypal_setup_tokens" }

// SandboxPaymentToken is a vaulted PayPal account: a buyer's consent to be charged by a merchant
// without approving each payment. Body is the token as GET returns it (links aside).
type SandboxPaymentToken struct {
	ID         string `gorm:"primaryKey"`
	MerchantID string
	CustomerID string
	PayerID    string
	Body       string
	CreatedAt  time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (SandboxPaymentToken) TableName() string { return "sandbox_paypal_payment_tokens" }

// CreateSandboxSetupToken stores a new setup token.
func (s *Store) CreateSandboxSetupToken(ctx context.Context, t *SandboxSetupToken) error {
	t.CreatedAt, t.UpdatedAt = s.nowUTC(), s.nowUTC()
	return translate(s.w.WithContext(ctx).Create(t).Error)
}

// SandboxSetupTokenByID loads a setup token.
func (s *Store) SandboxSetupTokenByID(ctx context.Context, id string) (*SandboxSetupToken, error) {
	var t SandboxSetupToken
	err := s.w.WithContext(ctx).Where("id = ?", id).Take(&t).Error
	return &t, translate(err)
}

// ApproveSandboxSetupToken records the buyer's consent if the token still waits for it.
func (s *Store) ApproveSandboxSetupToken(ctx context.Context, id, payerID, body string) (bool, error) {
	res := s.w.WithContext(ctx).Model(&SandboxSetupToken{}).Where("id = ? AND status = ?", id, "PAYER_ACTION_REQUIRED").
		Updates(map[string]any{"status": "APPROVED", "payer_id": payerID, "body": body, "updated_at": s.nowUTC()})
	return res.RowsAffected == 1, res.Error
}

// VaultSandboxSetupToken turns an approved setup token into the payment token p, once: it reports
// false when the setup token was not approved or was already used.
func (s *Store) VaultSandboxSetupToken(ctx context.Context, setupID, setupBody string, p *SandboxPaymentToken) (bool, error) {
	vaulted := false
	err := s.Transaction(ctx, func(tx *Tx) error {
		res := tx.db.Model(&SandboxSetupToken{}).Where("id = ? AND status = ?", setupID, "APPROVED").
			Updates(map[string]any{"status": "VAULTED", "payment_token_id": p.ID, "body": setupBody, "updated_at": tx.now()})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		p.CreatedAt = tx.now()
		vaulted = true
		return translate(tx.db.Create(p).Error)
	})
	return vaulted, err
}

// SandboxPaymentTokenByID loads a payment token.
func (s *Store) SandboxPaymentTokenByID(ctx context.Context, id string) (*SandboxPaymentToken, error) {
	var t SandboxPaymentToken
	err := s.w.WithContext(ctx).Where("id = ?", id).Take(&t).Error
	return &t, translate(err)
}

// SandboxPaymentTokens lists a customer's payment tokens, oldest first.
func (s *Store) SandboxPaymentTokens(ctx context.Context, customerID string) ([]SandboxPaymentToken, error) {
	var ts []SandboxPaymentToken
	err := s.w.WithContext(ctx).Where("customer_id = ?", customerID).Order("created_at, id").Find(&ts).Error
	return ts, err
}

// DeleteSandboxPaymentToken removes a payment token; ErrNotFound if there is none.
func (s *Store) DeleteSandboxPaymentToken(ctx context.Context, id string) error {
	res := s.w.WithContext(ctx).Where("id = ?", id).Delete(&SandboxPaymentToken{})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}
