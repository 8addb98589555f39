package models_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
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
	var mu sync.Mutex
	var enqueued []int64
	in := s.NewInbox(func(_ context.Context, _ *models.Tx, ids []int64) error {
		mu.Lock()
		defer mu.Unlock()
		enqueued = append(enqueued, ids...)
		return nil
	})
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
	if newCount != 1 || dups != 49 || len(enqueued) != 1 {
		t.Fatalf("new %d, duplicates %d, enqueued %v; want 1, 49, one job", newCount, dups, enqueued)
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

// A request that cannot be stored fails alone; the others in its batch are stored.
func TestInboxIsolatesABadRequest(t *testing.T) {
	s := modelstest.Open(t)
	failKey := "WH-enqueue-fails"
	in := s.NewInbox(func(_ context.Context, tx *models.Tx, ids []int64) error {
		var key string
		if err := tx.SQL().QueryRow("SELECT event_key FROM webhook_events WHERE id = ?", ids[0]).Scan(&key); err != nil {
			return err
		}
		if key == failKey {
			return errors.New("queue unavailable")
		}
		return nil
	})
	defer in.Close()

	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, key := delivery(models.ProviderMessenger), fmt.Sprintf("mid:m_%d", i)
			switch i {
			case 7:
				d.Provider = "carrier-pigeon" // violates the provider check
			case 13:
				key = failKey
			}
			_, errs[i] = in.Receive(context.Background(), d, []models.WebhookEvent{event(key)})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 7 || i == 13) {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if n := count(t, s, "webhook_events"); n != 38 {
		t.Fatalf("%d events stored, want 38 (all but the two bad ones)", n)
	}
	var orphan int
	s.ReaderDB().QueryRow("SELECT count(*) FROM webhook_events WHERE event_key = ?", failKey).Scan(&orphan)
	if orphan != 0 {
		t.Fatal("an event whose job could not be enqueued was stored")
	}
}

// What Receive acknowledged is in the database file: a fresh process opening it finds it.
func TestInboxCommitsBeforeReturning(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chatshop.db")
	s := modelstest.OpenAt(t, path)
	in := s.NewInbox(func(_ context.Context, tx *models.Tx, _ []int64) error {
		var sync int
		if err := tx.SQL().QueryRow("PRAGMA synchronous").Scan(&sync); err != nil {
			return err
		}
		if sync != 2 {
			t.Errorf("the inbox commits with synchronous=%d, want 2 (FULL)", sync)
		}
		return nil
	})
	if _, err := in.Receive(context.Background(), delivery(models.ProviderPayPal), []models.WebhookEvent{event("WH-durable")}); err != nil {
		t.Fatal(err)
	}
	var after int
	s.WriterDB().QueryRow("PRAGMA synchronous").Scan(&after)
	if after != 1 {
		t.Fatalf("after an inbox commit the writer is left at synchronous=%d, want NORMAL again", after)
	}
	other := modelstest.OpenAt(t, path) // a second connection pool, as another process would have
	if n := count(t, other, "webhook_events"); n != 1 {
		t.Fatalf("another connection sees %d events", n)
	}
	in.Close()
	if _, err := in.Receive(context.Background(), delivery(models.ProviderPayPal), nil); !errors.Is(err, models.ErrInboxClosed) {
		t.Fatalf("Receive after Close: %v", err)
	}
}

func TestRecordRejectedCapsTheBody(t *testing.T) {
	s := modelstest.Open(t)
	d := delivery(models.ProviderMessenger)
	d.Body, d.Rejection = make([]byte, 1<<20), "bad signature"
	if err := s.RecordRejected(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	var size int
	var verified bool
	s.ReaderDB().QueryRow("SELECT length(body), verified FROM webhook_deliveries").Scan(&size, &verified)
	if size != 64<<10 || verified {
		t.Fatalf("kept %d bytes, verified=%v", size, verified)
	}
}
