package worker

import (
	"context"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/chatshop/chatshop/models"
)

// defaultWebhookRetention is how long webhook payloads are kept when Options does not say.
const defaultWebhookRetention = 30 * 24 * time.Hour

// PruneWebhooksArgs asks for what the webhook log keeps beyond its retention to be forgotten:
// refused deliveries' counts and samples, and verified deliveries' headers and body; and for the
// calls made an hour ago, or failed a week ago, to go.
type PruneWebhooksArgs struct{}

// Kind names the job in the queue.
func (PruneWebhooksArgs) Kind() string { return "webhooks.prune" }

type pruneWebhooksWorker struct {
	river.WorkerDefaults[PruneWebhooksArgs]
	store     *models.Store
	retention time.Duration
	// throughID is where the last pruning of deliveries stopped, so the next one starts there
	// rather than walking the pruned ones again.
	mu        sync.Mutex
	throughID int64
}

func (w *pruneWebhooksWorker) Work(ctx context.Context, job *river.Job[PruneWebhooksArgs]) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	pruned, err := w.store.PruneWebhooks(ctx, time.Now().Add(-w.retention), w.throughID)
	w.throughID = pruned.ThroughID
	if err != nil {
		return err
	}
	_, err = w.store.PruneCalls(ctx, time.Now().Add(-keepDoneCalls), time.Now().Add(-keepFailedCalls))
	return err
}

// How long calls are kept once made, or failed for good (for inspection).
const (
	keepDoneCalls   = time.Hour
	keepFailedCalls = 7 * 24 * time.Hour
)
