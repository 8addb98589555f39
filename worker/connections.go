package worker

import (
	"context"

	"github.com/chatshop/chatshop/connect"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// SubscribePageArgs asks for the app to be subscribed to a newly connected Page's webhook fields.
type SubscribePageArgs struct {
	PageRowID int64 `json:"page_row_id"`
}

// Kind names the call.
func (SubscribePageArgs) Kind() string { return "messenger.subscribe_page" }

// policy bounds the retries of a subscription.
func (SubscribePageArgs) policy() callPolicy { return callPolicy{attempts: 8} }

// EnqueueSubscribePage queues the subscription call in the transaction that connects the Page.
func (w *Worker) EnqueueSubscribePage(ctx context.Context, tx *models.Tx, pageRowID int64) error {
	return w.call(tx, SubscribePageArgs{PageRowID: pageRowID})
}

type subscribePageWorker struct {
	store *models.Store
	graph *messenger.Client
	jobs  *Worker
}

// Work subscribes the app to the Page's fields, then reads the subscription back and records it:
// the Page's status shows what Meta really delivers. The Page then gets its utility templates.
func (w *subscribePageWorker) Work(ctx context.Context, job *Job[SubscribePageArgs]) error {
	p, err := w.store.PageByRowID(ctx, job.Args.PageRowID)
	if err != nil {
		return err
	}
	if p.Status == models.PageDisconnected {
		return nil // disconnected before the call was made
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
		return permanent(err)
	}
	// The connected Page gets its utility templates (a Page that has them keeps them).
	return w.jobs.EnqueueTemplates(ctx, p.ShopID, p.PageID)
}

// UnsubscribePageArgs asks for the app's subscription to a disconnected Page to be removed.
type UnsubscribePageArgs struct {
	PageRowID int64 `json:"page_row_id"`
}

// Kind names the call.
func (UnsubscribePageArgs) Kind() string { return "messenger.unsubscribe_page" }

// policy bounds the retries of an unsubscription.
func (UnsubscribePageArgs) policy() callPolicy { return callPolicy{attempts: 8} }

// EnqueueUnsubscribePage queues the unsubscription call in the transaction that disconnects the Page.
func (w *Worker) EnqueueUnsubscribePage(ctx context.Context, tx *models.Tx, pageRowID int64) error {
	return w.call(tx, UnsubscribePageArgs{PageRowID: pageRowID})
}

type unsubscribePageWorker struct {
	store *models.Store
	graph *messenger.Client
}

// Work unsubscribes the app from the Page, then forgets the Page's token. A token Meta no longer
// accepts cannot unsubscribe anything, and is forgotten too.
func (w *unsubscribePageWorker) Work(ctx context.Context, job *Job[UnsubscribePageArgs]) error {
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

// Kind names the call.
func (MerchantStatusArgs) Kind() string { return "paypal.merchant_status" }

// policy bounds the retries of a status read.
func (MerchantStatusArgs) policy() callPolicy { return callPolicy{attempts: 8} }

type merchantStatusWorker struct {
	store  *models.Store
	paypal *paypal.Client
}

// Work reads merchant-integrations and records what it says.
func (w *merchantStatusWorker) Work(ctx context.Context, job *Job[MerchantStatusArgs]) error {
	m, err := connect.Merchant(ctx, w.paypal, job.Args.MerchantID)
	if err != nil {
		if paypal.Retryable(err) {
			return err
		}
		return permanent(err)
	}
	return w.store.ForShop(job.Args.ShopID).RecordMerchantStatus(ctx, m)
}
