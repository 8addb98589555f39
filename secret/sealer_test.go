package secret_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/secret"
)

const (
	oldKey = "old-key-old-key-old-key-old-key-0000"
	newKey = "new-key-new-key-new-key-new-key-1111"
)

func TestSealerRoundTripAndTamper(t *testing.T) {
	s, err := secret.NewSealer(oldKey)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := s.Seal("EAAG-page-token", "page-token:1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "EAAG") {
		t.Fatalf("the sealed value shows the secret: %s", sealed)
	}
	if again, _ := s.Seal("EAAG-page-token", "page-token:1"); again == sealed {
		t.Fatal("sealing twice gave the same value: the nonce is not random")
	}
	if got, err := s.Open(sealed, "page-token:1"); err != nil || got != "EAAG-page-token" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	tampered := sealed[:len(sealed)-2] + "AA"
	if tampered == sealed {
		tampered = sealed[:len(sealed)-2] + "BB"
	}
	for name, tc := range map[string]struct{ value, purpose string }{
		"tampered":      {tampered, "page-token:1"},
		"other purpose": {sealed, "page-token:2"},
		"not sealed":    {"EAAG-page-token", "page-token:1"},
		"garbage":       {"sealed:v1:zz:%%%", "page-token:1"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := s.Open(tc.value, tc.purpose); !errors.Is(err, secret.ErrUnsealable) {
				t.Fatalf("Open = %v, want ErrUnsealable", err)
			}
		})
	}
}

func TestSealerKeyRotation(t *testing.T) {
	before, _ := secret.NewSealer(oldKey)
	sealed, _ := before.Seal("paypal-secret", "paypal")

	rotated, err := secret.NewSealer(newKey + "," + oldKey)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rotated.Open(sealed, "paypal"); err != nil || got != "paypal-secret" {
		t.Fatalf("the new ring cannot open the old value: %q, %v", got, err)
	}
	if !rotated.NeedsReseal(sealed) {
		t.Fatal("a value under the old key does not need resealing")
	}
	resealed, err := rotated.Reseal(sealed, "paypal")
	if err != nil || rotated.NeedsReseal(resealed) {
		t.Fatalf("Reseal = %v, needs reseal after: %v", err, rotated.NeedsReseal(resealed))
	}
	onlyNew, _ := secret.NewSealer(newKey)
	if got, err := onlyNew.Open(resealed, "paypal"); err != nil || got != "paypal-secret" {
		t.Fatalf("after rotation the old key is not needed: %q, %v", got, err)
	}
	if _, err := onlyNew.Open(sealed, "paypal"); !errors.Is(err, secret.ErrUnsealable) {
		t.Fatal("a value sealed under a removed key still opened")
	}
}

func TestSealerRejectsShortKeys(t *testing.T) {
	for _, k := range []string{"", "short", " , "} {
		if _, err := secret.NewSealer(k); err == nil {
			t.Errorf("NewSealer(%q) accepted it", k)
		}
	}
}
