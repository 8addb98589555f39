package paypal

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"time"
)

// Signer signs webhook deliveries the way PayPal does, for the sandbox emulator and for tests.
type Signer struct {
	Key       *rsa.PrivateKey
	CertURL   string // where the matching certificate is served
	WebhookID string
}

// NewSigningCert makes an RSA key and a self-signed certificate for it, valid a year from now,
// PEM-encoded as PayPal serves its webhook certificates.
func NewSigningCert(commonName string, now time.Time) (*rsa.PrivateKey, []byte, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: commonName, Organization: []string{"chatshop sandbox"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	return key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// Headers are the transmission headers of a delivery of body.
func (s *Signer) Headers(body []byte, transmissionID string, at time.Time) (http.Header, error) {
	stamp := at.UTC().Format(time.RFC3339)
	digest := sha256.Sum256([]byte(SignedString(transmissionID, stamp, s.WebhookID, body)))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.Key, crypto.SHA256, digest[:])
	if err != nil {
		return nil, fmt.Errorf("paypal: sign delivery: %w", err)
	}
	h := http.Header{}
	h.Set(HeaderTransmissionID, transmissionID)
	h.Set(HeaderTransmissionTime, stamp)
	h.Set(HeaderTransmissionSig, base64.StdEncoding.EncodeToString(sig))
	h.Set(HeaderCertURL, s.CertURL)
	h.Set(HeaderAuthAlgo, "SHA256withRSA")
	h.Set("Paypal-Auth-Version", "v2")
	h.Set("Content-Type", "application/json")
	return h, nil
}
