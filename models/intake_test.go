package models_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

func delivery(provider string) models.WebhookDelivery {
	return models.WebhookDelivery{Provider: provider, Headers: `{}`, Body: []byte(`{}`), Verified: true}
}

func event(key string) models.WebhookEvent {
	return models.WebhookEvent{EventKey: key, EventType: "PAYMENT.CAPTURE.COMPLETED", Payload: []byte(`{}`)}
}

func count(t *testing.T, s *models.Store, table string) int {
	t.Helper()
	var n int
	if err := s.ReaderDB().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The same event delivered 50 times at once is stored once and enqueued once; every delivery is kept.
func TestInboxDeduplicatesConcurrentDeliveries(t *testing.T) {
	s := modelstest.Open(t)
	var wakes atomic.Int64
	in := s.NewIntake(func([]models.ClaimedEvent) { wakes.Add(1) }, 0)
	defer in.Close()

	var wg sync.WaitGroup
	results := make([]models.ReceiveResult, 50)
	errs := make([]error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = in.Receive(context.Background(), delivery(models.ProviderPayPal), []models.WebhookEvent{event("WH-1")})
		}()
	}
	wg.Wait()
	newCount, dups := 0, 0
	for i := range 50 {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		newCount += len(results[i].New)
		dups += results[i].Duplicates
	}
	if newCount != 1 || dups != 49 || wakes.Load() != 1 {
		t.Fatalf("new %d, duplicates %d, %d wake-ups; want 1, 49, one wake-up", newCount, dups, wakes.Load())
	}
	if n := count(t, s, "webhook_deliveries"); n != 50 {
		t.Fatalf("%d deliveries kept, want 50", n)
	}
	if n := count(t, s, "webhook_events"); n != 1 {
		t.Fatalf("%d events, want 1", n)
	}
	// And again later: still a duplicate.
	res, err := in.Receive(context.Background(), delivery(models.ProviderPayPal), []models.WebhookEvent{event("WH-1"), event("WH-2")})
	if err != nil || len(res.New) != 1 || res.Duplicates != 1 {
		t.Fatalf("later delivery: %+v %v", res, err)
	}
}

// The ids Receive answers are those of the rows it stored: each event's own, with its delivery's,
// for deliveries committed together and apart, and none for a duplicate.
func TestInboxAnswersTheStoredRowsIDs(t *testing.T) {
	s := modelstest.Open(t)
	in := s.NewIntake(nil, 0)
	defer in.Close()

	var wg sync.WaitGroup
	results := make([]models.ReceiveResult, 30)
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			// Every third delivery repeats the previous one's event as well as bringing its own.
			events := []models.WebhookEvent{event(fmt.Sprintf("WH-ID-%d", i))}
			if i%3 == 2 {
				events = append(events, event(fmt.Sprintf("WH-ID-%d", i-1)))
			}
			if results[i], err = in.Receive(context.Background(), delivery(models.ProviderPayPal), events); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	news := 0
	for i, res := range results {
		if res.DeliveryID == 0 {
			t.Fatalf("delivery %d: no id", i)
		}
		for _, id := range res.New {
			var key string
			var deliveryID int64
			if err := s.ReaderDB().QueryRow(models.Numbered("SELECT event_key, delivery_id FROM webhook_events WHERE id = ?"), id).Scan(&key, &deliveryID); err != nil {
				t.Fatalf("delivery %d's event %d: %v", i, id, err)
			}
			if deliveryID != res.DeliveryID || (key != fmt.Sprintf("WH-ID-%d", i) && key != fmt.Sprintf("WH-ID-%d", i-1)) {
				t.Fatalf("delivery %d (id %d) answered event %d, stored as %s of delivery %d", i, res.DeliveryID, id, key, deliveryID)
			}
			news++
		}
	}
	if n := count(t, s, "webhook_events"); news != 30 || n != 30 {
		t.Fatalf("%d new events answered, %d stored; want 30 and 30", news, n)
	}
}

// A request that cannot be stored fails alone; the others in its batch are stored.
func TestInboxIsolatesABadRequest(t *testing.T) {
	s := modelstest.Open(t)
	in := s.NewIntake(nil, 0)
	defer in.Close()

	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := delivery(models.ProviderMessenger)
			if i == 7 {
				d.Provider = "carrier-pigeon" // violates the provider check
			}
			_, errs[i] = in.Receive(context.Background(), d, []models.WebhookEvent{event(fmt.Sprintf("mid:m_%d", i))})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 7) {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if n := count(t, s, "webhook_events"); n != 39 {
		t.Fatalf("%d events stored, want 39 (all but the bad one)", n)
	}
}

// What Receive acknowledged is in the database file: a fresh process opening it finds it.
func TestInboxCommitsBeforeReturning(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chatshop.db")
	s := modelstest.OpenAt(t, path)
	in := s.NewIntake(nil, 0)
	if _, err := in.Receive(context.Background(), delivery(models.ProviderPayPal), []models.WebhookEvent{event("WH-durable")}); err != nil {
		t.Fatal(err)
	}
	if !modelstest.OnPostgres() {
		var after int
		s.WriterDB().QueryRow("PRAGMA synchronous").Scan(&after)
		if after != 1 {
			t.Fatalf("after an intake commit the writer is left at synchronous=%d, want NORMAL again", after)
		}
	}
	other := modelstest.OpenAt(t, path) // a second connection pool, as another process would have
	if n := count(t, other, "webhook_events"); n != 1 {
		t.Fatalf("another connection sees %d events", n)
	}
	in.Close()
	if _, err := in.Receive(context.Background(), delivery(models.ProviderPayPal), nil); !errors.Is(err, models.ErrIntakeClosed) {
		t.Fatalf("Receive after Close: %v", err)
	}
}
