package sandboxdb

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// SetupToken is a vault setup token of the PayPal emulator: made by the merchant, approved
// by a buyer on the emulator's consent page, then exchanged for a payment token once. Body is the
// token as GET returns it (links aside).
type SetupToken struct {
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
func (SetupToken) TableName() string { return "sandbox_paypal_setup_tokens" }

// PaymentToken is a vaulted PayPal account: a buyer's consent to be charged by a merchant
// without approving each payment. Body is the token as GET returns it (links aside).
type PaymentToken struct {
	ID         string `gorm:"primaryKey"`
	MerchantID string
	CustomerID string
	PayerID    string
	Body       string
	CreatedAt  time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (PaymentToken) TableName() string { return "sandbox_paypal_payment_tokens" }

// CreateSandboxSetupToken stores a new setup token.
func (d *DB) CreateSandboxSetupToken(ctx context.Context, t *SetupToken) error {
	t.CreatedAt, t.UpdatedAt = d.nowUTC(), d.nowUTC()
	return translate(d.w.WithContext(ctx).Create(t).Error)
}

// SandboxSetupTokenByID loads a setup token.
func (d *DB) SandboxSetupTokenByID(ctx context.Context, id string) (*SetupToken, error) {
	var t SetupToken
	err := d.w.WithContext(ctx).Where("id = ?", id).Take(&t).Error
	return &t, translate(err)
}

// ApproveSandboxSetupToken records the buyer's consent if the token still waits for it.
func (d *DB) ApproveSandboxSetupToken(ctx context.Context, id, payerID, body string) (bool, error) {
	res := d.w.WithContext(ctx).Model(&SetupToken{}).Where("id = ? AND status = ?", id, "PAYER_ACTION_REQUIRED").
		Updates(map[string]any{"status": "APPROVED", "payer_id": payerID, "body": body, "updated_at": d.nowUTC()})
	return res.RowsAffected == 1, res.Error
}

// VaultSandboxSetupToken turns an approved setup token into the payment token p, once: it reports
// false when the setup token was not approved or was already used.
func (d *DB) VaultSandboxSetupToken(ctx context.Context, setupID, setupBody string, p *PaymentToken) (bool, error) {
	vaulted := false
	err := d.transaction(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&SetupToken{}).Where("id = ? AND status = ?", setupID, "APPROVED").
			Updates(map[string]any{"status": "VAULTED", "payment_token_id": p.ID, "body": setupBody, "updated_at": d.nowUTC()})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		p.CreatedAt = d.nowUTC()
		vaulted = true
		return translate(tx.Create(p).Error)
	})
	return vaulted, err
}

// SandboxPaymentTokenByID loads a payment token.
func (d *DB) SandboxPaymentTokenByID(ctx context.Context, id string) (*PaymentToken, error) {
	var t PaymentToken
	err := d.w.WithContext(ctx).Where("id = ?", id).Take(&t).Error
	return &t, translate(err)
}

// SandboxPaymentTokens lists a customer's payment tokens, oldest first.
func (d *DB) SandboxPaymentTokens(ctx context.Context, customerID string) ([]PaymentToken, error) {
	var ts []PaymentToken
	err := d.w.WithContext(ctx).Where("customer_id = ?", customerID).Order("created_at, id").Find(&ts).Error
	return ts, err
}

// DeleteSandboxPaymentToken removes a payment token; ErrNotFound if there is none.
func (d *DB) DeleteSandboxPaymentToken(ctx context.Context, id string) error {
	res := d.w.WithContext(ctx).Where("id = ?", id).Delete(&PaymentToken{})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}
