package paypal_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/chatshop/chatshop/paypal"
)

// vector is a real signed delivery from ../shared/reference/paypal/signature-vectors.
type vector struct {
	name, body, cert, certURL, webhookID, id, at, sig string
	now                                               time.Time
}

var vectors = []vector{
	{name: "java sdk", body: "java_validatecert_body.json", cert: "testClientCert.crt",
		certURL: "https://api.sandbox.paypal.com/v1/notifications/test", webhookID: "96605875FF6516633",
		id: "071f7d20-1584-11e7-abf0-6b62a8a99ac4", at: "2017-03-30T20:04:05Z",
		sig: "aBjgm5/xljRYu3G64Q0axISrP2xcy7WbW1u4UTCKnQvyprOZ1a1BBmqn2Jdr6ce8E76I3Ti/AL9y4VYSHyGSEaoE6dVQcCDebLbOXLH0fjTAbTc1/rmfdWmsk0DPltW84Y8W8jOHe3CLWDOwg5zmozyt+AceG2x5eOiw7mLSycaEoj/5RG+dOIWXnmWcLEArbG3VFshy0wuhZrKuGa9C/bD4Ku+Y9gK7Bv5I5IuGRVnTGpcFnVG0KxOyJxccLGyBVCIUMY5IZS7LkmJszQ3HZZFDTNihvgJHECSLwLhzUaysIye5G6CbbLdtAmeeb6wiDciEAvr2dFf+SplOR4Lrng==",
		now: time.Date(2017, 3, 30, 20, 4, 5, 0, time.UTC)},
	{name: "live capture pending", body: "sim_capture_pending_body.json", cert: "prod_cert_1a5f47cb.pem",
		certURL: "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1a5f47cb", webhookID: "WEBHOOK_ID",
		id: "4cce5920-5106-11ef-84e2-f38df3f70683", at: "2024-08-02T19:34:57Z",
		sig: "Kg+nPYIGXGAVA5sELwiLBTVZwzwssEAt/DI3/xDsjzwd1OMvddW2tFSpx4twvxEZS32fGVxZ4XRMWaMXYSBlFC09RpYNbA16r/WP8YV3KjaSzAc+btQyfUSRypr1mUsuWRL0DJnkLoC/KhCa4m3ZKFD4bFo5ZlWzdG2u5QgzL+YC/YmAhJGtcv6CIEN1rWB5OWuupVLhb+qYjhUH+99xsc5U2CihB65HFbtQqagX7YNFtOxEF5ckqSdgAYoMPECBCX8zOrDMy2UUaIvQpyhm0G3MF/IG3IPnRgP+ycN+AOjdsBGAWWwtZoXTPQ0mKH7oop4OrMNy4BPfE/8agUDxkw==",
		now: time.Date(2024, 8, 2, 19, 35, 0, 0, time.UTC)},
	{name: "live capture completed", body: "sim_capture_completed_body.json", cert: "prod_cert_1a5f47cb.pem",
		certURL: "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1a5f47cb", webhookID: "WEBHOOK_ID",
		id: "1c6772d0-5106-11ef-9b66-89f3f924d48a", at: "2024-08-02T19:33:35Z",
		sig: "KY8qkrrIcGAyKS4VNgYlgP0iWIgeFEa3Y4q14d7mStEdJQbiEMhyB9/2cR85tjTlAmJ4NFxBW3BFdrFn7EukmdSw2RFkaCfSmzZoq8Uzjp1y6h9Uo307qte0hkuDHLLW07EvflOfS0Q2mNd+WPsmCilVYRAw9Acv6O8qVHAdVjINRoSeS5vISIDN7vaj0rBValwU8GE36rfFpUz1BvJqY2JaZc7wL0UYYB+xLneQWdOy4woa8MWUGVqFkJ9h/RLZsAIoMlOikAljETFIdGKiNr23GILoa1yM8/y+Oi1KM2DOJlEeywiR0BU5bhPjIsy8gsdwTyadbF1BCkFJcyGIlg==",
		now: time.Date(2024, 8, 2, 19, 35, 0, 0, time.UTC)},
	{name: "live capture refunded", body: "sim_capture_refunded_body.json", cert: "prod_cert_1a5f47cb.pem",
		certURL: "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1a5f47cb", webhookID: "WEBHOOK_ID",
		id: "51730200-5106-11ef-9a30-157053fd3e43", at: "2024-08-02T19:35:04Z",
		sig: "ff31fhZxoix1VbYc2wPp991eiUBdhALb71NFSq8VOMkbaBdx3Gm4lFZmQDL/lUXl4rImLjUdDvBMp4DOCN7T5WmyY7G88yzMJJCngENSA7+r1NXweP+TLy5/jyGoNU2j3VEUSr9gwNF1tKrCpixnJbzwTA7tI8s4c53xfdtPuYKd4KNjH7jRQXt/YH+sR9hwNZTPWpIUm1LrdGFxCH1iHoM5/mO1E7EngRuTf8zYAFIJE/vBcY2dLoD2gTJPfLbo5D+KSSMqgrD+xuCPJtZnQjP9QbA0rUAenRYAbRxPh2u3dLTiAaRMP7mZBI4d9ecPkdk0HgtUAPVhJTTBmx+Lag==",
		now: time.Date(2024, 8, 2, 19, 35, 0, 0, time.UTC)},
	{name: "live capture reversed", body: "sim_capture_reversed_body.json", cert: "prod_cert_1a5f47cb.pem",
		certURL: "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1a5f47cb", webhookID: "WEBHOOK_ID",
		id: "55266d10-5106-11ef-9a30-157053fd3e43", at: "2024-08-02T19:35:11Z",
		sig: "aViMsu1a/dLFH1RdcaSCsRchGLui3tLMvFwEx8W9D0FgG0hYt+yKUHjTjtLrHKXChwx5K0+Ad0gtMywRgW0DhEKcEwry34T9rrPDxsdYKT88g2MwnhEsAl7bDFwfiwbM9lg7YMJcGukXisZTNga5IJx/ywbmhgVXmdgUhjJQevDsStBL79ZpzLsdlMmfufIyddrDmpUvIXFH10vspzSiaIlQH2xg7K1FI5FDa+Y0eAjmD245YHIhob7kZUOK70EVZPtF9n6fYQ5wZwfg/H6nd1NVSGlBjiTqvSY9hV8d2xbTmFaSPKObHUwxAA+4lGtcrKnlXqG57+B2R+SS8vnYGA==",
		now: time.Date(2024, 8, 2, 19, 36, 0, 0, time.UTC)},
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// verifierFor serves the vector's certificate at its URL and counts fetches.
func verifierFor(t *testing.T, v vector, fetches *int) *paypal.Verifier {
	cert := read(t, v.cert)
	return &paypal.Verifier{
		WebhookID:           v.webhookID,
		TrustedCertPrefixes: append([]string{"https://api.sandbox.paypal.com/v1/notifications/"}, paypal.LiveCertPrefixes...),
		Now:                 func() time.Time { return v.now },
		Fetch: func(_ context.Context, url string) ([]byte, error) {
			*fetches++
			if url != v.certURL {
				return nil, errors.New("no such certificate")
			}
			return cert, nil
		},
	}
}

func (v vector) headers() http.Header {
	h := http.Header{}
	h.Set("PAYPAL-TRANSMISSION-ID", v.id)
	h.Set("PAYPAL-TRANSMISSION-TIME", v.at)
	h.Set("PAYPAL-TRANSMISSION-SIG", v.sig)
	h.Set("PAYPAL-CERT-URL", v.certURL)
	h.Set("PAYPAL-AUTH-ALGO", "SHA256withRSA")
	return h
}

func TestRealVectorsVerify(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			fetches := 0
			ver := verifierFor(t, v, &fetches)
			body := read(t, v.body)
			for range 3 {
				if err := ver.Verify(context.Background(), v.headers(), body); err != nil {
					t.Fatalf("real vector rejected: %v", err)
				}
			}
			if fetches != 1 {
				t.Fatalf("certificate fetched %d times, want once (cached)", fetches)
			}
		})
	}
}

