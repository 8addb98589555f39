package worker_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/paypal"
	"github.com/chatshop/chatshop/worker"
)

// fakePayPal refunds captures the way PayPal does: a PayPal-Request-Id seen before returns the
// refund it made then. Its script says what each refund call gets first.
type fakePayPal struct {
	mu         sync.Mutex
	script     []string // "500", "slow" (refunds, but answers too late), "422", "ok"; the last repeats
	calls      int
	requestIDs []string
	refunds    map[string]string // PayPal-Request-Id → refund id
	tokens     int
}

func (f *fakePayPal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/v1/oauth2/token" {
		f.mu.Lock()
		f.tokens++
		f.mu.Unlock()
		user, pass, _ := r.BasicAuth()
		if user != "client" || pass != "secret" || r.FormValue("grant_type") != "client_credentials" {
			w.WriteHeader(401)
			w.Write([]byte(`{"error":"invalid_client","error_description":"Client Authentication failed"}`))
			return
		}
		w.Write([]byte(`{"access_token":"A21AA-token","token_type":"Bearer","expires_in":32400}`))
		return
	}
	if r.Header.Get("Authorization") != "Bearer A21AA-token" || !strings.HasSuffix(r.URL.Path, "/refund") || r.Header.Get("PayPal-Auth-Assertion") == "" {
		w.WriteHeader(401)
		w.Write([]byte(`{"name":"AUTHENTICATION_FAILURE","message":"Authentication failed due to missing authorization header, or invalid authentication credentials."}`))
		return
	}
	f.mu.Lock()
	step := f.script[min(f.calls, len(f.script)-1)]
	f.calls++
	id := r.Header.Get("PayPal-Request-Id")
	f.requestIDs = append(f.requestIDs, id)
	refund, seen := f.refunds[id]
	if !seen && (step == "ok" || step == "slow") {
		refund = fmt.Sprintf("1JU08902781691%03d", len(f.refunds))
		f.refunds[id] = refund
	}
	f.mu.Unlock()
	switch {
	case step == "500" && !seen:
		w.WriteHeader(500)
		w.Write([]byte(`{"name":"INTERNAL_SERVER_ERROR","message":"An internal server error occurred.","debug_id":"90957fca61718"}`))
	case step == "422" && !seen:
		w.WriteHeader(422)
		w.Write([]byte(`{"name":"UNPROCESSABLE_ENTITY","details":[{"issue":"REFUND_AMOUNT_EXCEEDED","description":"The refund amount must be less than or equal to the capture amount that has not yet been refunded."}],"message":"The requested action could not be performed, semantically incorrect, or failed business validation.","debug_id":"b4d6f2c1a7e90"}`))
	case step == "slow" && !seen:
		time.Sleep(500 * time.Millisecond) // the refund is made; the answer comes after the client gave up
		fallthrough
	default:
		var body paypal.RefundRequest
		json.NewDecoder(r.Body).Decode(&body)
		status := 201
		if seen {
			status = 200
		}
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"id":%q,"status":"COMPLETED","amount":{"currency_code":"USD","value":"30.00"}}`, refund)
	}
}

func TestRefundAgainstAFaultyPayPal(t *testing.T) {
	for _, tc := range []struct {
		name       string
		script     []string
		wantStatus string
		wantCalls  int
	}{
		{"5xx then success", []string{"500", "500", "ok"}, "completed", 3},
		{"made but answered too late", []string{"slow", "ok"}, "completed", 2},
		{"refused", []string{"422"}, "failed", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			f := &fakePayPal{script: tc.script, refunds: map[string]string{}}
			srv := httptest.NewServer(f)
			defer srv.Close()
			client := paypal.NewClient(srv.URL, "client", "secret")
			client.HTTP.Timeout = 200 * time.Millisecond

			store := modelstest.Open(t)
			if err := worker.Migrate(ctx, store); err != nil {
				t.Fatal(err)
			}
			w, err := worker.New(store, worker.Options{Concurrency: 2, PollInterval: 10 * time.Millisecond, RescueStuckAfter: time.Minute,
				RetryBase: 5 * time.Millisecond, PayPal: client})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer w.Stop(context.Background())

			// A captured payment of $30.00 in a shop with a connected merchant.
			p := pipelineFor(t, store, w)
			body := capture("WH-C1", "PAYMENT.CAPTURE.COMPLETED", "COMPLETED", "30.00").body
			p.deliver(t, "WH-C1", body)
			p.waitFinal(t, 1)

			if _, err := p.shop.RequestRefund(ctx, "CAP1", 3001, "too much", models.Actor{}, w.EnqueueRefund); err != models.ErrRefundTooLarge {
				t.Fatalf("refunding more than the payment: %v", err)
			}
			r, err := p.shop.RequestRefund(ctx, "CAP1", 3000, "Damaged in transit", models.Actor{}, w.EnqueueRefund)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.shop.RequestRefund(ctx, "CAP1", 1, "again", models.Actor{}, w.EnqueueRefund); err != models.ErrRefundTooLarge {
				t.Fatalf("a second refund while the first is pending: %v", err)
			}
			waitFor(t, "the refund to finish", func() bool {
				got, _ := store.RefundRequestByID(ctx, r.ID)
				return got.Status != "requested"
			})
			time.Sleep(100 * time.Millisecond) // a wrongly retried job would call again now
			got, _ := store.RefundRequestByID(ctx, r.ID)
			f.mu.Lock()
			defer f.mu.Unlock()
			if got.Status != tc.wantStatus || f.calls != tc.wantCalls {
				t.Fatalf("refund %s after %d calls (%q); want %s after %d", got.Status, f.calls, got.Error, tc.wantStatus, tc.wantCalls)
			}
			for _, id := range f.requestIDs {
				if id != r.RequestID {
					t.Fatalf("a retry used PayPal-Request-Id %q, want %q every time", id, r.RequestID)
				}
			}
			if len(f.refunds) > 1 {
				t.Fatalf("PayPal made %d refunds", len(f.refunds))
			}
			if tc.wantStatus == "completed" && got.PayPalRefundID != f.refunds[r.RequestID] {
				t.Fatalf("refund id %q, PayPal made %q", got.PayPalRefundID, f.refunds[r.RequestID])
			}
			if tc.wantStatus == "failed" && !strings.Contains(got.Error, "more than what is left") {
				t.Fatalf("failure explained as %q", got.Error)
			}
			if f.tokens != 1 {
				t.Fatalf("%d OAuth token requests, want 1 (cached)", f.tokens)
			}
		})
	}
}
