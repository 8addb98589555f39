package sandbox

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// Buyer is a simulated PayPal buyer.
type Buyer struct {
	Email   string `json:"email"`
	Name    string `json:"name"`
	Country string `json:"country"`
	// Outcome is what capturing this buyer's payment does: "" completes, "pending" stays pending
	// (PENDING_REVIEW), "declined" is declined.
	Outcome string `json:"capture_outcome,omitempty"`
}

// payerName is the buyer's name as PayPal splits it.
func (b Buyer) payerName() *name {
	given, surname, _ := strings.Cut(b.Name, " ")
	return &name{GivenName: given, Surname: surname}
}

// Buyers are the sandbox's PayPal buyers; the first is the default.
var Buyers = []Buyer{
	{Email: "buyer@sandbox.chatshop.test", Name: "Jordan Rivera", Country: "US"},
	{Email: "buyer.ca@sandbox.chatshop.test", Name: "Camille Tremblay", Country: "CA"},
	{Email: "buyer.gb@sandbox.chatshop.test", Name: "Oliver Hughes", Country: "GB"},
	{Email: "buyer.pending@sandbox.chatshop.test", Name: "Riley Pending", Country: "US", Outcome: "pending"},
	{Email: "buyer.declined@sandbox.chatshop.test", Name: "Casey Declined", Country: "US", Outcome: "declined"},
}

// Info is GET /sandbox/api/info: the simulated Pages, merchants and buyers, and the credentials and
// webhook URLs in use.
func (s *Sandbox) Info(c echo.Context) error {
	conns, err := s.shops.ConnectedAccounts(c.Request().Context())
	if err != nil {
		return err
	}
	type page struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Shop string `json:"shop"`
	}
	type merchant struct {
		MerchantID string `json:"merchant_id"`
		Shop       string `json:"shop"`
	}
	pages, merchants := []page{}, []merchant{}
	for _, conn := range conns {
		if conn.Kind == "page" {
			pages = append(pages, page{ID: conn.ID, Name: conn.Name, Shop: conn.ShopName})
		} else {
			merchants = append(merchants, merchant{MerchantID: conn.ID, Shop: conn.ShopName})
		}
	}
	cfg := s.cfg
	return c.JSON(http.StatusOK, map[string]any{
		"pages": pages, "merchants": merchants, "buyers": Buyers,
		"paypal": map[string]string{"api_base": cfg.PayPalAPIBase, "client_id": cfg.PayPalClientID, "webhook_id": cfg.PayPalWebhookID,
			"cert_url": s.paypal.certURL(), "webhook_url": s.appURL + "/webhooks/paypal"},
		"messenger": map[string]string{"graph_api_base": cfg.GraphAPIBase, "verify_token": cfg.MetaVerifyToken, "webhook_url": s.appURL + "/webhooks/messenger"},
	})
}