func TestTamperedDeliveriesAreRejected(t *testing.T) {
	v := vectors[2]
	body := read(t, v.body)
	tampered := append([]byte{}, body...)
	tampered[len(tampered)/2] ^= 1
	for _, tc := range []struct {
		name string
		edit func(h http.Header, ver *paypal.Verifier) []byte
		want error
	}{
		{"body changed", func(http.Header, *paypal.Verifier) []byte { return tampered }, paypal.ErrBadSignature},
		{"other webhook id", func(_ http.Header, ver *paypal.Verifier) []byte { ver.WebhookID = "1JE4291016473214C"; return body }, paypal.ErrBadSignature},
		{"other transmission id", func(h http.Header, _ *paypal.Verifier) []byte {
			h.Set("PAYPAL-TRANSMISSION-ID", vectors[1].id)
			return body
		}, paypal.ErrBadSignature},
		{"another delivery's signature", func(h http.Header, _ *paypal.Verifier) []byte {
			h.Set("PAYPAL-TRANSMISSION-SIG", vectors[1].sig)
			return body
		}, paypal.ErrBadSignature},
		{"signature not base64", func(h http.Header, _ *paypal.Verifier) []byte { h.Set("PAYPAL-TRANSMISSION-SIG", "%%%"); return body }, paypal.ErrBadSignature},
		{"missing signature", func(h http.Header, _ *paypal.Verifier) []byte { h.Del("PAYPAL-TRANSMISSION-SIG"); return body }, paypal.ErrMissingHeaders},
		{"missing cert url", func(h http.Header, _ *paypal.Verifier) []byte { h.Del("PAYPAL-CERT-URL"); return body }, paypal.ErrMissingHeaders},
		{"other algorithm", func(h http.Header, _ *paypal.Verifier) []byte { h.Set("PAYPAL-AUTH-ALGO", "SHA1withRSA"); return body }, paypal.ErrUnsupportedAlgorithm},
		{"expired certificate", func(_ http.Header, ver *paypal.Verifier) []byte {
			ver.Now = func() time.Time { return time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC) }
			return body
		}, paypal.ErrCertInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fetches := 0
			ver := verifierFor(t, v, &fetches)
			h := v.headers()
			b := tc.edit(h, ver)
			if err := ver.Verify(context.Background(), h, b); !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestCertificatesOnlyFromTrustedURLs(t *testing.T) {
	v := vectors[2]
	body := read(t, v.body)
	for _, certURL := range []string{
		"https://evil.example/v1/notifications/certs/CERT-360caa42-fca2a594-1a5f47cb",
		"https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1",
		"https://api.paypal.com@evil.example/v1/notifications/certs/CERT-1",
		"http://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1a5f47cb",
		"https://api.paypal.com/v1/notifications/certs/../../../evil",
		"https://api.paypal.com/v1/notifications/certs/CERT-1?redirect=https://evil.example",
		"https://api.paypal.com/v1/notifications/certs/",
		"file:///etc/passwd",
		"https://api.paypal.com/v1/notifications/certs/CERT-1%3Fredirect=https://evil.example",
		"https://api.paypal.com/v1/notifications/certs/%2e%2e/%2e%2e/%2e%2e/evil",
		"https://api.paypal.com/v1/notifications/certs/%252e%252e/evil",
		"https://api.paypal.com/v1/notifications/certs/CERT-1%2f..%2fevil",
		"https://api.paypal.com/v1/notifications/certs/CERT-1%5cevil",
		"https://api.paypal.com/v1/notifications/certs/sub/CERT-1",
		"https://api.paypal.com:8443/v1/notifications/certs/CERT-1",
	} {
		t.Run(certURL, func(t *testing.T) {
			fetches := 0
			ver := verifierFor(t, v, &fetches)
			h := v.headers()
			h.Set("PAYPAL-CERT-URL", certURL)
			if err := ver.Verify(context.Background(), h, body); !errors.Is(err, paypal.ErrUntrustedCert) {
				t.Fatalf("Verify = %v, want ErrUntrustedCert", err)
			}
			if fetches != 0 {
				t.Fatal("an untrusted URL was fetched")
			}
		})
	}
}
