package worker

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// SendMessageArgs asks for one queued outbound message to be sent.
type SendMessageArgs struct {
	MessageID int64 `json:"message_id"`
}

// Kind names the call.
func (SendMessageArgs) Kind() string { return "messenger.send" }

// policy bounds the retries of a message.
func (SendMessageArgs) policy() callPolicy { return callPolicy{attempts: 8} }

// QueueMessage stores m and its send call in tx; a message with the same idempotency key is queued
// once, however often the change that asks for it runs.
func (w *Worker) QueueMessage(ctx context.Context, tx *models.Tx, m *models.OutboundMessage) (queued bool, err error) {
	queued, err = tx.QueueMessage(m)
	if err != nil || !queued {
		return false, err
	}
	err = w.call(tx, SendMessageArgs{MessageID: m.ID})
	return err == nil, err
}

type sendMessageWorker struct {
	store  *models.Store
	client *messenger.Client
}

func (w *sendMessageWorker) Work(ctx context.Context, job *Job[SendMessageArgs]) error {
	m, err := w.store.OutboundMessageByID(ctx, job.Args.MessageID)
	if err != nil {
		return err
	}
	if m.Status != "queued" {
		return nil // sent already, or given up on: a call made twice sends once
	}
	token, err := w.store.PageToken(ctx, m.ShopID, m.PageID)
	if err != nil {
		return err
	}
	if m.MessagingType == messenger.MessagingUtility && m.UtilityPurpose != "" {
		// Queued for after Messenger's 24 hours: it goes as its template, or not at all.
		why, err := asUtility(ctx, w.store, m)
		if err != nil {
			return err
		}
		if why != "" {
			return w.giveUp(ctx, m, job.Attempt, "The shopper last wrote more than 24 hours ago, and "+why+".", errors.New(why))
		}
	}
	res, err := w.send(ctx, token, m)
	if messenger.OutsideWindow(err) && m.UtilityPurpose != "" && m.MessagingType != messenger.MessagingUtility {
		// The window closed before the message went: its utility template may still go.
		why, uerr := asUtility(ctx, w.store, m)
		if uerr != nil {
			return uerr
		}
		if why != "" {
			return w.giveUp(ctx, m, job.Attempt, messenger.PlainWords(err)+" And "+why+".", err)
		}
		res, err = w.send(ctx, token, m)
	}
	if err == nil {
		return w.store.MessageSent(ctx, m, job.Attempt, res.MessageID)
	}
	words := messenger.PlainWords(err)
	if messenger.Retryable(err) && job.Attempt < job.MaxAttempts {
		if recErr := w.store.MessageAttemptFailed(ctx, m, job.Attempt, words); recErr != nil {
			return recErr
		}
		return err
	}
	if recErr := w.store.MessageFailed(ctx, m, job.Attempt, words, messenger.TokenInvalid(err)); recErr != nil {
		return recErr
	}
	return permanent(err)
}

func (w *sendMessageWorker) send(ctx context.Context, token string, m *models.OutboundMessage) (*messenger.SendResponse, error) {
	return w.client.Send(ctx, token, messenger.SendRequest{Recipient: messenger.Recipient{ID: m.PSID}, MessagingType: m.MessagingType,
		Tag: m.Tag, Message: json.RawMessage(m.Message)})
}

// giveUp records that a message will not go, in words, and ends its job.
func (w *sendMessageWorker) giveUp(ctx context.Context, m *models.OutboundMessage, attempt int, words string, err error) error {
	if recErr := w.store.MessageFailed(ctx, m, attempt, words, false); recErr != nil {
		return recErr
	}
	return permanent(err)
}
