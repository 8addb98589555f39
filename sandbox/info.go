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
	// Street, City, Region and PostalCode are the buyer's shipping address on file, in Country.
	Street     string `json:"street"`
	City       string `json:"city"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code"`
}

// shipTo is the buyer's address on file as a purchase unit's shipping, for an order whose
// shipping preference lets PayPal pick it (GET_FROM_FILE, the default).
func (b Buyer) shipTo() *shippingDetail {
	s := &shippingDetail{Type: "SHIPPING", Address: &portableAddress{AddressLine1: b.Street, AdminArea2: b.City, AdminArea1: b.Region,
		PostalCode: b.PostalCode, CountryCode: b.Country}}
	s.Name = &struct {
		FullName string `json:"full_name"`
	}{FullName: b.Name}
	return s
}

// shipOrder gives each purchase unit the buyer's address unless the order asks for none
// (NO_SHIPPING) or brought the merchant's own (SET_PROVIDED_ADDRESS with an address).
func (b Buyer) shipOrder(o *order, preference string) {
	if preference == "NO_SHIPPING" {
		return
	}
	for i := range o.PurchaseUnits {
		if pu := &o.PurchaseUnits[i]; pu.Shipping == nil || pu.Shipping.Address == nil {
			pu.Shipping = b.shipTo()
		}
	}
}

// payerName is the buyer's name as PayPal splits it.
func (b Buyer) payerName() *name {
	given, surname, _ := strings.Cut(b.Name, " ")
	return &name{GivenName: given, Surname: surname}
}

// Buyers are the sandbox's PayPal buyers; the first is the default.
var Buyers = []Buyer{
	{Email: "buyer@sandbox.chatshop.test", Name: "Jordan Rivera", Country: "US",
		Street: "2211 North First Street", City: "San Jose", Region: "CA", PostalCode: "95131"},
	{Email: "buyer.ca@sandbox.chatshop.test", Name: "Camille Tremblay", Country: "CA",
		Street: "1250 Rue Sainte-Catherine", City: "Montréal", Region: "QC", PostalCode: "H3B 1K6"},
	{Email: "buyer.gb@sandbox.chatshop.test", Name: "Oliver Hughes", Country: "GB",
		Street: "12 Chapel Hill", City: "Bournemouth", PostalCode: "BH1 1AA"},
	{Email: "buyer.pending@sandbox.chatshop.test", Name: "Riley Pending", Country: "US", Outcome: "pending",
		Street: "500 Pine Street", City: "Seattle", Region: "WA", PostalCode: "98101"},
	{Email: "buyer.declined@sandbox.chatshop.test", Name: "Casey Declined", Country: "US", Outcome: "declined",
		Street: "77 Elm Avenue", City: "Austin", Region: "TX", PostalCode: "78701"},
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
