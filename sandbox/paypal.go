package sandbox

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/paypal"
)

// payPal is the PayPal emulator's state: its webhook signing identity and its OAuth tokens.
type payPal struct {
	cfg     *config.Config
	key     *rsa.PrivateKey
	certPEM []byte
	certID  string

	mu     sync.Mutex
	tokens map[string]time.Time // access token → expiry
}

const tokenLifetime = 9 * time.Hour

// newPayPal loads the emulator's signing key and certificate from the data directory, or makes
// them on first start.
func newPayPal(cfg *config.Config) (*payPal, error) {
	path := filepath.Join(cfg.DataDir, "sandbox-paypal-signing.pem")
	key, certPEM, err := loadSigning(path)
	if errors.Is(err, os.ErrNotExist) {
		if key, certPEM, err = paypal.NewSigningCert("messageverificationcerts.sandbox.chatshop.test", time.Now()); err != nil {
			return nil, err
		}
		keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
		// An expiring pair is replaced; processes starting at once keep the first one written.
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		if _, err := config.WriteOnce(path, append(keyPEM, certPEM...)); err != nil {
			return nil, fmt.Errorf("sandbox: save PayPal signing key: %w", err)
		}
		if key, certPEM, err = loadSigning(path); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(certPEM)
	return &payPal{cfg: cfg, key: key, certPEM: certPEM, certID: "CERT-sandbox-" + hex.EncodeToString(sum[:6]), tokens: map[string]time.Time{}}, nil
}

func loadSigning(path string) (*rsa.PrivateKey, []byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	keyBlock, rest := pem.Decode(b)
	certBlock, _ := pem.Decode(rest)
	if keyBlock == nil || certBlock == nil {
		return nil, nil, fmt.Errorf("sandbox: %s is not a key and a certificate", path)
	}
	key, err := x509.ParsePKCS1PrivateKey(keyBlock.Bytes)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		return nil, nil, err
	}
	if time.Now().After(cert.NotAfter.Add(-24 * time.Hour)) {
		return nil, nil, os.ErrNotExist // expiring: make a new one
	}
	return key, pem.EncodeToMemory(certBlock), nil
}

// certURL is where the emulator serves its webhook signing certificate.
func (p *payPal) certURL() string {
	return p.cfg.PayPalAPIBase + "/v1/notifications/certs/" + p.certID
}

func (p *payPal) signer() *paypal.Signer {
	return &paypal.Signer{Key: p.key, CertURL: p.certURL(), WebhookID: p.cfg.PayPalWebhookID}
}

func (p *payPal) issueToken() (string, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	tok := "A21AA" + randomHex(24)
	p.tokens[tok] = time.Now().Add(tokenLifetime)
	return tok, int(tokenLifetime.Seconds())
}

func (p *payPal) validToken(tok string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	exp, ok := p.tokens[tok]
	return ok && time.Now().Before(exp)
}

// PayPalSigner signs deliveries as the emulator does, for tools and tests that deliver by hand.
func (s *Sandbox) PayPalSigner() *paypal.Signer { return s.paypal.signer() }
