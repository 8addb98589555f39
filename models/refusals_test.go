package models_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

func refused(provider, reason string, i int) models.RefusedDelivery {
	return models.RefusedDelivery{Provider: provider, Reason: reason, Detail: fmt.Sprintf("refusal %d", i),
		Headers: `{"Content-Type":"application/json"}`, Body: bytes.Repeat([]byte{'x'}, 1<<20), RemoteAddr: "203.0.113.9"}
}

// A flood of refusals is counted whole but keeps only the latest 100 samples, each cut to 2 KB.
func TestRefusalLogCountsAllAndKeepsABoundedSample(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	log := s.NewRefusalLog(nil)
	defer log.Close()
	for i := range 250 {
		log.Refuse(refused(models.ProviderMessenger, models.RefusedSignature, i))
	}
	log.Refuse(refused(models.ProviderPayPal, models.RefusedMalformed, 250))
	if err := log.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 251; i < 261; i++ {
		log.Refuse(refused(models.ProviderMessenger, models.RefusedSignature, i))
	}
	if err := log.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	totals, err := s.RefusalTotals(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := []models.RefusalTotal{
		{Provider: models.ProviderMessenger, Reason: models.RefusedSignature, ThisHour: 260, LastDay: 260, Kept: 260},
		{Provider: models.ProviderPayPal, Reason: models.RefusedMalformed, ThisHour: 1, LastDay: 1, Kept: 1},
	}
	if fmt.Sprint(totals) != fmt.Sprint(want) {
		t.Fatalf("totals %v, want %v", totals, want)
	}
	samples, err := s.LatestRefusals(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != 100 {
		t.Fatalf("%d samples kept, want 100", len(samples))
	}
	if samples[0].Detail != "refusal 260" || samples[99].Detail != "refusal 161" {
		t.Fatalf("samples from %q to %q, want the newest (260) first and 161 last", samples[0].Detail, samples[99].Detail)
	}
	if len(samples[0].Body) != 2<<10 || samples[0].BodySize != 1<<20 {
		t.Fatalf("sample body kept %d of %d bytes, want 2048 of 1048576", len(samples[0].Body), samples[0].BodySize)
	}
}

// The log writes by itself, at most once a second, without a Flush.
func TestRefusalLogWritesOnItsOwn(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	log := s.NewRefusalLog(nil)
	defer log.Close()
	log.Refuse(refused(models.ProviderPayPal, models.RefusedSignature, 1))
	deadline := time.Now().Add(10 * time.Second)
	for {
		samples, err := s.LatestRefusals(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(samples) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the refusal was not written within 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Close writes what has not been written yet.
func TestRefusalLogCloseWritesTheRest(t *testing.T) {
	s := modelstest.Open(t)
	log := s.NewRefusalLog(nil)
	for i := range 3 {
		log.Refuse(refused(models.ProviderMessenger, models.RefusedTooLarge, i))
	}
	log.Close()
	totals, err := s.RefusalTotals(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(totals) != 1 || totals[0].Kept != 3 {
		t.Fatalf("totals after Close: %v, want 3 too-large", totals)
	}
}

// Counts older than a day are kept but not in the day's total; pruning forgets what is older
// than the retention: refusal counts and samples, and the headers and body of deliveries (whose
// rows and events stay).
func TestPruneWebhooksForgetsWhatIsOlderThanTheRetention(t *testing.T) {
	ctx := context.Background()
	clock := modelstest.NewClock()
	s := modelstest.OpenWithClock(t, clock)
	log := s.NewRefusalLog(nil)
	defer log.Close()
	intake := s.NewIntake(nil, 0)
	defer intake.Close()

	old := refused(models.ProviderPayPal, models.RefusedSignature, 1)
	old.ReceivedAt = clock.Now()
	log.Refuse(old)
	if err := log.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := intake.Receive(ctx, deliveryWithBody(`{"old":true}`), []models.WebhookEvent{event("WH-OLD")}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(40 * 24 * time.Hour)
	log.Refuse(refused(models.ProviderPayPal, models.RefusedSignature, 2))
	if err := log.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := intake.Receive(ctx, deliveryWithBody(`{"new":true}`), []models.WebhookEvent{event("WH-NEW")}); err != nil {
		t.Fatal(err)
	}

	totals, err := s.RefusalTotals(ctx, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(totals) != 1 || totals[0].Kept != 2 || totals[0].LastDay != 1 {
		t.Fatalf("before pruning: %v, want 2 kept of which 1 in the last day", totals)
	}

	pruned, err := s.PruneWebhooks(ctx, clock.Now().Add(-30*24*time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	if pruned.Deliveries != 1 || pruned.Refusals != 2 || pruned.ThroughID == 0 {
		t.Fatalf("pruned %+v, want 1 delivery and 2 refusal rows (a count and a sample)", pruned)
	}
	samples, err := s.LatestRefusals(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != 1 || samples[0].Detail != "refusal 2" {
		t.Fatalf("samples after pruning: %v", samples)
	}
	var bodies []string
	rows, err := s.ReaderDB().Query("SELECT body FROM webhook_deliveries ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, string(b))
	}
	if fmt.Sprint(bodies) != `[ {"new":true}]` {
		t.Fatalf("delivery bodies after pruning: %q, want the old one emptied and the new one kept", bodies)
	}
	if n := count(t, s, "webhook_events"); n != 2 {
		t.Fatalf("%d events after pruning, want both kept", n)
	}

	// The next pruning starts where this one stopped and finds nothing more.
	again, err := s.PruneWebhooks(ctx, clock.Now().Add(-30*24*time.Hour), pruned.ThroughID)
	if err != nil || again.Deliveries != 0 || again.ThroughID != pruned.ThroughID {
		t.Fatalf("second pruning: %+v, %v", again, err)
	}
}

func deliveryWithBody(body string) models.WebhookDelivery {
	d := delivery(models.ProviderPayPal)
	d.Body = []byte(body)
	return d
}
