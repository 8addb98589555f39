package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// Vault v3: the merchant asks to save a buyer's PayPal, the buyer agrees on PayPal's consent page
// and returns with approval_token_id, the setup token becomes a payment token once, and an order
// with that vault_id is paid at once, without the buyer, and the capture webhook reaches the app.
func TestSandboxVaultOneTapPayment(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	pp := ts.payPalClient()
	merchant := demo.MerchantID

	setup, err := pp.CreateSetupToken(ctx, merchant, "link-psid-1", paypal.SetupTokenRequest{Description: "Pay Lakeside Supply Co. in Messenger",
		ReturnURL: "https://shop.example/link/return", CancelURL: "https://shop.example/link/cancel"})
	if err != nil {
		t.Fatal(err)
	}
	if setup.Status != "PAYER_ACTION_REQUIRED" || setup.Customer.ID == "" || !strings.Contains(setup.ApproveURL(), "/sandbox/paypal/agreements/approve?approval_session_id="+setup.ID) {
		t.Fatalf("setup token %+v", setup)
	}
	if _, err := pp.CreatePaymentToken(ctx, merchant, setup.ID); issueOf(err) != "SETUP_TOKEN_NOT_APPROVED" {
		t.Fatalf("payment token before consent: %v", err)
	}

	b := ts.browser(t)
	approve, _ := url.Parse(setup.ApproveURL())
	page := b.get(approve.RequestURI())
	if page.StatusCode != 200 || !strings.Contains(page.body, "Save PayPal with Lakeside Supply Co.") || !hasTestID(page.body, "vault-agree") {
		t.Fatalf("consent page %d:\n%.600s", page.StatusCode, page.body)
	}
	res := b.post("/sandbox/paypal/agreements/approve", url.Values{"approval_session_id": {setup.ID}, "buyer": {"buyer@sandbox.chatshop.test"}})
	back, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || back.Host != "shop.example" || back.Query().Get("approval_token_id") != setup.ID {
		t.Fatalf("after consent: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	tok, err := pp.CreatePaymentToken(ctx, merchant, setup.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tok.PaymentSource.PayPal == nil || tok.PaymentSource.PayPal.EmailAddress != "buyer@sandbox.chatshop.test" || tok.Customer.ID != setup.Customer.ID {
		t.Fatalf("payment token %+v", tok)
	}
	if again, err := pp.CreatePaymentToken(ctx, merchant, setup.ID); err != nil || again.ID != tok.ID {
		t.Fatalf("the same setup token twice gave %v (%v), want %s", again, err, tok.ID)
	}
	var st struct{ Status string }
	if ts.payPalCall(t, http.MethodGet, "/v3/vault/setup-tokens/"+setup.ID, "", &st); st.Status != "VAULTED" {
		t.Fatalf("setup token after use: %q", st.Status)
	}
	var vault struct {
		PaymentTokens []struct{ ID string } `json:"payment_tokens"`
	}
	if ts.payPalCall(t, http.MethodGet, "/v3/vault/payment-tokens?customer_id="+url.QueryEscape(tok.Customer.ID), "", &vault); len(vault.PaymentTokens) != 1 || vault.PaymentTokens[0].ID != tok.ID {
		t.Fatalf("the customer's vault: %+v", vault)
	}
	if _, err := pp.GetPaymentToken(ctx, "2SECNDMERCHNT", tok.ID); issueOf(err) != "INVALID_RESOURCE_ID" {
		t.Fatalf("another merchant read the token: %v", err)
	}

	r := demoOrder("chatshop-order-vault", nil)
	r.PaymentSource = &paypal.PaymentSource{PayPal: &paypal.PayPalSource{VaultID: tok.ID}}
	o, err := pp.CreateOrder(ctx, "vault-order-1", r)
	if err != nil {
		t.Fatal(err)
	}
	caps := o.PurchaseUnits[0].Payments.Captures
	if o.Status != "COMPLETED" || len(caps) != 1 || caps[0].Status != "COMPLETED" || caps[0].CustomID != "chatshop-order-vault" {
		t.Fatalf("one-tap order %+v", o)
	}
	if _, err := pp.CaptureOrder(ctx, o.ID, "vault-capture"); issueOf(err) != "ORDER_ALREADY_CAPTURED" {
		t.Fatalf("capturing a vaulted order again: %v", err)
	}
	key := ts.waitEventOfType(t, "PAYMENT.CAPTURE.COMPLETED", caps[0].ID)
	if status := ts.waitProcessed(t, "paypal", key); status != models.EventProcessed {
		t.Fatalf("capture event ended %s", status)
	}

	// A second merchant of the emulator cannot charge the first one's token.
	second := &sandboxdb.Merchant{MerchantID: "2SECNDMERCHNT", TrackingID: "shop-2", LegalName: "Second Shop",
		Email: "second@business.example.com", PermissionsGranted: true, PrimaryEmailConfirmed: true}
	if err := ts.sandboxDB.CompleteSandboxReferral(ctx, "", second); err != nil {
		t.Fatal(err)
	}
	other := demoOrder("chatshop-order-other", nil)
	other.PurchaseUnits[0].Payee.MerchantID = second.MerchantID
	other.PaymentSource = r.PaymentSource
	if _, err := pp.CreateOrder(ctx, "vault-order-other", other); issueOf(err) != "PAYMENT_SOURCE_CANNOT_BE_USED" {
		t.Fatalf("another merchant charged the token: %v", err)
	}
	if err := pp.DeletePaymentToken(ctx, merchant, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := pp.CreateOrder(ctx, "vault-order-2", r); issueOf(err) != "PAYMENT_SOURCE_CANNOT_BE_USED" {
		t.Fatalf("an order with a deleted token: %v", err)
	}
}

// A buyer who declines on the consent page goes back to the cancel URL and the token stays unusable.
func TestSandboxVaultConsentCancelled(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	pp := ts.payPalClient()
	setup, err := pp.CreateSetupToken(ctx, demo.MerchantID, "link-psid-2", paypal.SetupTokenRequest{
		ReturnURL: "https://shop.example/link/return", CancelURL: "https://shop.example/link/cancel"})
	if err != nil {
		t.Fatal(err)
	}
	res := ts.browser(t).post("/sandbox/paypal/agreements/cancel", url.Values{"approval_session_id": {setup.ID}})
	back, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || back.Path != "/link/cancel" || back.Query().Get("approval_token_id") != setup.ID {
		t.Fatalf("after cancel: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if _, err := pp.CreatePaymentToken(ctx, demo.MerchantID, setup.ID); issueOf(err) != "SETUP_TOKEN_NOT_APPROVED" {
		t.Fatalf("payment token after a cancelled consent: %v", err)
	}
}
