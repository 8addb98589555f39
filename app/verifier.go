package app

import (
	"slices"
	"strings"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/connect"
	"github.com/chatshop/chatshop/handlers"
	"github.com/chatshop/chatshop/paypal"
)

// payPalVerifier checks webhook signatures as configured: by asking PayPal, or offline with
// certificates from PayPal's own URLs (or the ones configured), plus the emulator's in sandbox mode.
func payPalVerifier(cfg *config.Config) handlers.PayPalVerifier {
	if cfg.PayPalVerify == "postback" {
		return &paypal.PostbackVerifier{Client: connect.PayPalClient(cfg), WebhookID: cfg.PayPalWebhookID}
	}
	prefixes := paypal.LiveCertPrefixes
	if cfg.PayPalCertPrefixes != "" {
		prefixes = nil
		for _, p := range strings.Split(cfg.PayPalCertPrefixes, ",") {
			if p = strings.TrimSpace(p); p != "" {
				prefixes = append(prefixes, p)
			}
		}
	}
	if cfg.Sandbox() {
		prefixes = append(slices.Clone(prefixes), cfg.PayPalAPIBase+"/v1/notifications/certs/")
	}
	return &paypal.Verifier{WebhookID: cfg.PayPalWebhookID, TrustedCertPrefixes: prefixes}
}
