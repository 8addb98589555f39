package worker_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/worker"
)

// pipeline is a store with an intake feeding a running worker, and a shop owning merchant M1.
type pipeline struct {
	store  *models.Store
	intake *models.Intake
	shop   *models.ShopData
}

func newPipeline(t *testing.T) *pipeline {
	t.Helper()
	ctx := context.Background()
	store := modelstest.Open(t)
	if err := worker.Migrate(ctx, store); err != nil {
		t.Fatal(err)
	}
	w, err := worker.New(store, worker.Options{Concurrency: 4, PollInterval: 10 * time.Millisecond, RescueStuckAfter: time.Minute, RetryBase: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Stop(context.Background()) })
	return pipelineFor(t, store, w)
}

// pipelineFor feeds a running worker from an intake on store, for a shop owning merchant M1.
func pipelineFor(t *testing.T, store *models.Store, w *worker.Worker) *pipeline {
	t.Helper()
	ctx := context.Background()
	intake := store.NewIntake(w.EventsStored, w.EventLease())
	t.Cleanup(intake.Close)
	owner := &models.User{Email: fmt.Sprintf("o%d@example.com", time.Now().UnixNano()), Name: "O", PasswordHash: "x"}
	shop := &models.Shop{Name: "S", Currency: "USD", AllowedCountries: "US"}
	if err := store.CreateShopWithOwner(ctx, shop, owner, ""); err != nil {
		t.Fatal(err)
	}
	data := store.ForShop(shop.ID)
	if err := data.ConnectPayPal(ctx, models.MerchantStatus{MerchantID: "M1", PermissionsGranted: true, PaymentsReceivable: true, PrimaryEmailConfirmed: true}, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	return &pipeline{store: store, intake: intake, shop: data}
}

func (p *pipeline) deliver(t *testing.T, id, body string) {
	t.Helper()
	d := models.WebhookDelivery{Provider: models.ProviderPayPal, Headers: "{}", Body: []byte(body), Verified: true}
	e := models.WebhookEvent{EventKey: id, EventType: "x", AccountRef: "M1", Payload: []byte(body)}
	if _, err := p.intake.Receive(context.Background(), d, []models.WebhookEvent{e}); err != nil {
		t.Fatal(err)
	}
}

func (p *pipeline) waitFinal(t *testing.T, want int) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d final events", want), func() bool {
		var n int
		p.store.ReaderDB().QueryRow("SELECT count(*) FROM webhook_events WHERE status IN ('processed','dead','unmatched','ignored')").Scan(&n)
		return n == want
	})
}

type paypalEvent struct{ id, body string }

func capture(id, eventType, status, value string) paypalEvent {
	return paypalEvent{id, fmt.Sprintf(`{"id":%q,"event_type":%q,"resource_type":"capture","resource":{"id":"CAP1","status":%q,"amount":{"currency_code":"USD","value":%q},"payee":{"merchant_id":"M1"},"supplementary_data":{"related_ids":{"order_id":"ORDER1"}}}}`, id, eventType, status, value)}
}

func refund(id, eventType, refundID, value string) paypalEvent {
	return paypalEvent{id, fmt.Sprintf(`{"id":%q,"event_type":%q,"resource_type":"refund","resource":{"id":%q,"status":"COMPLETED","amount":{"currency_code":"USD","value":%q},"links":[{"href":"https://api.paypal.com/v2/payments/captures/CAP1","rel":"up","method":"GET"}]}}`, id, eventType, refundID, value)}
}

