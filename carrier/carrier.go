// Package carrier names the shipping carriers PayPal knows: its shipment_carrier codes (the list in
// PayPal's Orders v2 OpenAPI file), the common ones a retailer picks first, and where a tracking
// number is followed on the carrier's site.
package carrier

import (
	_ "embed"
	"net/url"
	"slices"
	"strings"
)

// codesFile is PayPal's shipment_carrier enum, one code a line (checkout_orders_v2.json).
//
//go:embed codes.txt
var codesFile string

var codes = strings.Fields(codesFile)

// Other is the code of a carrier PayPal does not list; its name goes in carrier_name_other.
const Other = "OTHER"

// Carrier is a carrier as the ship form offers it.
type Carrier struct {
	Code, Name string
	track      string // the tracking page, to which the tracking number is added
}

// Common are the carriers the ship form offers first: the common US ones, then Canada's.
var Common = []Carrier{
	{"USPS", "USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels="},
	{"UPS", "UPS", "https://www.ups.com/track?tracknum="},
	{"FEDEX", "FedEx", "https://www.fedex.com/fedextrack/?trknbr="},
	{"DHL_API", "DHL Express", "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id="},
	{"ONTRAC", "OnTrac", "https://www.ontrac.com/tracking/?number="},
	{"CA_CANADA_POST", "Canada Post", "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor="},
}

// Known reports whether PayPal takes code as a carrier.
func Known(code string) bool {
	_, found := slices.BinarySearch(codes, code)
	return found || code == Other
}

// Lookup reads what a person typed as a carrier: one of PayPal's codes ("ROYAL_MAIL", "royal
// mail") gives the code; anything else is a carrier PayPal does not list (Other) by that name.
func Lookup(typed string) (code, otherName string) {
	typed = strings.Join(strings.Fields(typed), " ")
	if c := strings.ToUpper(strings.ReplaceAll(typed, " ", "_")); c != Other && Known(c) {
		return c, ""
	}
	return Other, typed
}

// Name is a carrier's name as people read it.
func Name(code, otherName string) string {
	if code == Other {
		return otherName
	}
	for _, c := range Common {
		if c.Code == code {
			return c.Name
		}
	}
	return strings.ReplaceAll(code, "_", " ")
}

// TrackingURL is the carrier's page for a tracking number, or "" when chatshop does not know it.
func TrackingURL(code, number string) string {
	for _, c := range Common {
		if c.Code == code {
			return c.track + url.QueryEscape(number)
		}
	}
	return ""
}
