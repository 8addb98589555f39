package handlers

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/chatshop/chatshop/models"
)

// Bounds on the headers kept with a delivery: what the provider sends is a few hundred bytes, and
// anything else is the sender's choice.
const (
	headerValueKept = 1 << 10
	headersKept     = 16
)

// providerHeaders are the headers of a delivery worth keeping, as a JSON object: the provider's
// own (X-Hub-Signature-256 from Meta, PayPal's transmission headers) and a few that say what sent
// it, each value cut to 1 KB.
func providerHeaders(provider string, h http.Header) string {
	prefix := "X-Hub-"
	if provider == models.ProviderPayPal {
		prefix = "Paypal-"
	}
	kept := map[string]string{}
	for name, values := range h {
		if len(kept) == headersKept {
			break
		}
		if len(values) == 0 || !(strings.HasPrefix(name, prefix) || name == "Content-Type" || name == "User-Agent" || name == "Correlation-Id") {
			continue
		}
		v := values[0]
		if len(v) > headerValueKept {
			v = v[:headerValueKept] + "…"
		}
		kept[name] = v
	}
	out, _ := json.Marshal(kept)
	return string(out)
}
