package worker

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/chatshop/chatshop/bot"
	"github.com/chatshop/chatshop/carrier"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// TrackArgs asks for a shipment's tracker to be added to its PayPal order, and the shopper told.
type TrackArgs struct {
	ShipmentID int64 `json:"shipment_id"`
}

// Kind names the call.
func (TrackArgs) Kind() string { return "paypal.track" }

// policy bounds the retries; each carries the shipment's PayPal-Request-Id.
func (TrackArgs) policy() callPolicy { return callPolicy{attempts: 10} }

// UntrackArgs asks for a cancelled shipment's tracker to be cancelled at PayPal.
type UntrackArgs struct {
	ShipmentID int64 `json:"shipment_id"`
}

// Kind names the call.
func (UntrackArgs) Kind() string { return "paypal.untrack" }

// policy bounds the retries.
func (UntrackArgs) policy() callPolicy { return callPolicy{attempts: 10} }

// EnqueueTrack queues a shipment's tracker call in the transaction that records the shipment.
func (w *Worker) EnqueueTrack(ctx context.Context, tx *models.Tx, shipmentID int64) error {
	return w.call(tx, TrackArgs{ShipmentID: shipmentID})
}

// EnqueueUntrack queues the call that cancels a shipment's tracker, in the cancelling transaction.
func (w *Worker) EnqueueUntrack(ctx context.Context, tx *models.Tx, shipmentID int64) error {
	return w.call(tx, UntrackArgs{ShipmentID: shipmentID})
}

type trackWorker struct {
	store  *models.Store
	paypal *paypal.Client
	jobs   *Worker
}

func (w *trackWorker) Work(ctx context.Context, job *Job[TrackArgs]) error {
	sh, err := w.store.ShipmentByID(ctx, job.Args.ShipmentID)
	if err != nil {
		return err
	}
	o, err := w.store.OrderByID(sh.OrderID)
	if err != nil {
		return err
	}
	if sh.PayPalState == models.TrackerSending {
		if err := w.addTracker(ctx, job, o, sh); err != nil {
			return err
		}
		if sh, err = w.store.ShipmentByID(ctx, sh.ID); err != nil {
			return err
		}
		if sh.Status == models.ShipmentCancelled && sh.TrackerID != "" && sh.PayPalState != models.TrackerCancelled {
			// Cancelled while PayPal was adding it: the cancel job may have found no tracker yet.
			return cancelTracker(ctx, w.store, w.paypal, job.Attempt, job.MaxAttempts, o, sh)
		}
	}
	if sh.Status == models.ShipmentCancelled || sh.Told != models.ToldNotYet {
		return nil // a job that runs again tells the shopper once
	}
	// PayPal's refusal does not stop the parcel: the shopper is told all the same.
	return w.tellShipped(ctx, o, sh)
}

// addTracker adds the shipment's tracker to PayPal's order and records PayPal's answer; a
// refusal is recorded, not returned (the call goes on to tell the shopper).
func (w *trackWorker) addTracker(ctx context.Context, job *Job[TrackArgs], o *models.Order, sh *models.Shipment) error {
	if sh.MerchantID == "" {
		return w.store.TrackerFailed(ctx, sh.ID, "The shop's PayPal account is not connected, so PayPal could not be told.", true)
	}
	answer, err := w.paypal.AddTracker(ctx, sh.MerchantID, o.PayPalOrderID, sh.RequestID, trackRequest(o, sh))
	if err == nil {
		trackerID := paypal.TrackerID(o.CaptureID, sh.TrackingNumber)
		if t := answer.TrackerOf(o.CaptureID, sh.TrackingNumber); t != nil {
			trackerID = t.ID
		}
		return w.store.TrackerAdded(ctx, sh.ID, trackerID)
	}
	retry := paypal.Retryable(err) && job.Attempt < job.MaxAttempts
	if recErr := w.store.TrackerFailed(ctx, sh.ID, trackRefusal(err, "the tracking number"), !retry); recErr != nil {
		return recErr
	}
	if retry {
		return err
	}
	return nil
}

