package worker

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/chatshop/chatshop/connect"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// SubscribePageArgs asks for the app to be subscribed to a newly connected Page's webhook fields.
type SubscribePageArgs struct {
	PageRowID int64 `json:"page_row_id"`
}

// Kind names the job in the queue.
func (SubscribePageArgs) Kind() string { return "messenger.subscribe_page" }

// InsertOpts bounds the retries of a subscription.
func (SubscribePageArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 8} }

// EnqueueSubscribePage inserts the subscription's job in the transaction that connects the Page.
func (w *Worker) EnqueueSubscribePage(ctx context.Context, tx *models.Tx, pageRowID int64) error {
	_, err := w.client.InsertTx(ctx, tx.SQL(), SubscribePageArgs{PageRowID: pageRowID}, nil)
	return err
}

type subscribePageWorker struct {
	river.WorkerDefaults[SubscribePageArgs]
	store *models.Store
	graph *messenger.Client
	jobs  *Worker
}

// Work subscribes the app to the Page's fields, then reads the subscription back and records it:
// the Page's status shows what Meta really delivers. The Page then gets its utility templates.
func (w *subscribePageWorker) Work(ctx context.Context, job *river.Job[SubscribePageArgs]) error {
	p, err := w.store.PageByRowID(ctx, job.Args.PageRowID)
	if err != nil {
		return err
	}
	if p.Status == models.PageDisconnected {
		return nil // disconnected before the job ran
	}
	token, err := w.store.OpenPageToken(p)
	if err != nil {
		return err
	}
	check := models.PageCheck{}
	err = w.graph.SubscribeApp(ctx, p.PageID, token, messenger.PageFields)
	if err == nil {
		check, err = connect.CheckPage(ctx, w.graph, p.PageID, token)
	} else {
		check = connect.PageProblem(err)
	}
	if err != nil && messenger.Retryable(err) && job.Attempt < job.MaxAttempts {
		return err
	}
	if recErr := w.store.ForShop(p.ShopID).RecordPageCheck(ctx, p.ID, check); recErr != nil {
		return recErr
	}
	if err != nil {
		return river.JobCancel(fmt.Errorf("permanent: %w", err))
	}
	// The connected Page gets its utility templates (a Page that has them keeps them).
	return w.jobs.EnqueueTemplates(ctx, p.ShopID, p.PageID)
}

// UnsubscribePageArgs asks for the app's subscription to a disconnected Page to be removed.
type UnsubscribePageArgs struct {
	PageRowID int64 `json:"page_row_id"`
}

// Kind names the job in the queue.
func (UnsubscribePageArgs) Kind() string { return "messenger.unsubscribe_page" }

// InsertOpts bounds the retries of an unsubscription.
func (UnsubscribePageArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 8} }

// EnqueueUnsubscribePage inserts the unsubscription's job in the transaction that disconnects the Page.
func (w *Worker) EnqueueUnsubscribePage(ctx context.Context, tx *models.Tx, pageRowID int64) error {
	_, err := w.client.InsertTx(ctx, tx.SQL(), UnsubscribePageArgs{PageRowID: pageRowID}, nil)
	return err
}

type unsubscribePageWorker struct {
	river.WorkerDefaults[UnsubscribePageArgs]
	store *models.Store
	graph *messenger.Client
}

// Work unsubscribes the app from the Page, then forgets the Page's token. A token Meta no longer
// accepts cannot unsubscribe anything, and is forgotten too.
func (w *unsubscribePageWorker) Work(ctx context.Context, job *river.Job[UnsubscribePageArgs]) error {
	p, err := w.store.PageByRowID(ctx, job.Args.PageRowID)
	if err != nil {
		return err
	}
	if p.Status != models.PageDisconnected || p.TokenSealed == "" {
		return nil // connected again, or done already
	}
	token, err := w.store.OpenPageToken(p)
	if err != nil {
		return err
	}
	err = w.graph.UnsubscribeApp(ctx, p.PageID, token)
	if err != nil && messenger.Retryable(err) && job.Attempt < job.MaxAttempts {
		return err
	}
	return w.store.ForgetPageToken(ctx, p.ID)
}

// MerchantStatusArgs asks for a seller's status to be read from PayPal and recorded.
type MerchantStatusArgs struct {
	ShopID     int64  `json:"shop_id"`
	MerchantID string `json:"merchant_id"`
}

// Kind names the job in the queue.
func (MerchantStatusArgs) Kind() string { return "paypal.merchant_status" }

// InsertOpts bounds the retries of a status read.
func (MerchantStatusArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 8} }

type merchantStatusWorker struct {
	river.WorkerDefaults[MerchantStatusArgs]
	store  *models.Store
	paypal *paypal.Client
}

// Work reads merchant-integrations and records what it says.
func (w *merchantStatusWorker) Work(ctx context.Context, job *river.Job[MerchantStatusArgs]) error {
	m, err := connect.Merchant(ctx, w.paypal, job.Args.MerchantID)
	if err != nil {
		if paypal.Retryable(err) {
			return err
		}
		return river.JobCancel(fmt.Errorf("permanent: %w", err))
	}
	return w.store.ForShop(job.Args.ShopID).RecordMerchantStatus(ctx, m)
}
