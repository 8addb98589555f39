package components

import "testing"

func TestWords(t *testing.T) {
	for code, want := range map[string]string{
		"COMPLETED":          "Completed",
		"PARTIALLY_REFUNDED": "Partially refunded",
		"active":             "Active",
		"under_review":       "Under review",
		"Needs a response":   "Needs a response",
		"PayPal":             "PayPal",
		"":                   "",
	} {
		if got := Words(code); got != want {
			t.Errorf("Words(%q) = %q, want %q", code, got, want)
		}
	}
}
