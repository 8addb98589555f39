package sandboxdb_test

import (
	"context"
	"testing"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// The emulator keeps a capture, the order's move and the request's answer together: a second
// capture of the order finds it captured and keeps nothing of its own.
func TestSandboxCaptureIsKeptOnce(t *testing.T) {
	ctx := context.Background()
	app := modelstest.Open(t)
	s := open(t, app)
	if err := s.CreateSandboxOrder(ctx, &sandboxdb.Order{ID: "ORDER1", Status: "APPROVED", Body: `{}`}); err != nil {
		t.Fatal(err)
	}
	capture := func(captureID, requestID string) bool {
		t.Helper()
		paid, err := s.RecordSandboxCapture(ctx, sandboxdb.Captured{
			Order:   &sandboxdb.Order{ID: "ORDER1", Status: "COMPLETED", Body: `{"status":"COMPLETED"}`},
			From:    []string{"APPROVED"},
			Capture: &sandboxdb.Capture{ID: captureID, OrderID: "ORDER1", Status: "COMPLETED", Currency: "USD", AmountMinor: 5200, Body: `{}`},
			Answer:  &sandboxdb.Answer{Endpoint: "orders.capture:ORDER1", RequestID: requestID, Status: 201, Response: `{"id":"` + captureID + `"}`},
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
	var n int
	if err := app.ReaderDB().QueryRow("SELECT count(*) FROM sandbox_paypal_captures").Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d captures kept, want 1 (%v)", n, err)
	}
}

// open opens the emulators' store in the app's database.
func open(t *testing.T, app *models.Store) *sandboxdb.DB {
	t.Helper()
	db, err := sandboxdb.Open(context.Background(), app, sandboxdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}
