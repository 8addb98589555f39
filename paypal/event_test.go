package paypal_test

import (
	"testing"

	"github.com/chatshop/chatshop/paypal"
)

func TestPaymentChangeOfRealEvents(t *testing.T) {
	for _, tc := range []struct {
		file                       string
		eventType, capture, status string
		refund                     string
		minor                      int64
	}{
		{"sim_capture_completed_body.json", "PAYMENT.CAPTURE.COMPLETED", "12A34567BC123456S", "COMPLETED", "", 3000},
		{"sim_capture_pending_body.json", "PAYMENT.CAPTURE.PENDING", "", "PENDING", "", 0},
		{"sim_capture_refunded_body.json", "PAYMENT.CAPTURE.REFUNDED", "", "REFUNDED", "", 0},
		{"sim_capture_reversed_body.json", "PAYMENT.CAPTURE.REVERSED", "", "REVERSED", "", 0},
	} {
		t.Run(tc.file, func(t *testing.T) {
			e, err := paypal.ParseEvent(read(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if e.EventType != tc.eventType || e.ID == "" {
				t.Fatalf("event %s %q", e.EventType, e.ID)
			}
			pc, ok := e.PaymentChange()
			if !ok || pc.Status != tc.status || pc.CaptureID == "" {
				t.Fatalf("payment change %+v ok=%v", pc, ok)
			}
			if tc.capture != "" && pc.CaptureID != tc.capture {
				t.Fatalf("capture %q, want %q", pc.CaptureID, tc.capture)
			}
			if tc.minor != 0 {
				if minor, err := pc.Amount.Minor(); err != nil || minor != tc.minor {
					t.Fatalf("amount %v minor %d, %v", pc.Amount, minor, err)
				}
			}
			if (tc.status == "REFUNDED" || tc.status == "REVERSED") && pc.RefundID == "" {
				t.Fatal("a refund event without its refund id")
			}
		})
	}
}

func TestMoneyConversion(t *testing.T) {
	for _, tc := range []struct {
		m     paypal.Money
		minor int64
		ok    bool
	}{
		{paypal.Money{CurrencyCode: "USD", Value: "30.00"}, 3000, true},
		{paypal.Money{CurrencyCode: "USD", Value: "0.99"}, 99, true},
		{paypal.Money{CurrencyCode: "JPY", Value: "1500"}, 1500, true},
		{paypal.Money{CurrencyCode: "BHD", Value: "1.234"}, 1234, true},
		{paypal.Money{CurrencyCode: "USD", Value: "ten"}, 0, false},
		{paypal.Money{CurrencyCode: "XXZ", Value: "1.00"}, 0, false},
	} {
		got, err := tc.m.Minor()
		if (err == nil) != tc.ok || got != tc.minor {
			t.Errorf("%+v → %d, %v", tc.m, got, err)
		}
		if tc.ok {
			back, err := paypal.FromMinor(tc.minor, tc.m.CurrencyCode)
			if err != nil || back != tc.m {
				t.Errorf("FromMinor(%d) = %+v, %v", tc.minor, back, err)
			}
		}
	}
}

func TestRoutingFields(t *testing.T) {
	body := []byte(`{"id":"WH-1","event_type":"CHECKOUT.ORDER.APPROVED","resource_type":"checkout-order",
	  "resource":{"id":"5O190127TN364715T","status":"APPROVED","purchase_units":[{"custom_id":"order-42","payee":{"merchant_id":"MERCHANT12345"}}]}}`)
	e, err := paypal.ParseEvent(body)
	if err != nil {
		t.Fatal(err)
	}
	if e.MerchantID() != "MERCHANT12345" || e.CustomID() != "order-42" {
		t.Fatalf("merchant %q custom %q", e.MerchantID(), e.CustomID())
	}
	if _, ok := e.PaymentChange(); ok {
		t.Fatal("an order event read as a payment change")
	}
	dispute, _ := paypal.ParseEvent([]byte(`{"id":"WH-2","event_type":"CUSTOMER.DISPUTE.CREATED","resource":{"disputed_transactions":[{"custom":"order-7","seller":{"merchant_id":"GQPRNN2APYDRS"}}]}}`))
	if dispute.MerchantID() != "GQPRNN2APYDRS" || dispute.CustomID() != "order-7" {
		t.Fatalf("dispute merchant %q custom %q", dispute.MerchantID(), dispute.CustomID())
	}
	for _, bad := range []string{`{`, `{"id":"WH-3"}`, `{"event_type":"X"}`} {
		if _, err := paypal.ParseEvent([]byte(bad)); err == nil {
			t.Errorf("ParseEvent(%s) accepted", bad)
		}
	}
}
