package carrier

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// The list is PayPal's shipment_carrier enum, sorted (Known searches it), and every common
// carrier is on it.
func TestCodesArePayPals(t *testing.T) {
	raw, err := os.ReadFile("../sandbox/contract/openapi/checkout_orders_v2.json")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(spec.Components.Schemas["shipment_carrier"].Enum)
	slices.Sort(want)
	want = slices.Compact(want)
	if !slices.Equal(codes, want) {
		t.Fatalf("codes.txt has %d codes, PayPal's file %d", len(codes), len(want))
	}
	for _, c := range Common {
		if !Known(c.Code) {
			t.Errorf("%s is not PayPal's", c.Code)
		}
	}
}

func TestLookup(t *testing.T) {
	for typed, want := range map[string][2]string{
		"ROYAL_MAIL":          {"ROYAL_MAIL", ""},
		" royal   mail ":      {"ROYAL_MAIL", ""},
		"Bob's Bike Couriers": {Other, "Bob's Bike Couriers"},
		"other":               {Other, "other"},
	} {
		if code, name := Lookup(typed); code != want[0] || name != want[1] {
			t.Errorf("Lookup(%q) = %q, %q; want %q, %q", typed, code, name, want[0], want[1])
		}
	}
	if Known("NOT_A_CARRIER") || !Known(Other) {
		t.Error("Known")
	}
	if got := TrackingURL("UPS", "1Z 999"); got != "https://www.ups.com/track?tracknum=1Z+999" {
		t.Errorf("TrackingURL = %q", got)
	}
	if TrackingURL("ROYAL_MAIL", "x") != "" || Name("ROYAL_MAIL", "") != "ROYAL MAIL" || Name(Other, "Bob") != "Bob" {
		t.Error("Name or TrackingURL of a carrier chatshop does not link")
	}
}
