package paypal_test

import (
	"os"
	"testing"

	"github.com/chatshop/chatshop/paypal"
)

// FuzzParseEvent: whatever the body, ParseEvent does not panic, an event it accepts has an id and
// an event type, and reading the accepted event's resource does not panic either.
func FuzzParseEvent(f *testing.F) {
	for _, name := range []string{"sim_capture_completed_body.json", "sim_capture_refunded_body.json", "java_validatecert_body.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"WH-1","event_type":"PAYMENT.CAPTURE.REVERSED","resource":{"links":[{"rel":"up","href":""}]}}`))
	f.Add([]byte(`{"id":"WH-1","event_type":"CUSTOMER.DISPUTE.CREATED","resource":{"disputed_transactions":[{}]}}`))
	f.Add([]byte(`{"id":"","event_type":"X"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := paypal.ParseEvent(body)
		if err != nil {
			if e != nil {
				t.Fatalf("ParseEvent returned an event and %v", err)
			}
			return
		}
		if e.ID == "" || e.EventType == "" {
			t.Fatalf("ParseEvent accepted %q: id %q, event type %q", body, e.ID, e.EventType)
		}
		_, _, _, _ = e.MerchantID(), e.CustomID(), e.ResourceID(), e.TrackingID()
		if pc, ok := e.PaymentChange(); ok {
			if pc.CaptureID == "" {
				t.Fatalf("a payment change without a capture id from %q", body)
			}
			_, _ = pc.Amount.Minor()
		}
	})
}
