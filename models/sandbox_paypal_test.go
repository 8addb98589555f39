package models_test

import (
	"context"
	"testing"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

// The emulator keeps a capture, the order's move and the request's answer together: a second
// capture of the order finds it captured and keeps nothing of its own.
func TestSandboxCaptureIsKeptOnce(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	if err := s.CreateSandboxOrder(ctx, &models.SandboxOrder{ID: "ORDER1", Status: "APPROVED", Body: `{}`}); err != nil {
		t.Fatal(err)
	}
	capture := func(captureID, requestID string) bool {
		t.Helper()
		paid, err := s.RecordSandboxCapture(ctx, models.SandboxCaptured{
			Order:   &models.SandboxOrder{ID: "ORDER1", Status: "COMPLETED", Body: `{"status":"COMPLETED"}`},
			From:    []string{"APPROVED"},
			Capture: &models.SandboxCapture{ID: captureID, OrderID: "ORDER1", Status: "COMPLETED", Currency: "USD", AmountMinor: 5200, Body: `{}`},
			Answer:  &models.SandboxAnswer{Endpoint: "orders.capture:ORDER1", RequestID: requestID, Status: 201, Response: `{"id":"` + captureID + `"}`},
		})
		if err != nil {
			t.Fatal(err)
		}
		return paid
	}
	if !capture("CAP1", "first") {
		t.Fatal("the approved order was not captured")
	}
	if capture("CAP2", "second") {
		t.Fatal("a captured order was captured again")
	}
	o, err := s.SandboxOrderByID(ctx, "ORDER1")
	if err != nil || o.Status != "COMPLETED" || o.Body != `{"status":"COMPLETED"}` {
		t.Fatalf("order %+v, %v", o, err)
	}
	if _, _, found, _ := s.SandboxRequest(ctx, "orders.capture:ORDER1", "second"); found {
		t.Fatal("the refused capture's answer was kept")
	}
	status, answer, found, err := s.SandboxRequest(ctx, "orders.capture:ORDER1", "first")
	if err != nil || !found || status != 201 || answer != `{"id":"CAP1"}` {
		t.Fatalf("the first capture's answer: %d %q %v %v", status, answer, found, err)
	}
	if n := count(t, s, "sandbox_paypal_captures"); n != 1 {
		t.Fatalf("%d captures kept, want 1", n)
	}
}