// trackRequest is the shipment as PayPal's /track takes it.
func trackRequest(o *models.Order, sh *models.Shipment) paypal.TrackRequest {
	r := paypal.TrackRequest{CaptureID: o.CaptureID, TrackingNumber: sh.TrackingNumber, Carrier: sh.Carrier}
	if sh.Carrier == carrier.Other {
		r.CarrierNameOther = sh.CarrierName
	}
	for _, sl := range sh.Lines {
		for _, l := range o.Lines {
			if l.ID == sl.OrderLineID {
				r.Items = append(r.Items, paypal.TrackerItem{Name: clip(l.Name(), 127), Quantity: strconv.FormatInt(sl.Quantity, 10), SKU: clip(l.SKU, 127)})
			}
		}
	}
	return r
}

// tellShipped tells the shopper of the parcel in Messenger: inside the 24 hours after they last
// wrote as an update with the carrier's link, after them as the Page's utility template.
func (w *trackWorker) tellShipped(ctx context.Context, o *models.Order, sh *models.Shipment) error {
	return w.store.Transaction(ctx, func(tx *models.Tx) error {
		if now, err := tx.ShipmentIn(sh.ID); err != nil || now.Status == models.ShipmentCancelled {
			return err // cancelled meanwhile: nothing to tell
		}
		shopper, err := tx.ShopperOf(o.ShopperID)
		if err != nil {
			return err
		}
		front, err := tx.Storefront(o.ShopID)
		if err != nil {
			return err
		}
		name := carrier.Name(sh.Carrier, sh.CarrierName)
		m := bot.Shipped(o, name, sh.TrackingNumber, carrier.TrackingURL(sh.Carrier, sh.TrackingNumber))
		key := fmt.Sprintf("shipment:%d", sh.ID)
		told, err := w.jobs.tell(ctx, tx, shopper, key, m, bot.OrderShipped, o.Number(), front.Name, name, sh.TrackingNumber)
		if err != nil {
			return err
		}
		return tx.ShopperTold(sh.ID, told, key)
	})
}

// trackRefusal says in plain words why PayPal did not take a tracking number (or what).
func trackRefusal(err error, what string) string {
	words := map[string]string{
		"CAPTURE_STATUS_NOT_VALID": "PayPal takes tracking numbers only for completed payments.",
		"CAPTURE_ID_NOT_FOUND":     "PayPal does not know this order's payment.",
		"INVALID_PARAMETER_VALUE":  "PayPal refused the carrier or the tracking number as written.",
		"INVALID_STRING_LENGTH":    "The tracking number is too long for PayPal.",
		"PERMISSION_DENIED":        "PayPal does not let chatshop add tracking to this account's orders.",
	}
	var e *paypal.APIError
	if errors.As(err, &e) {
		if w, ok := words[e.Issue()]; ok {
			return w
		}
		return "PayPal refused " + what + ": " + e.Message
	}
	return "PayPal did not answer: " + err.Error()
}

type untrackWorker struct {
	store  *models.Store
	paypal *paypal.Client
}

func (w *untrackWorker) Work(ctx context.Context, job *Job[UntrackArgs]) error {
	sh, err := w.store.ShipmentByID(ctx, job.Args.ShipmentID)
	if err != nil {
		return err
	}
	if sh.PayPalState != models.TrackerCancelling {
		return nil
	}
	o, err := w.store.OrderByID(sh.OrderID)
	if err != nil {
		return err
	}
	if sh.TrackerID == "" {
		// Cancelled before the track job recorded a tracker: PayPal's order says whether it has one.
		pp, err := w.paypal.GetOrder(ctx, o.PayPalOrderID)
		if err != nil {
			return err
		}
		t := pp.TrackerOf(o.CaptureID, sh.TrackingNumber)
		if t == nil {
			return w.store.TrackerEnded(ctx, sh.ID, false)
		}
		sh.TrackerID = t.ID
	}
	return cancelTracker(ctx, w.store, w.paypal, job.Attempt, job.MaxAttempts, o, sh)
}

// cancelTracker cancels a cancelled shipment's tracker at PayPal and records it.
func cancelTracker(ctx context.Context, store *models.Store, pp *paypal.Client, attempt, maxAttempts int, o *models.Order, sh *models.Shipment) error {
	if err := pp.CancelTracker(ctx, sh.MerchantID, o.PayPalOrderID, sh.TrackerID); err != nil {
		if paypal.Retryable(err) && attempt < maxAttempts {
			return err
		}
		if recErr := store.TrackerCancelRefused(ctx, sh.ID, trackRefusal(err, "the cancellation")); recErr != nil {
			return recErr
		}
		return permanent(err)
	}
	return store.TrackerEnded(ctx, sh.ID, true)
}
