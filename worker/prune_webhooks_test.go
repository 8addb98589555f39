package worker_test

import (
	"context"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models"
)

// The worker's upkeep empties the payload of deliveries older than the retention (30 days by
// default) and keeps the newer ones whole.
func TestPruneWebhooksJob(t *testing.T) {
	ctx := context.Background()
	store, w := openWorker(t, 1)
	intake := store.NewIntake(nil, 0)
	defer intake.Close()
	for _, key := range []string{"WH-OLD", "WH-NEW"} {
		d := models.WebhookDelivery{Provider: models.ProviderPayPal, Headers: `{"Paypal-Transmission-Id":"t"}`, Body: []byte(`{"id":"` + key + `"}`), Verified: true}
		e := models.WebhookEvent{EventKey: key, EventType: "PAYMENT.CAPTURE.COMPLETED", Payload: d.Body}
		if _, err := intake.Receive(ctx, d, []models.WebhookEvent{e}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.WriterDB().Exec("UPDATE webhook_deliveries SET received_at = ? WHERE body LIKE '%WH-OLD%'", time.Now().Add(-31*24*time.Hour).UTC()); err != nil {
		t.Fatal(err)
	}
	if err := w.Start(ctx); err != nil { // the periodic prune runs on start
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Stop(context.Background()) })
	bodies := func() map[string]bool {
		rows, err := store.ReaderDB().Query("SELECT body FROM webhook_deliveries")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		kept := map[string]bool{}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			kept[string(b)] = true
		}
		return kept
	}
	waitFor(t, "the old delivery's body to be emptied", func() bool { return bodies()[""] })
	if kept := bodies(); !kept[`{"id":"WH-NEW"}`] || len(kept) != 2 {
		t.Fatalf("bodies after pruning: %v", kept)
	}
}
