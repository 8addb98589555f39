// Package secret seals secrets kept at rest (Page access tokens, PayPal credentials) with a
// rotatable key ring.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Sealer encrypts secrets at rest (Page access tokens, PayPal credentials) with AES-256-GCM.
// It holds a key ring: the first key seals, every key opens, so keys can be rotated by putting the
// new key first and re-sealing; each sealed value names the key that sealed it.
type Sealer struct {
	keys []sealKey
}

type sealKey struct {
	id   string // first 8 hex digits of SHA-256 of the key material
	aead cipher.AEAD
}

// ErrUnsealable means a sealed value was tampered with, or sealed under a key that is not in the ring.
var ErrUnsealable = errors.New("secret: secret cannot be opened (tampered, or its key is not configured)")

const sealPrefix = "sealed:v1:"

// NewSealer builds the key ring from a comma-separated list of secrets, newest first. Each secret
// is at least 32 characters; it is hashed to a 256-bit AES key.
func NewSealer(keyList string) (*Sealer, error) {
	s := &Sealer{}
	for _, k := range strings.Split(keyList, ",") {
		k = strings.TrimSpace(k)
		if k == "" {
			continue
		}
		if len(k) < 32 {
			return nil, errors.New("secret: each secret key must be at least 32 characters")
		}
		material := sha256.Sum256([]byte("chatshop secrets at rest\x00" + k))
		block, err := aes.NewCipher(material[:])
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		id := sha256.Sum256(material[:])
		s.keys = append(s.keys, sealKey{id: hex.EncodeToString(id[:4]), aead: aead})
	}
	if len(s.keys) == 0 {
		return nil, errors.New("secret: no secret key configured")
	}
	return s, nil
}

// Seal encrypts plaintext under the newest key. purpose binds the value to its use (for example
// "page-token:42"), so a sealed value copied into another column does not open there.
func (s *Sealer) Seal(plaintext, purpose string) (string, error) {
	k := s.keys[0]
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := k.aead.Seal(nonce, nonce, []byte(plaintext), []byte(purpose))
	return sealPrefix + k.id + ":" + base64.RawURLEncoding.EncodeToString(ct), nil
}

// Open decrypts a value made by Seal with the same purpose.
func (s *Sealer) Open(sealed, purpose string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, sealPrefix)
	if !ok {
		return "", ErrUnsealable
	}
	id, payload, ok := strings.Cut(rest, ":")
	if !ok {
		return "", ErrUnsealable
	}
	ct, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return "", ErrUnsealable
	}
	for _, k := range s.keys {
		if k.id != id || len(ct) < k.aead.NonceSize() {
			continue
		}
		pt, err := k.aead.Open(nil, ct[:k.aead.NonceSize()], ct[k.aead.NonceSize():], []byte(purpose))
		if err != nil {
			return "", ErrUnsealable
		}
		return string(pt), nil
	}
	return "", ErrUnsealable
}

// NeedsReseal reports whether a sealed value was made under an older key than the newest.
func (s *Sealer) NeedsReseal(sealed string) bool {
	return !strings.HasPrefix(sealed, sealPrefix+s.keys[0].id+":")
}

// Reseal opens a value under whichever key sealed it and seals it again under the newest key.
func (s *Sealer) Reseal(sealed, purpose string) (string, error) {
	pt, err := s.Open(sealed, purpose)
	if err != nil {
		return "", fmt.Errorf("reseal: %w", err)
	}
	return s.Seal(pt, purpose)
}