func permutations(n int) [][]int {
	if n == 1 {
		return [][]int{{0}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

// Every order of a capture's events ends in the same payment.
func TestEveryOrderOfEventsEndsInTheSameState(t *testing.T) {
	for _, scenario := range []struct {
		name   string
		events []paypalEvent
		want   string
	}{
		{"refunded in two parts", []paypalEvent{
			capture("WH-P", "PAYMENT.CAPTURE.PENDING", "PENDING", "100.00"),
			capture("WH-C", "PAYMENT.CAPTURE.COMPLETED", "COMPLETED", "100.00"),
			refund("WH-R1", "PAYMENT.CAPTURE.REFUNDED", "R1", "30.00"),
			refund("WH-R2", "PAYMENT.CAPTURE.REFUNDED", "R2", "70.00"),
		}, "REFUNDED amount=10000 refunded=10000 reversed=false order=ORDER1 notes=4"},
		{"partly refunded, then reversed", []paypalEvent{
			capture("WH-C", "PAYMENT.CAPTURE.COMPLETED", "COMPLETED", "100.00"),
			refund("WH-R1", "PAYMENT.CAPTURE.REFUNDED", "R1", "30.00"),
			refund("WH-V", "PAYMENT.CAPTURE.REVERSED", "V1", "70.00"),
		}, "REVERSED amount=10000 refunded=3000 reversed=true order=ORDER1 notes=3"},
	} {
		t.Run(scenario.name, func(t *testing.T) {
			for _, order := range permutations(len(scenario.events)) {
				// A subtest each, so that each permutation's worker stops before the next starts.
				t.Run(fmt.Sprint(order), func(t *testing.T) { checkOrderOfEvents(t, scenario.events, order, scenario.want) })
			}
		})
	}
}

// checkOrderOfEvents delivers events in the order given and checks the payment they end in.
func checkOrderOfEvents(t *testing.T, events []paypalEvent, order []int, want string) {
	p := newPipeline(t)
	for _, i := range order {
		p.deliver(t, events[i].id, events[i].body)
	}
	p.waitFinal(t, len(events))
	pay, err := p.shop.PaymentByCapture(context.Background(), "CAP1")
	if err != nil {
		t.Fatal(err)
	}
	notes, _ := p.shop.PaymentNotifications(context.Background(), 0, 10)
	got := fmt.Sprintf("%s amount=%d refunded=%d reversed=%v order=%s notes=%d",
		pay.Status, pay.AmountMinor, pay.RefundedMinor, pay.Reversed, pay.PayPalOrderID, len(notes))
	if got != want {
		t.Fatalf("order %v ends in %s, want %s", order, got, want)
	}
}

// An event that cannot be processed is retried with backoff, keeps every attempt, then is a dead letter.
func TestFailingEventBecomesADeadLetter(t *testing.T) {
	p := newPipeline(t)
	bad := capture("WH-BAD", "PAYMENT.CAPTURE.COMPLETED", "COMPLETED", "twelve dollars")
	p.deliver(t, bad.id, bad.body)
	p.waitFinal(t, 1)
	var status, lastErr string
	var attempts int
	p.store.ReaderDB().QueryRow("SELECT status, attempts, last_error FROM webhook_events").Scan(&status, &attempts, &lastErr)
	if status != models.EventDead || attempts != 10 || lastErr == "" {
		t.Fatalf("event %s after %d attempts (%q); want dead after 10", status, attempts, lastErr)
	}
	var rows int
	p.store.ReaderDB().QueryRow("SELECT count(*) FROM webhook_attempts WHERE error <> ''").Scan(&rows)
	if rows != 10 {
		t.Fatalf("%d failed attempts recorded, want 10", rows)
	}
	if n, _ := p.shop.PaymentNotifications(context.Background(), 0, 10); len(n) != 0 {
		t.Fatal("a failed event left a notification behind")
	}
}

// Events an intake claimed for a process that died before processing them (the hand-over never
// reached its loops) are claimed from the database once their lease runs out, and processed once.
func TestEventsClaimedByADeadProcessAreProcessed(t *testing.T) {
	ctx := context.Background()
	store := modelstest.Open(t)
	if err := worker.Migrate(ctx, store); err != nil {
		t.Fatal(err)
	}
	lease := 500 * time.Millisecond
	dead := store.NewIntake(func([]models.ClaimedEvent) {}, lease) // its loops never hear
	p := &pipeline{store: store, intake: dead}
	owner := &models.User{Email: "dead@example.com", Name: "O", PasswordHash: "x"}
	shop := &models.Shop{Name: "S", Currency: "USD", AllowedCountries: "US"}
	if err := store.CreateShopWithOwner(ctx, shop, owner, ""); err != nil {
		t.Fatal(err)
	}
	p.deliver(t, "WH-ORPHAN", `{"id":"WH-ORPHAN","event_type":"x"}`)
	dead.Close()
	var locked int
	store.ReaderDB().QueryRow("SELECT count(*) FROM webhook_events WHERE locked_until IS NOT NULL AND attempts = 1").Scan(&locked)
	if locked != 1 {
		t.Fatalf("%d events claimed as they were stored, want 1", locked)
	}
	w, err := worker.New(store, worker.Options{Concurrency: 2, PollInterval: 10 * time.Millisecond, RescueStuckAfter: lease})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Stop(context.Background()) })
	p.waitFinal(t, 1)
	var attempts int
	store.ReaderDB().QueryRow("SELECT attempts FROM webhook_events WHERE event_key = 'WH-ORPHAN'").Scan(&attempts)
	if attempts != 2 {
		t.Fatalf("attempts %d, want 2: the dead process's claim and the one that processed it", attempts)
	}
}
