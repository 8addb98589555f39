package paypal_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/paypal"
)

// fakePayPal answers the token call, then each path with one of PayPal's real answers (testdata).
func fakePayPal(t *testing.T, answers map[string]struct {
	status int
	file   string
}, seen func(r *http.Request, body []byte)) *paypal.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/oauth2/token" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"A21AA","token_type":"Bearer","expires_in":32400}`))
			return
		}
		body, _ := io.ReadAll(r.Body)
		if seen != nil {
			seen(r, body)
		}
		a, ok := answers[r.Method+" "+r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		raw, err := os.ReadFile("testdata/" + a.file) // copies of ../shared/reference/paypal/samples
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		_, _ = w.Write(raw)
	}))
	t.Cleanup(srv.Close)
	c := paypal.NewClient(srv.URL, "partner-client", "secret")
	c.PartnerID = "CHATSHPPARTNR"
	return c
}

// The referral asks for what chatshop needs and names the shop; PayPal's real answer gives the
// action_url; the real merchant-integrations answer decodes.
func TestPartnerReferralAndMerchantIntegration(t *testing.T) {
	var sent map[string]any
	c := fakePayPal(t, map[string]struct {
		status int
		file   string
	}{
		"POST /v2/customer/partner-referrals":                                         {201, "partner_referrals_create_response_201.json"},
		"GET /v1/customer/partners/CHATSHPPARTNR/merchant-integrations/7GHKL78J89JKX": {200, "merchant_integrations_get_200_swagpaypal.json"},
	}, func(r *http.Request, body []byte) {
		if r.Method == http.MethodPost {
			_ = json.Unmarshal(body, &sent)
		}
	})
	ctx := context.Background()
	ref, err := c.CreatePartnerReferral(ctx, "chatshop-shop-7", "https://shop.example/app/settings/paypal/return")
	if err != nil || !strings.HasPrefix(ref.ActionURL, "https://www.sandbox.paypal.com/bizsignup/partner/entry?referralToken=") {
		t.Fatalf("referral %+v, %v", ref, err)
	}
	raw, _ := json.Marshal(sent)
	for _, want := range []string{`"tracking_id":"chatshop-shop-7"`, `"return_url":"https://shop.example/app/settings/paypal/return"`,
		`"integration_type":"THIRD_PARTY"`, `"PAYMENT"`, `"REFUND"`, `"VAULT"`, `"READ_SELLER_DISPUTE"`, `"UPDATE_SELLER_DISPUTE"`,
		`{"granted":true,"type":"SHARE_DATA_CONSENT"}`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the referral request lacks %s: %s", want, raw)
		}
	}

	mi, err := c.MerchantIntegration(ctx, "7GHKL78J89JKX")
	if err != nil || mi.MerchantID != "7GHKL78J89JKX" || !mi.PaymentsReceivable || !mi.PrimaryEmailConfirmed || mi.LegalName != "Test Store" {
		t.Fatalf("merchant integration %+v, %v", mi, err)
	}
	if mi.GrantedTo("partner-client") {
		t.Fatal("a seller with no OAuth integration counts as having granted permissions")
	}
}

// PayPal's real error object decodes into the issue, the message and the debug id.
func TestRealErrorShapeDecodes(t *testing.T) {
	c := fakePayPal(t, map[string]struct {
		status int
		file   string
	}{
		"GET /v1/customer/partners/CHATSHPPARTNR/merchant-integrations/7GHKL78J89JKX": {422, "orders_capture_422_already_captured.json"},
	}, nil)
	_, err := c.MerchantIntegration(context.Background(), "7GHKL78J89JKX")
	var e *paypal.APIError
	if !errors.As(err, &e) || e.HTTPStatus != 422 || e.Name != "UNPROCESSABLE_ENTITY" || e.Issue() != "ORDER_ALREADY_CAPTURED" ||
		e.DebugID != "f8574efcf7ad9" || paypal.Retryable(err) {
		t.Fatalf("error %#v", err)
	}
}
