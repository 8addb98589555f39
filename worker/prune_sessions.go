package worker

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/chatshop/chatshop/models"
)

// PruneSessionsArgs asks for expired web sessions to be deleted.
type PruneSessionsArgs struct{}

// Kind names the job in the queue.
func (PruneSessionsArgs) Kind() string { return "sessions.prune" }

type pruneSessionsWorker struct {
	river.WorkerDefaults[PruneSessionsArgs]
	store *models.Store
}

func (w *pruneSessionsWorker) Work(ctx context.Context, job *river.Job[PruneSessionsArgs]) error {
	if _, err := w.store.DeleteExpiredSessions(ctx); err != nil {
		return err
	}
	_, err := w.store.DeleteOldLoginAttempts(ctx)
	return err
}
