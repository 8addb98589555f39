package worker

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/chatshop/chatshop/models"
)

// OptimizeArgs asks for the database's query-planner statistics to be brought up to date.
type OptimizeArgs struct{}

// Kind names the job in the queue.
func (OptimizeArgs) Kind() string { return "store.optimize" }

type optimizeWorker struct {
	river.WorkerDefaults[OptimizeArgs]
	store *models.Store
}

func (w *optimizeWorker) Work(ctx context.Context, job *river.Job[OptimizeArgs]) error {
	return w.store.Optimize(ctx)
}
