package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// payPalCall makes an authenticated call to the PayPal emulator, as the app's client would.
func (ts *testServer) payPalCall(t *testing.T, method, path, body string, out any) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ts.cfg.PayPalAPIBase+"/v1/oauth2/token", strings.NewReader("grant_type=client_credentials"))
	req.SetBasicAuth(ts.cfg.PayPalClientID, ts.cfg.PayPalClientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	return doJSON(t, method, ts.cfg.PayPalAPIBase+path, body, tok.AccessToken, out)
}

// Partner Referrals: the platform asks for a sign-up link, the seller signs up and consents on
// PayPal's page, comes back with PayPal's query parameters, merchant-integrations confirms, and a
// revocation turns it off; both merchant events reach the app signed.
func TestSandboxPartnerReferralOnboarding(t *testing.T) {
	ts := newTestServer(t)
	var created struct {
		Links []struct{ Href, Rel string }
	}
	req := `{"tracking_id":"shop42","partner_config_override":{"return_url":"https://shop.example/paypal/onboarded"},
		"operations":[{"operation":"API_INTEGRATION","api_integration_preference":{"rest_api_integration":{"integration_method":"PAYPAL",
		"integration_type":"THIRD_PARTY","third_party_details":{"features":["PAYMENT","REFUND"]}}}}],
		"products":["EXPRESS_CHECKOUT"],"legal_consents":[{"type":"SHARE_DATA_CONSENT","granted":true}]}`
	if code := ts.payPalCall(t, "POST", "/v2/customer/partner-referrals", req, &created); code != http.StatusCreated || len(created.Links) != 2 || created.Links[1].Rel != "action_url" {
		t.Fatalf("create referral: %d %+v", code, created)
	}
	var refused struct{ Details []struct{ Issue string } }
	if code := ts.payPalCall(t, "POST", "/v2/customer/partner-referrals", `{"tracking_id":"x","operations":[{}]}`, &refused); code != 400 || refused.Details[0].Issue != "MISSING_REQUIRED_PARAMETER" {
		t.Fatalf("referral without legal consents: %d %+v", code, refused)
	}

	action, _ := url.Parse(created.Links[1].Href)
	b := ts.browser(t)
	if page := b.get(action.RequestURI()); page.StatusCode != 200 || !strings.Contains(page.body, "Connect chatshop") {
		t.Fatalf("sign-up page %d", page.StatusCode)
	}
	res := b.post("/sandbox/paypal/bizsignup/complete", url.Values{"referral": {action.Query().Get("referralToken")},
		"legal_name": {"Harbor Goods"}, "email": {"hana@harbor.example"}, "grant": {"1"}, "email_confirmed": {"1"}})
	back, _ := url.Parse(res.Header.Get("Location"))
	q := back.Query()
	merchant := q.Get("merchantIdInPayPal")
	if res.StatusCode != http.StatusSeeOther || back.Host != "shop.example" || q.Get("merchantId") != "shop42" || len(merchant) != 13 ||
		q.Get("permissionsGranted") != "true" || q.Get("isEmailConfirmed") != "true" {
		t.Fatalf("return: %d %q", res.StatusCode, res.Header.Get("Location"))
	}

	var status struct {
		MerchantID            string `json:"merchant_id"`
		TrackingID            string `json:"tracking_id"`
		PaymentsReceivable    bool   `json:"payments_receivable"`
		PrimaryEmailConfirmed bool   `json:"primary_email_confirmed"`
	}
	path := "/v1/customer/partners/CHATSHPPARTNR/merchant-integrations/" + merchant
	if code := ts.payPalCall(t, "GET", path, "", &status); code != 200 || !status.PaymentsReceivable || !status.PrimaryEmailConfirmed || status.TrackingID != "shop42" {
		t.Fatalf("merchant integration: %d %+v", code, status)
	}
	var found struct {
		MerchantID string `json:"merchant_id"`
	}
	if code := ts.payPalCall(t, "GET", "/v1/customer/partners/CHATSHPPARTNR/merchant-integrations?tracking_id=shop42", "", &found); code != 200 || found.MerchantID != merchant {
		t.Fatalf("find by tracking id: %d %+v", code, found)
	}
	ts.waitEventOfType(t, "MERCHANT.ONBOARDING.COMPLETED", merchant)

	if code := ts.sandboxJSON(t, "POST", "/sandbox/paypal/api/merchants/"+merchant+"/revoke", "", nil); code != 200 {
		t.Fatalf("revoke: %d", code)
	}
	if ts.payPalCall(t, "GET", path, "", &status); status.PaymentsReceivable {
		t.Fatal("payments still receivable after the consent was revoked")
	}
	ts.waitEventOfType(t, "MERCHANT.PARTNER-CONSENT.REVOKED", merchant)
}
