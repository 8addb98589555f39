package shopify

import "testing"

func TestParseMinor(t *testing.T) {
	tests := []struct {
		in       string
		decimals int
		want     int64
		msg      string
	}{
		{"19.99", 2, 1999, ""},
		{"25", 2, 2500, ""},
		{" 0.5 ", 2, 50, ""},
		{".5", 2, 50, ""},
		{"7.", 2, 700, ""},
		{"19.990", 2, 1999, ""},
		{"12,5", 2, 1250, ""},
		{"-0.00", 2, 0, ""},
		{"1500", 0, 1500, ""},
		{"1500.00", 0, 1500, ""},
		{"1.5", 3, 1500, ""},
		{"19.999", 2, 0, "has more than 2 decimals"},
		{"15.5", 0, 0, "must be a whole number: the currency has no cents"},
		{"12,5", 0, 0, "is not a number"},
		{"1,234", 2, 0, "is not a number: write it without thousands separators, e.g. 1234.50"},
		{"1,234", 0, 0, "is not a number: write it without thousands separators, e.g. 1234.50"},
		{"-3", 2, 0, "cannot be negative"},
		{"12,5x", 2, 0, "is not a number"},
		{"1e3", 2, 0, "is not a number"},
		{".", 2, 0, "is not a number"},
		{"€5", 2, 0, "is not a number: leave out the currency symbol"},
		{"1234567890123456", 2, 0, "is too large"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, msg := parseMinor(tt.in, tt.decimals)
			if got != tt.want || msg != tt.msg {
				t.Errorf("parseMinor(%q, %d) = %d, %q; want %d, %q", tt.in, tt.decimals, got, msg, tt.want, tt.msg)
			}
		})
	}
}

func TestFormatMinor(t *testing.T) {
	tests := []struct {
		n        int64
		decimals int
		want     string
	}{
		{1999, 2, "19.99"}, {5, 2, "0.05"}, {0, 2, "0.00"}, {2500, 0, "2500"}, {-150, 2, "-1.50"}, {7, 3, "0.007"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := formatMinor(tt.n, tt.decimals); got != tt.want {
				t.Errorf("formatMinor(%d, %d) = %q", tt.n, tt.decimals, got)
			}
			if back, msg := parseMinor(tt.want, tt.decimals); tt.n >= 0 && (back != tt.n || msg != "") {
				t.Errorf("parseMinor(%q) = %d, %q", tt.want, back, msg)
			}
		})
	}
}

func TestParseGrams(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		msg  string
	}{
		{"150", 150, ""}, {"150.5", 151, ""}, {"150.49", 150, ""}, {"0.4", 0, ""}, {"12,5", 13, ""},
		{"-1", 0, "cannot be negative"}, {"1 kg", 0, "is not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got, msg := parseGrams(tt.in); got != tt.want || msg != tt.msg {
				t.Errorf("parseGrams(%q) = %d, %q; want %d, %q", tt.in, got, msg, tt.want, tt.msg)
			}
		})
	}
}
