// Package paypal is chatshop's client of PayPal's REST APIs and its webhook verifier. It knows
// nothing of the database.
package paypal

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"time"
)

// Webhook transmission headers.
const (
	HeaderTransmissionID   = "Paypal-Transmission-Id"
	HeaderTransmissionTime = "Paypal-Transmission-Time"
	HeaderTransmissionSig  = "Paypal-Transmission-Sig"
	HeaderCertURL          = "Paypal-Cert-Url"
	HeaderAuthAlgo         = "Paypal-Auth-Algo"
)

// LiveCertPrefixes are where PayPal serves its webhook signing certificates.
var LiveCertPrefixes = []string{
	"https://api.paypal.com/v1/notifications/certs/",
	"https://api-m.paypal.com/v1/notifications/certs/",
	"https://api.sandbox.paypal.com/v1/notifications/certs/",
	"https://api-m.sandbox.paypal.com/v1/notifications/certs/",
}

var (
	// ErrMissingHeaders means a transmission header is absent.
	ErrMissingHeaders = errors.New("paypal: missing webhook transmission headers")
	// ErrUnsupportedAlgorithm means PAYPAL-AUTH-ALGO is not SHA256withRSA.
	ErrUnsupportedAlgorithm = errors.New("paypal: unsupported PAYPAL-AUTH-ALGO")
	// ErrUntrustedCert means the certificate URL is not one of the trusted prefixes.
	ErrUntrustedCert = errors.New("paypal: certificate URL is not trusted")
	// ErrCertInvalid means the certificate could not be fetched, parsed, or is outside its validity.
	ErrCertInvalid = errors.New("paypal: signing certificate is not usable")
	// ErrBadSignature means the signature does not match the delivery.
	ErrBadSignature = errors.New("paypal: signature does not match the delivery")
)

// Verifier checks PayPal webhook signatures offline: RSA-SHA256 over
// transmission_id|transmission_time|webhook_id|crc32(body), with the certificate fetched only from
// trusted URL prefixes (see CanonicalCertURL) and cached (see certCache). Its errors wrap the
// sentinels above; their text after the sentinel is for logs, not for the sender.
type Verifier struct {
	WebhookID string
	// TrustedCertPrefixes are the URL prefixes certificates may come from (LiveCertPrefixes, plus
	// the sandbox emulator's in sandbox mode).
	TrustedCertPrefixes []string
	// Fetch gets a certificate; nil means an HTTP GET with a 10 s timeout.
	Fetch func(ctx context.Context, url string) ([]byte, error)
	// Now is the clock for certificate validity and the cache's expiry; nil means time.Now.
	Now func() time.Time

	certs certCache
}

// Verify checks a delivery's headers against its raw body.
func (v *Verifier) Verify(ctx context.Context, h http.Header, body []byte) error {
	id, at, sig, certURL, algo := h.Get(HeaderTransmissionID), h.Get(HeaderTransmissionTime), h.Get(HeaderTransmissionSig), h.Get(HeaderCertURL), h.Get(HeaderAuthAlgo)
	if id == "" || at == "" || sig == "" || certURL == "" || algo == "" {
		return ErrMissingHeaders
	}
	if algo != "SHA256withRSA" {
		return ErrUnsupportedAlgorithm
	}
	rawSig, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return ErrBadSignature
	}
	cert, err := v.certificate(ctx, certURL)
	if err != nil {
		return err
	}
	now := v.now()
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return fmt.Errorf("%w: valid %s to %s", ErrCertInvalid, cert.NotBefore.Format(time.DateOnly), cert.NotAfter.Format(time.DateOnly))
	}
	key, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("%w: not an RSA key", ErrCertInvalid)
	}
	digest := sha256.Sum256([]byte(SignedString(id, at, v.WebhookID, body)))
	if rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], rawSig) != nil {
		return ErrBadSignature
	}
	return nil
}

// SignedString is what PayPal signs for a delivery.
func SignedString(transmissionID, transmissionTime, webhookID string, body []byte) string {
	return fmt.Sprintf("%s|%s|%s|%d", transmissionID, transmissionTime, webhookID, crc32.ChecksumIEEE(body))
}

// certificate returns the certificate at certURL, from the cache or fetched. The fetch is
// detached from the caller's cancellation, since its result (a failure too) is shared with
// other callers and cached: one client hanging up must not fail the URL for a minute.
func (v *Verifier) certificate(ctx context.Context, certURL string) (*x509.Certificate, error) {
	canonical, err := CanonicalCertURL(certURL, v.TrustedCertPrefixes)
	if err != nil {
		return nil, err
	}
	return v.certs.get(ctx, canonical, v.now, func() (*x509.Certificate, error) {
		fetchCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), certFetchTimeout)
		defer cancel()
		return v.fetchCertificate(fetchCtx, canonical)
	})
}

func (v *Verifier) fetchCertificate(ctx context.Context, url string) (*x509.Certificate, error) {
	fetch := v.Fetch
	if fetch == nil {
		fetch = httpFetch
	}
	pemBytes, err := fetch(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCertInvalid, err)
	}
	block, _ := pem.Decode(pemBytes)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%w: not a PEM certificate", ErrCertInvalid)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCertInvalid, err)
	}
	return cert, nil
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

var certClient = &http.Client{Timeout: 10 * time.Second}

func httpFetch(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	res, err := certClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, res.Status)
	}
	return io.ReadAll(io.LimitReader(res.Body, 64<<10))
}
