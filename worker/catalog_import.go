package worker

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/chatshop/chatshop/catalog"
	"github.com/chatshop/chatshop/models"
)

// CatalogImportArgs asks for a confirmed catalog import to run.
type CatalogImportArgs struct {
	ShopID   int64 `json:"shop_id"`
	ImportID int64 `json:"import_id"`
}

// Kind names the job in the queue.
func (CatalogImportArgs) Kind() string { return "catalog.import" }

// InsertOpts: an import that fails five times is reported failed to the retailer.
func (CatalogImportArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 5} }

// EnqueueCatalogImport inserts an import's job in the transaction that confirms it.
func (w *Worker) EnqueueCatalogImport(ctx context.Context, tx *models.Tx, shopID, importID int64) error {
	return w.Enqueue(ctx, tx, CatalogImportArgs{ShopID: shopID, ImportID: importID})
}

type catalogImportWorker struct {
	river.WorkerDefaults[CatalogImportArgs]
	store   *models.Store
	baseURL string
}

func (w *catalogImportWorker) Work(ctx context.Context, job *river.Job[CatalogImportArgs]) error {
	shop, err := w.store.ShopByID(ctx, job.Args.ShopID)
	if err != nil {
		return err
	}
	data := w.store.ForShop(shop.ID)
	err = catalog.Run(ctx, catalog.Shop{Data: data, Currency: shop.Currency, BaseURL: w.baseURL}, job.Args.ImportID)
	if err != nil && job.Attempt >= job.MaxAttempts {
		return data.FinishImport(ctx, job.Args.ImportID, fmt.Sprintf("the import stopped: %v", err))
	}
	return err
}
