package models

import "testing"

// Every order status met by every capture status PayPal sends (and one it may add later).
func TestCaptureTransition(t *testing.T) {
	type want struct {
		to    string
		stock stockMove
		moves bool
	}
	stay := func(from string) want { return want{from, stockKept, false} }
	cases := map[string]map[string]want{
		"COMPLETED": {
			OrderPending:        {OrderPaid, stockKept, true},
			OrderPaymentPending: {OrderPaid, stockKept, true},
			OrderPaid:           stay(OrderPaid),
			OrderPaymentDenied:  {OrderPaid, stockTaken, true},
			OrderExpired:        {OrderPaid, stockTaken, true},
			OrderCancelled:      {OrderPaid, stockTaken, true},
		},
		"PENDING": {
			OrderPending:        {OrderPaymentPending, stockKept, true},
			OrderPaymentPending: stay(OrderPaymentPending),
			OrderPaid:           stay(OrderPaid),
			OrderPaymentDenied:  stay(OrderPaymentDenied),
			OrderExpired:        stay(OrderExpired),
			OrderCancelled:      stay(OrderCancelled),
		},
		"REFUNDED": { // not a capture outcome this function knows: nothing moves
			OrderPending: stay(OrderPending),
			OrderPaid:    stay(OrderPaid),
		},
	}
	for _, refusal := range []string{"DECLINED", "DENIED", "FAILED"} {
		cases[refusal] = map[string]want{
			OrderPending:        {OrderPaymentDenied, stockReleased, true},
			OrderPaymentPending: {OrderPaymentDenied, stockReleased, true},
			OrderPaid:           stay(OrderPaid),
			OrderPaymentDenied:  stay(OrderPaymentDenied),
			OrderExpired:        stay(OrderExpired),
			OrderCancelled:      stay(OrderCancelled),
		}
	}
	for capture, byStatus := range cases {
		for from, w := range byStatus {
			to, stock, moves := captureTransition(from, capture)
			if to != w.to || stock != w.stock || moves != w.moves {
				t.Errorf("%s on a %s order: %s, stock %d, moves %v; want %s, stock %d, moves %v",
					capture, from, to, stock, moves, w.to, w.stock, w.moves)
			}
		}
	}
}
