package sandboxdb

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Referral is a partner referral of the PayPal emulator: the sign-up link a platform made
// for one of its sellers.
type Referral struct {
	ID         string `gorm:"primaryKey"`
	TrackingID string
	ReturnURL  string `gorm:"column:return_url"`
	Body       string
	MerchantID string
	CreatedAt  time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (Referral) TableName() string { return "sandbox_paypal_referrals" }

// Merchant is a seller account of the PayPal emulator, made by signing up through a referral.
type Merchant struct {
	MerchantID            string `gorm:"primaryKey"`
	TrackingID            string
	LegalName             string
	Email                 string
	PermissionsGranted    bool
	PrimaryEmailConfirmed bool
	ConsentRevoked        bool
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (Merchant) TableName() string { return "sandbox_paypal_merchants" }

// CreateSandboxReferral stores a referral.
func (d *DB) CreateSandboxReferral(ctx context.Context, r *Referral) error {
	r.CreatedAt = d.nowUTC()
	return translate(d.w.WithContext(ctx).Create(r).Error)
}

// SandboxReferralByID loads a referral.
func (d *DB) SandboxReferralByID(ctx context.Context, id string) (*Referral, error) {
	var r Referral
	err := d.w.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	return &r, translate(err)
}

// CompleteSandboxReferral records the merchant who signed up through a referral.
func (d *DB) CompleteSandboxReferral(ctx context.Context, referralID string, m *Merchant) error {
	return d.transaction(ctx, func(tx *gorm.DB) error {
		m.CreatedAt, m.UpdatedAt = d.nowUTC(), d.nowUTC()
		if err := tx.Create(m).Error; err != nil {
			return translate(err)
		}
		return tx.Model(&Referral{}).Where("id = ?", referralID).Update("merchant_id", m.MerchantID).Error
	})
}

// SandboxMerchantByID loads a merchant of the emulator.
func (d *DB) SandboxMerchantByID(ctx context.Context, id string) (*Merchant, error) {
	var m Merchant
	err := d.w.WithContext(ctx).Where("merchant_id = ?", id).Take(&m).Error
	return &m, translate(err)
}

// SandboxMerchantByTracking loads the latest merchant onboarded with a tracking id.
func (d *DB) SandboxMerchantByTracking(ctx context.Context, trackingID string) (*Merchant, error) {
	var m Merchant
	err := d.w.WithContext(ctx).Where("tracking_id = ?", trackingID).Order("created_at DESC").Take(&m).Error
	return &m, translate(err)
}

// RevokeSandboxConsent records that the merchant took the platform's permissions away.
func (d *DB) RevokeSandboxConsent(ctx context.Context, merchantID string) error {
	res := d.w.WithContext(ctx).Model(&Merchant{}).Where("merchant_id = ?", merchantID).
		Updates(map[string]any{"consent_revoked": true, "permissions_granted": false, "updated_at": d.nowUTC()})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// MerchantEmail is a sandbox merchant's business email address.
func MerchantEmail(merchantID string) string {
	return "sb-" + strings.ToLower(merchantID) + "@business.example.com"
}
