package worker

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/chatshop/chatshop/bot"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// checkoutStep carries out the checkout step the bot chose (Buy, Pay, Cancel) and answers the
// shopper, in the event's transaction.
func (l *eventLoop) checkoutStep(ctx context.Context, tx *models.Tx, sh *models.Shopper, eventID int64, a bot.Answer) error {
	switch {
	case a.Buy != 0:
		o, existing, err := tx.PlaceOrder(sh, a.Buy, l.baseURL)
		switch {
		case errors.Is(err, models.ErrSoldOut), errors.Is(err, models.ErrNotFound):
			return l.jobs.reply(ctx, tx, sh, eventID, bot.SoldOut())
		case err != nil:
			return err
		case existing && o.PayPalOrderID == "" && !sh.Linked():
			return nil // a double tap: the pay button of the first tap is on its way
		}
		return l.jobs.offerPayment(ctx, tx, sh, o, eventID, l.baseURL)
	case a.Pay != 0:
		o, err := shoppersOrder(tx, sh, a.Pay)
		switch {
		case errors.Is(err, models.ErrNotFound):
			return l.jobs.reply(ctx, tx, sh, eventID, bot.StaleButton())
		case err != nil:
			return err
		case o.Status != models.OrderPending:
			return l.jobs.reply(ctx, tx, sh, eventID, bot.NotPending(o))
		case !sh.Linked():
			return l.jobs.offerPayment(ctx, tx, sh, o, eventID, l.baseURL)
		}
		err = l.jobs.call(tx, ChargeVaultArgs{OrderID: o.ID})
		return err
	case a.Cancel != 0:
		o, err := shoppersOrder(tx, sh, a.Cancel)
		if errors.Is(err, models.ErrNotFound) {
			return l.jobs.reply(ctx, tx, sh, eventID, bot.StaleButton())
		} else if err != nil {
			return err
		}
		o, cancelled, err := tx.CancelOrder(sh.ShopID, o.ID)
		if err != nil {
			return err
		}
		if !cancelled {
			return l.jobs.reply(ctx, tx, sh, eventID, bot.NotPending(o))
		}
		return l.jobs.reply(ctx, tx, sh, eventID, bot.OrderEnded(o))
	}
	return nil
}

// shoppersOrder reads one of the shopper's own orders; another's is ErrNotFound.
func shoppersOrder(tx *models.Tx, sh *models.Shopper, id int64) (*models.Order, error) {
	o, err := tx.OrderOf(sh.ShopID, id)
	if err == nil && o.ShopperID != sh.ID {
		return nil, models.ErrNotFound
	}
	return o, err
}

// offerPayment asks a linked shopper to confirm the one-tap payment, or offers anyone else
// PayPal's approval page (making its PayPal order first, in a job, when there is none yet).
func (w *Worker) offerPayment(ctx context.Context, tx *models.Tx, sh *models.Shopper, o *models.Order, eventID int64, baseURL string) error {
	switch {
	case sh.Linked():
		return w.reply(ctx, tx, sh, eventID, bot.ConfirmOneTap(o, sh.PayPalEmail))
	case o.ApproveURL != "":
		return w.reply(ctx, tx, sh, eventID, bot.PayOnPayPal(o, o.ApproveURL, linkURL(baseURL, sh.PageID)))
	}
	err := w.call(tx, CreateOrderArgs{OrderID: o.ID})
	return err
}

// linkURL is our page the Log In button opens; Messenger adds account_linking_token and
// redirect_uri.
func linkURL(baseURL, pageID string) string {
	return strings.TrimRight(baseURL, "/") + "/link/paypal?page=" + url.QueryEscape(pageID)
}

// accountLinking applies an account_linking event: the shopper linked PayPal (the authorization
// code names the wallet our link page vaulted) or unlinked it (its payment token is deleted).
func (l *eventLoop) accountLinking(ctx context.Context, tx *models.Tx, sh *models.Shopper, front *models.Storefront, e *models.WebhookEvent) error {
	al, err := messenger.ReadAccountLinking(e.Payload)
	if err != nil {
		return err
	}
	if al.Status == "unlinked" {
		vault, err := tx.UnlinkShopper(sh)
		if err != nil || vault == "" {
			return err
		}
		if err := l.jobs.call(tx, DeleteVaultTokenArgs{ShopID: sh.ShopID, VaultID: vault}); err != nil {
			return err
		}
		return l.jobs.reply(ctx, tx, sh, e.ID, bot.Unlinked())
	}
	previous, used, err := tx.LinkShopper(sh, al.AuthorizationCode)
	if errors.Is(err, models.ErrNotFound) { // a code our link page never gave this shopper
		return l.jobs.reply(ctx, tx, sh, e.ID, bot.LinkFailed())
	} else if err != nil || used {
		return err
	}
	if previous != "" {
		if err := l.jobs.call(tx, DeleteVaultTokenArgs{ShopID: sh.ShopID, VaultID: previous}); err != nil {
			return err
		}
	}
	if !front.Sells(sh.Country) {
		return l.jobs.reply(ctx, tx, sh, e.ID, bot.LinkedElsewhere(sh.PayPalEmail, front.Countries))
	}
	o, err := tx.PendingOrderOf(sh)
	if errors.Is(err, models.ErrNotFound) {
		return l.jobs.reply(ctx, tx, sh, e.ID, bot.Linked(sh.PayPalEmail))
	} else if err != nil {
		return err
	}
	return l.jobs.reply(ctx, tx, sh, e.ID, bot.ConfirmOneTap(o, sh.PayPalEmail))
}

// tellPayment tells the shopper what became of their order's payment: the receipt, PayPal's
// review or its refusal (the receipt and the refusal as the Page's utility template after
// Messenger's 24 hours). The key names the order and its status, so the webhook and the capture's
// own answer tell it once.
func (w *Worker) tellPayment(ctx context.Context, tx *models.Tx, o *models.Order) error {
	sh, err := tx.ShopperOf(o.ShopperID)
	if err != nil {
		return err
	}
	front, err := tx.Storefront(o.ShopID)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("order:%d:%s", o.ID, o.Status)
	switch o.Status {
	case models.OrderPaid:
		// PayPal's review may clear the payment days after the shopper last wrote.
		_, err = w.tell(ctx, tx, sh, key, bot.Receipt(o, sh.Name, front.Name), bot.PaymentCompleted, o.Total().String(), o.Number(), front.Name)
	case models.OrderPaymentDenied:
		_, err = w.tell(ctx, tx, sh, key, bot.PaymentDenied(o), bot.PaymentDeclined, o.Number(), front.Name)
	case models.OrderPaymentPending:
		err = w.say(ctx, tx, sh, key, messenger.MessagingUpdate, bot.PaymentPending(o))
	case models.OrderExpired, models.OrderCancelled:
		err = w.say(ctx, tx, sh, key, messenger.MessagingUpdate, bot.OrderEnded(o))
	}
	return err
}
