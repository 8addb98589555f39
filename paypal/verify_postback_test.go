package paypal_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chatshop/chatshop/paypal"
)

func TestPostbackVerifier(t *testing.T) {
	v := vectors[2]
	body := read(t, v.body)
	var asked map[string]json.RawMessage
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/oauth2/token" {
			w.Write([]byte(`{"access_token":"tok","expires_in":32400}`))
			return
		}
		if r.URL.Path != "/v1/notifications/verify-webhook-signature" || r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(404)
			return
		}
		json.NewDecoder(r.Body).Decode(&asked)
		status := "FAILURE"
		if string(asked["transmission_sig"]) == `"`+v.sig+`"` && string(asked["webhook_id"]) == `"WEBHOOK_ID"` {
			status = "SUCCESS"
		}
		w.Write([]byte(`{"verification_status":"` + status + `"}`))
	}))
	defer srv.Close()
	ver := &paypal.PostbackVerifier{Client: paypal.NewClient(srv.URL, "id", "secret"), WebhookID: "WEBHOOK_ID"}
	if err := ver.Verify(context.Background(), v.headers(), body); err != nil {
		t.Fatalf("valid delivery: %v", err)
	}
	// The event is passed through byte for byte, not re-encoded.
	if string(asked["webhook_event"]) != string(body) {
		t.Fatal("webhook_event was re-encoded")
	}
	for _, k := range []string{"auth_algo", "cert_url", "transmission_id", "transmission_time"} {
		if len(asked[k]) == 0 {
			t.Errorf("request lacks %s", k)
		}
	}
	h := v.headers()
	h.Set("PAYPAL-TRANSMISSION-SIG", vectors[1].sig)
	if err := ver.Verify(context.Background(), h, body); !errors.Is(err, paypal.ErrBadSignature) {
		t.Fatalf("FAILURE answer: %v", err)
	}
	h.Del("PAYPAL-CERT-URL")
	if err := ver.Verify(context.Background(), h, body); !errors.Is(err, paypal.ErrMissingHeaders) {
		t.Fatalf("missing header: %v", err)
	}
}
