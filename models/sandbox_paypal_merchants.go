package models

import (
	"context"
	"strings"
	"time"
)

// SandboxReferral is a partner referral of the PayPal emulator: the sign-up link a platform made
// for one of its sellers.
type SandboxReferral struct {
	ID         string `gorm:"primaryKey"`
	TrackingID string
	ReturnURL  string `gorm:"column:return_url"`
	Body       string
	MerchantID string
	CreatedAt  time.Time
}

// TableName keeps the emulator's tables apart from the product's.
func (SandboxReferral) TableName() string { return "sandbox_paypal_referrals" }

// SandboxMerchant is a seller account of the PayPal emulator, made by signing up through a referral.
type SandboxMerchant struct {
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
func (SandboxMerchant) TableName() string { return "sandbox_paypal_merchants" }

// CreateSandboxReferral stores a referral.
func (s *Store) CreateSandboxReferral(ctx context.Context, r *SandboxReferral) error {
	r.CreatedAt = s.nowUTC()
	return translate(s.w.WithContext(ctx).Create(r).Error)
}

// SandboxReferralByID loads a referral.
func (s *Store) SandboxReferralByID(ctx context.Context, id string) (*SandboxReferral, error) {
	var r SandboxReferral
	err := s.w.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	return &r, translate(err)
}

// CompleteSandboxReferral records the merchant who signed up through a referral.
func (s *Store) CompleteSandboxReferral(ctx context.Context, referralID string, m *SandboxMerchant) error {
	return s.Transaction(ctx, func(tx *Tx) error {
		m.CreatedAt, m.UpdatedAt = tx.now(), tx.now()
		if err := tx.db.Create(m).Error; err != nil {
			return translate(err)
		}
		return tx.db.Model(&SandboxReferral{}).Where("id = ?", referralID).Update("merchant_id", m.MerchantID).Error
	})
}

// SandboxMerchantByID loads a merchant of the emulator.
func (s *Store) SandboxMerchantByID(ctx context.Context, id string) (*SandboxMerchant, error) {
	var m SandboxMerchant
	err := s.w.WithContext(ctx).Where("merchant_id = ?", id).Take(&m).Error
	return &m, translate(err)
}

// SandboxMerchantByTracking loads the latest merchant onboarded with a tracking id.
func (s *Store) SandboxMerchantByTracking(ctx context.Context, trackingID string) (*SandboxMerchant, error) {
	var m SandboxMerchant
	err := s.w.WithContext(ctx).Where("tracking_id = ?", trackingID).Order("created_at DESC").Take(&m).Error
	return &m, translate(err)
}

// RevokeSandboxConsent records that the merchant took the platform's permissions away.
func (s *Store) RevokeSandboxConsent(ctx context.Context, merchantID string) error {
	res := s.w.WithContext(ctx).Model(&SandboxMerchant{}).Where("merchant_id = ?", merchantID).
		Updates(map[string]any{"consent_revoked": true, "permissions_granted": false, "updated_at": s.nowUTC()})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// SandboxMerchantEmail is a sandbox merchant's business email address.
func SandboxMerchantEmail(merchantID string) string {
	return "sb-" + strings.ToLower(merchantID) + "@business.example.com"
}
