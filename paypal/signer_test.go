package paypal_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chatshop/chatshop/paypal"
)

// What the Signer signs, the Verifier accepts: the emulator and the receiver agree on the wire.
func TestSignerRoundTrip(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	key, pemCert, err := paypal.NewSigningCert("messageverificationcerts.sandbox.chatshop.test", now)
	if err != nil {
		t.Fatal(err)
	}
	certURL := "http://localhost:8080/sandbox/paypal/v1/notifications/certs/CERT-sandbox-1"
	signer := &paypal.Signer{Key: key, CertURL: certURL, WebhookID: "WH-SANDBOX"}
	ver := &paypal.Verifier{WebhookID: "WH-SANDBOX", TrustedCertPrefixes: []string{"http://localhost:8080/sandbox/paypal/v1/notifications/certs/"},
		Now: func() time.Time { return now }, Fetch: func(context.Context, string) ([]byte, error) { return pemCert, nil }}
	body := []byte(`{"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{}}`)
	h, err := signer.Headers(body, "3f8a1c00-5106-11ef-9a30-157053fd3e43", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := ver.Verify(context.Background(), h, body); err != nil {
		t.Fatalf("the verifier refused the signer's delivery: %v", err)
	}
	other := &paypal.Verifier{WebhookID: "WH-OTHER", TrustedCertPrefixes: ver.TrustedCertPrefixes, Now: ver.Now, Fetch: ver.Fetch}
	if err := other.Verify(context.Background(), h, body); !errors.Is(err, paypal.ErrBadSignature) {
		t.Fatalf("another webhook id verified: %v", err)
	}
}
