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
// refused deliveries' counts and samples, and verified deliveries' headers and body.
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
	return err
}
