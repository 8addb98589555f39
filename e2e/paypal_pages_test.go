package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/paypal"
)

// A buyer on the sandbox's PayPal pages, in a browser: approves an order on the checkout page and
// comes back to the merchant with token and PayerID; reports a problem with the payment in the
// Resolution Center; then agrees on the consent page to save PayPal for one-tap payments and comes
// back with approval_token_id.
func TestBuyerOnPayPalPages(t *testing.T) {
	ctx := context.Background()
	srv := startServer(t, "")
	pp := paypal.NewClient(srv.URL+"/sandbox/paypal", "sandbox-chatshop-client", "sandbox-chatshop-secret")
	back := srv.URL + "/healthz"
	usd := paypal.Money{CurrencyCode: "USD", Value: "18.00"}
	o, err := pp.CreateOrder(ctx, "e2e-order", paypal.OrderRequest{Intent: "CAPTURE",
		PurchaseUnits: []paypal.PurchaseUnit{{Amount: paypal.Amount{CurrencyCode: "USD", Value: "18.00", Breakdown: &paypal.Breakdown{ItemTotal: &usd}},
			Payee: &paypal.Payee{MerchantID: demo.MerchantID}, CustomID: "e2e-1",
			Items: []paypal.Item{{Name: "Merino Crew Socks", UnitAmount: usd, Quantity: "1"}}}},
		PaymentSource: &paypal.PaymentSource{PayPal: &paypal.PayPalSource{ExperienceContext: &paypal.ExperienceContext{
			ReturnURL: back + "?paid=1", CancelURL: back + "?cancelled=1", UserAction: "PAY_NOW"}}}})
	if err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t)
	p := b.MustPage(o.BuyerURL()).MustWaitLoad()
	if got := p.MustElement(`[data-testid="paypal-checkout"]`).MustText(); !strings.Contains(got, "Lakeside Supply Co.") || !strings.Contains(got, "$18.00") {
		t.Fatalf("checkout page shows %q", got)
	}
	screenshot(t, p, "paypal-checkout")
	p.MustElement(`[data-testid="checkout-buyer"][value="buyer.ca@sandbox.chatshop.test"]`).MustClick()
	clickAndWait(p, "checkout-pay")
	landed, _ := url.Parse(p.MustInfo().URL)
	if landed.Query().Get("paid") != "1" || landed.Query().Get("token") != o.ID || len(landed.Query().Get("PayerID")) != 13 {
		t.Fatalf("after Pay Now the buyer is at %s", landed)
	}
	got, err := pp.GetOrder(ctx, o.ID)
	if err != nil || got.Status != "APPROVED" || got.Payer.Address.CountryCode != "CA" {
		t.Fatalf("order after approval %+v, %v", got, err)
	}

	// The buyer reports a problem with the payment in PayPal's Resolution Center.
	captured, err := pp.CaptureOrder(ctx, o.ID, "e2e-capture")
	if err != nil {
		t.Fatal(err)
	}
	captureID := captured.PurchaseUnits[0].Payments.Captures[0].ID
	p.MustNavigate(srv.URL + "/sandbox/paypal/resolutioncenter").MustWaitLoad()
	p.MustElement(`[data-testid="dispute-reason"]`).MustSelect("I didn't receive it")
	p.MustElement(`[data-testid="dispute-message"]`).MustInput("Nothing arrived after two weeks.")
	clickAndWait(p, "dispute-open-"+captureID)
	if got := p.MustElement(`[data-testid="dispute-opened"]`).MustText(); !strings.Contains(got, "PP-D-") {
		t.Fatalf("after reporting the problem the page says %q", got)
	}
	screenshot(t, p, "paypal-resolution-center")

	setup, err := pp.CreateSetupToken(ctx, demo.MerchantID, "e2e-vault", paypal.SetupTokenRequest{
		Description: "Pay in Messenger with one tap", ReturnURL: back + "?linked=1", CancelURL: back + "?linked=0"})
	if err != nil {
		t.Fatal(err)
	}
	p.MustNavigate(setup.ApproveURL()).MustWaitLoad()
	if got := p.MustElement(`[data-testid="paypal-vault"]`).MustText(); !strings.Contains(got, "Save PayPal with Lakeside Supply Co.") {
		t.Fatalf("consent page shows %q", got)
	}
	screenshot(t, p, "paypal-vault")
	clickAndWait(p, "vault-agree")
	landed, _ = url.Parse(p.MustInfo().URL)
	if landed.Query().Get("linked") != "1" || landed.Query().Get("approval_token_id") != setup.ID {
		t.Fatalf("after consent the buyer is at %s", landed)
	}
	if tok, err := pp.CreatePaymentToken(ctx, demo.MerchantID, setup.ID); err != nil || tok.PaymentSource.PayPal.EmailAddress != "buyer@sandbox.chatshop.test" {
		t.Fatalf("payment token %+v, %v", tok, err)
	}
}
