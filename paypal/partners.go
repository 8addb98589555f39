package paypal

import (
	"context"
	"net/http"
	"net/url"
)

// referralFeatures are the permissions chatshop asks a seller for: take and refund payments for
// them, vault their shoppers' PayPal accounts, and handle their disputes.
var referralFeatures = []string{"PAYMENT", "REFUND", "VAULT", "BILLING_AGREEMENT", "READ_SELLER_DISPUTE", "UPDATE_SELLER_DISPUTE", "ACCESS_MERCHANT_INFORMATION"}

// Referral is a seller's sign-up link made by Partner Referrals.
type Referral struct {
	// ActionURL is where the seller's browser goes to sign up and grant the permissions.
	ActionURL string
	// SelfURL reads the referral back.
	SelfURL string
}

// CreatePartnerReferral asks PayPal for a sign-up link for the seller chatshop knows as trackingID;
// PayPal sends the seller back to returnURL (at most 127 characters) when they are done.
func (c *Client) CreatePartnerReferral(ctx context.Context, trackingID, returnURL string) (*Referral, error) {
	body := map[string]any{
		"tracking_id": trackingID,
		"partner_config_override": map[string]any{
			"return_url":             returnURL,
			"return_url_description": "Back to your chatshop dashboard",
		},
		"operations": []any{map[string]any{
			"operation": "API_INTEGRATION",
			"api_integration_preference": map[string]any{"rest_api_integration": map[string]any{
				"integration_method": "PAYPAL", "integration_type": "THIRD_PARTY",
				"third_party_details": map[string]any{"features": referralFeatures},
			}},
		}},
		"products":       []string{"PPCP", "ADVANCED_VAULTING"},
		"capabilities":   []string{"PAYPAL_WALLET_VAULTING_ADVANCED"},
		"legal_consents": []any{map[string]any{"type": "SHARE_DATA_CONSENT", "granted": true}},
	}
	var out struct {
		Links []Link `json:"links"`
	}
	if err := c.call(ctx, http.MethodPost, "/v2/customer/partner-referrals", body, nil, &out); err != nil {
		return nil, err
	}
	return &Referral{ActionURL: linkHref(out.Links, "action_url"), SelfURL: linkHref(out.Links, "self")}, nil
}

// MerchantIntegration is what PayPal tells a partner about a seller it onboarded.
type MerchantIntegration struct {
	MerchantID            string `json:"merchant_id"`
	TrackingID            string `json:"tracking_id"`
	LegalName             string `json:"legal_name"`
	PrimaryEmail          string `json:"primary_email"`
	PaymentsReceivable    bool   `json:"payments_receivable"`
	PrimaryEmailConfirmed bool   `json:"primary_email_confirmed"`
	OAuthIntegrations     []struct {
		IntegrationType string `json:"integration_type"`
		OAuthThirdParty []struct {
			PartnerClientID string   `json:"partner_client_id"`
			Scopes          []string `json:"scopes"`
		} `json:"oauth_third_party"`
	} `json:"oauth_integrations"`
}

// GrantedTo reports whether the seller granted third-party permissions to the partner app
// partnerClientID.
func (m *MerchantIntegration) GrantedTo(partnerClientID string) bool {
	for _, oi := range m.OAuthIntegrations {
		for _, tp := range oi.OAuthThirdParty {
			if tp.PartnerClientID == partnerClientID && len(tp.Scopes) > 0 {
				return true
			}
		}
	}
	return false
}

// MerchantIntegration reads a seller's status: whether PayPal lets it receive payments, whether
// its email is confirmed, and which permissions it granted.
func (c *Client) MerchantIntegration(ctx context.Context, merchantID string) (*MerchantIntegration, error) {
	var out MerchantIntegration
	path := "/v1/customer/partners/" + url.PathEscape(c.PartnerID) + "/merchant-integrations/" + url.PathEscape(merchantID)
	if err := c.call(ctx, http.MethodGet, path, nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
