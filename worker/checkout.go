package worker

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/chatshop/chatshop/bot"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// checkout makes and captures the PayPal orders of shoppers' orders, and tells the shoppers.
type checkout struct {
	store   *models.Store
	paypal  *paypal.Client
	jobs    *Worker
	baseURL string
}

// orderJob is what every checkout call starts from: the order, its shopper and its shop.
type orderJob struct {
	order   *models.Order
	shopper *models.Shopper
	front   *models.Storefront
}

func (co *checkout) load(orderID int64) (*orderJob, error) {
	o, err := co.store.OrderByID(orderID)
	if err != nil {
		return nil, fmt.Errorf("load order %d: %w", orderID, err)
	}
	sh, err := co.store.ShopperByID(o.ShopperID)
	if err != nil {
		return nil, fmt.Errorf("load the shopper of order %d: %w", orderID, err)
	}
	front, err := co.store.Storefront(o.ShopID)
	if err != nil {
		return nil, fmt.Errorf("load the storefront of order %d: %w", orderID, err)
	}
	return &orderJob{order: o, shopper: sh, front: front}, nil
}

// request is the PayPal order of our order: the shop's merchant is the payee, custom_id names our
// order, and the lines are its items. Without a payment source the shopper approves it on PayPal's
// page and comes back to /pay/return.
func (co *checkout) request(j *orderJob, src *paypal.PaymentSource) (paypal.OrderRequest, error) {
	o := j.order
	total, err := paypal.FromMinor(o.TotalMinor, o.Currency)
	if err != nil {
		return paypal.OrderRequest{}, fmt.Errorf("order %d's total: %w", o.ID, err)
	}
	items, err := paypal.FromMinor(o.ItemsMinor(), o.Currency)
	if err != nil {
		return paypal.OrderRequest{}, fmt.Errorf("order %d's items: %w", o.ID, err)
	}
	breakdown := &paypal.Breakdown{ItemTotal: &items}
	if o.ShippingMinor > 0 {
		shipping, err := paypal.FromMinor(o.ShippingMinor, o.Currency)
		if err != nil {
			return paypal.OrderRequest{}, fmt.Errorf("order %d's shipping: %w", o.ID, err)
		}
		breakdown.Shipping = &shipping
	}
	pu := paypal.PurchaseUnit{Amount: paypal.Amount{CurrencyCode: total.CurrencyCode, Value: total.Value,
		Breakdown: breakdown}, Payee: &paypal.Payee{MerchantID: j.front.MerchantID},
		Description: clip("Order "+o.Number()+" from "+j.front.Name, 127), CustomID: o.CustomID()}
	for _, l := range o.Lines {
		unit, err := paypal.FromMinor(l.UnitMinor, o.Currency)
		if err != nil {
			return paypal.OrderRequest{}, err
		}
		pu.Items = append(pu.Items, paypal.Item{Name: clip(l.Name(), 127), UnitAmount: unit, Quantity: strconv.FormatInt(l.Quantity, 10),
			SKU: clip(l.SKU, 127), Category: "PHYSICAL_GOODS"})
	}
	if src == nil {
		base := strings.TrimRight(co.baseURL, "/")
		src = &paypal.PaymentSource{PayPal: &paypal.PayPalSource{ExperienceContext: &paypal.ExperienceContext{
			BrandName: clip(j.front.Name, 127), ShippingPreference: "GET_FROM_FILE", UserAction: "PAY_NOW",
			ReturnURL: base + "/pay/return", CancelURL: base + "/pay/cancel"}}}
	}
	return paypal.OrderRequest{Intent: "CAPTURE", PurchaseUnits: []paypal.PurchaseUnit{pu}, PaymentSource: src}, nil
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// settle applies what PayPal says of an order's payment and tells the shopper when it changed.
func (w *Worker) settle(ctx context.Context, tx *models.Tx, o *models.Order, c models.CaptureOutcome) error {
	orderID := o.ID
	o, changed, err := tx.ApplyCapture(o.ShopID, orderID, c)
	if err != nil {
		return fmt.Errorf("apply capture %s (%s) to order %d: %w", c.CaptureID, c.Status, orderID, err)
	}
	if !changed {
		return nil
	}
	return w.tellPayment(ctx, tx, o)
}

// outcome reads a PayPal order's capture.
func outcome(pp *paypal.Order) models.CaptureOutcome {
	c := models.CaptureOutcome{PayPalOrderID: pp.ID}
	if pp.Payer != nil {
		c.PayerEmail = pp.Payer.EmailAddress
	}
	for _, pu := range pp.PurchaseUnits {
		for _, cap := range pu.Payments.Captures {
			c.CaptureID, c.Status = cap.ID, cap.Status
		}
		if pu.Shipping != nil {
			c.ShipTo = shipTo(pu.Shipping)
		}
	}
	return c
}

// shipTo is PayPal's shipping detail as the order keeps it.
func shipTo(s *paypal.Shipping) models.ShippingAddress {
	var a models.ShippingAddress
	if s.Name != nil {
		a.Name = s.Name.FullName
	}
	if ad := s.Address; ad != nil {
		a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country = ad.AddressLine1, ad.AddressLine2, ad.AdminArea2, ad.AdminArea1, ad.PostalCode, ad.CountryCode
	}
	return a
}

// fail ends an unpaid order that PayPal refused to start, and tells the shopper why.
func (co *checkout) fail(ctx context.Context, j *orderJob, why string) error {
	return co.store.Transaction(ctx, func(tx *models.Tx) error {
		o, ended, err := tx.CancelOrder(j.order.ShopID, j.order.ID)
		if err != nil {
			return fmt.Errorf("cancel order %d: %w", j.order.ID, err)
		}
		if !ended {
			return nil
		}
		return co.jobs.say(ctx, tx, j.shopper, fmt.Sprintf("order:%d:failed", o.ID), messenger.MessagingResponse, bot.PaymentFailed(o, why))
	})
}

// paymentsClosed tells a shopper the shop's PayPal stopped taking payments since they tapped.
const paymentsClosed = "The shop can't take PayPal payments right now, so the order is off and nothing was charged."

// refusalWords is PayPal's refusal in the words a shopper reads.
func refusalWords(err error) string {
	var e *paypal.APIError
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// CreateOrderArgs asks for the PayPal order a shopper approves on PayPal's page.
type CreateOrderArgs struct {
	OrderID int64 `json:"order_id"`
}

// Kind names the call.
func (CreateOrderArgs) Kind() string { return "paypal.create_order" }

// policy makes one call per order: a double tap makes one PayPal order.
func (CreateOrderArgs) policy() callPolicy { return callPolicy{attempts: 8, once: true} }

type createOrderWorker struct {
	co *checkout
}

// Work creates the PayPal order (PayPal-Request-Id makes a retry return the same one) and sends the
// shopper its approval link, with the Log In button to link PayPal for one tap.
func (w *createOrderWorker) Work(ctx context.Context, job *Job[CreateOrderArgs]) error {
	co := w.co
	j, err := co.load(job.Args.OrderID)
	if err != nil || j.order.Status != models.OrderPending {
		return err
	}
	if j.order.ApproveURL == "" {
		if j.front.MerchantID == "" {
			return co.fail(ctx, j, paymentsClosed)
		}
		req, err := co.request(j, nil)
		if err != nil {
			return err
		}
		pp, err := co.paypal.CreateOrder(ctx, fmt.Sprintf("chatshop-order-%d", j.order.ID), req)
		if err != nil {
			if paypal.Retryable(err) && job.Attempt < job.MaxAttempts {
				return err
			}
			if failErr := co.fail(ctx, j, "PayPal could not start the payment ("+refusalWords(err)+"), so the order is off and nothing was charged."); failErr != nil {
				return failErr
			}
			return permanent(err)
		}
		j.order.PayPalOrderID, j.order.ApproveURL = pp.ID, pp.BuyerURL()
	}
	return co.store.Transaction(ctx, func(tx *models.Tx) error {
		if err := tx.SetPayPalOrder(j.order, j.order.PayPalOrderID, j.order.ApproveURL, models.PaidWithApproval); err != nil {
			return fmt.Errorf("record PayPal order %s of order %d: %w", j.order.PayPalOrderID, j.order.ID, err)
		}
		return co.jobs.say(ctx, tx, j.shopper, fmt.Sprintf("order:%d:pay:%s", j.order.ID, j.order.PayPalOrderID), messenger.MessagingResponse,
			bot.PayOnPayPal(j.order, j.order.ApproveURL, linkURL(co.baseURL, j.shopper.PageID)))
	})
}

// ChargeVaultArgs asks for a linked shopper's one-tap payment of an order.
type ChargeVaultArgs struct {
	OrderID int64 `json:"order_id"`
}

// Kind names the call.
func (ChargeVaultArgs) Kind() string { return "paypal.charge_vault" }

// policy makes one call per order: a double tap on Pay charges once.
func (ChargeVaultArgs) policy() callPolicy { return callPolicy{attempts: 8, once: true} }

type chargeVaultWorker struct {
	co *checkout
}

// Work creates the PayPal order with the shopper's vaulted PayPal as its payment source, which
// PayPal captures at once. When PayPal cannot use the linked account, the shopper is offered
// PayPal's page instead.
func (w *chargeVaultWorker) Work(ctx context.Context, job *Job[ChargeVaultArgs]) error {
	co := w.co
	j, err := co.load(job.Args.OrderID)
	if err != nil || j.order.Status != models.OrderPending {
		return err
	}
	sh := j.shopper
	switch {
	case j.front.MerchantID == "":
		return co.fail(ctx, j, paymentsClosed)
	case !j.front.Sells(sh.Country):
		return co.fail(ctx, j, "Paying with PayPal here is open to shoppers in "+models.CountryNames(j.front.Countries)+" only, so nothing was charged.")
	case !sh.Linked(): // unlinked since the tap
		return co.store.Transaction(ctx, func(tx *models.Tx) error {
			err := co.jobs.call(tx, CreateOrderArgs{OrderID: j.order.ID})
			return err
		})
	}
	req, err := co.request(j, &paypal.PaymentSource{PayPal: &paypal.PayPalSource{VaultID: sh.PayPalVaultID}})
	if err != nil {
		return err
	}
	pp, err := co.paypal.CreateMerchantOrder(ctx, j.front.MerchantID, fmt.Sprintf("chatshop-order-%d-vault", j.order.ID), req)
	if err != nil {
		if paypal.Retryable(err) && job.Attempt < job.MaxAttempts {
			return err
		}
		txErr := co.store.Transaction(ctx, func(tx *models.Tx) error {
			m := bot.PaymentFailed(j.order, "PayPal could not charge your linked account ("+refusalWords(err)+"), so nothing was charged. You can pay on PayPal's page instead.")
			if err := co.jobs.say(ctx, tx, sh, fmt.Sprintf("order:%d:vault-failed", j.order.ID), messenger.MessagingResponse, m); err != nil {
				return err
			}
			err := co.jobs.call(tx, CreateOrderArgs{OrderID: j.order.ID})
			return err
		})
		if txErr != nil {
			return txErr
		}
		return permanent(err)
	}
	return co.store.Transaction(ctx, func(tx *models.Tx) error {
		if err := tx.SetPayPalOrder(j.order, pp.ID, "", models.PaidWithVault); err != nil {
			return fmt.Errorf("record PayPal order %s of order %d: %w", pp.ID, j.order.ID, err)
		}
		return co.jobs.settle(ctx, tx, j.order, outcome(pp))
	})
}

// CaptureOrderArgs asks for an approved PayPal order to be captured: the shopper came back from
// PayPal's page, or PayPal's CHECKOUT.ORDER.APPROVED came first.
type CaptureOrderArgs struct {
	OrderID int64 `json:"order_id"`
}

// Kind names the call.
func (CaptureOrderArgs) Kind() string { return "paypal.capture_order" }

// policy makes one call per order, whichever of the return and the webhook asks first.
func (CaptureOrderArgs) policy() callPolicy { return callPolicy{attempts: 10, once: true} }

type captureOrderWorker struct {
	co *checkout
}

// Work captures the order once: the same PayPal-Request-Id on every attempt, and an order
// captured already is read instead. An order that expired or was cancelled is not captured.
func (w *captureOrderWorker) Work(ctx context.Context, job *Job[CaptureOrderArgs]) error {
	co := w.co
	j, err := co.load(job.Args.OrderID)
	if err != nil || j.order.Status != models.OrderPending || j.order.PayPalOrderID == "" {
		return err
	}
	pp, err := co.paypal.CaptureOrder(ctx, j.order.PayPalOrderID, fmt.Sprintf("chatshop-capture-%d", j.order.ID))
	var apiErr *paypal.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.Issue() {
		case "ORDER_ALREADY_CAPTURED":
			pp, err = co.paypal.GetOrder(ctx, j.order.PayPalOrderID)
		case "ORDER_NOT_APPROVED":
			return permanent(err) // back from PayPal without approving: nothing to capture
		case "INSTRUMENT_DECLINED":
			txErr := co.store.Transaction(ctx, func(tx *models.Tx) error {
				return co.jobs.say(ctx, tx, j.shopper, fmt.Sprintf("order:%d:declined:%d", j.order.ID, job.ID), messenger.MessagingResponse,
					bot.PayAgain(j.order, j.order.ApproveURL))
			})
			if txErr != nil {
				return txErr
			}
			return permanent(err)
		}
	}
	if err != nil {
		return err // tried again later; PayPal-Request-Id keeps it one capture
	}
	return co.store.Transaction(ctx, func(tx *models.Tx) error {
		return co.jobs.settle(ctx, tx, j.order, outcome(pp))
	})
}

// ExpireOrdersArgs asks for unpaid orders past their hold to release their stock.
type ExpireOrdersArgs struct{}

// Kind names the job in the queue.
func (ExpireOrdersArgs) Kind() string { return "orders.expire" }

type expireOrdersWorker struct {
	river.WorkerDefaults[ExpireOrdersArgs]
	co *checkout
}

// Work ends each due order in its own transaction and tells its shopper.
func (w *expireOrdersWorker) Work(ctx context.Context, job *river.Job[ExpireOrdersArgs]) error {
	co := w.co
	for {
		due, err := co.store.DueOrders(time.Now(), 100)
		if err != nil || len(due) == 0 {
			return err
		}
		for _, d := range due {
			err := co.store.Transaction(ctx, func(tx *models.Tx) error {
				o, ended, err := tx.ExpireOrder(d.ShopID, d.ID)
				if err != nil || !ended {
					return err
				}
				return co.jobs.tellPayment(ctx, tx, o)
			})
			if err != nil {
				return err
			}
		}
	}
}

// DeleteVaultTokenArgs asks for an unlinked shopper's PayPal payment token to be deleted from the
// merchant's vault.
type DeleteVaultTokenArgs struct {
	ShopID  int64  `json:"shop_id"`
	VaultID string `json:"vault_id"`
}

// Kind names the call.
func (DeleteVaultTokenArgs) Kind() string { return "paypal.delete_vault_token" }

// policy bounds the retries of a deletion.
func (DeleteVaultTokenArgs) policy() callPolicy { return callPolicy{attempts: 10} }

type deleteVaultTokenWorker struct {
	store  *models.Store
	paypal *paypal.Client
}

// Work deletes the payment token; one PayPal no longer has is deleted already.
func (w *deleteVaultTokenWorker) Work(ctx context.Context, job *Job[DeleteVaultTokenArgs]) error {
	front, err := w.store.Storefront(job.Args.ShopID)
	if err != nil {
		return err
	}
	if front.MerchantID == "" {
		return permanent(errors.New("the shop's PayPal is not connected; its vault cannot be reached"))
	}
	err = w.paypal.DeletePaymentToken(ctx, front.MerchantID, job.Args.VaultID)
	var apiErr *paypal.APIError
	if errors.As(err, &apiErr) && apiErr.HTTPStatus == 404 {
		return nil
	}
	if err != nil && !paypal.Retryable(err) {
		return permanent(err)
	}
	return err
}

// EnqueueCapture asks for an order's capture: the shopper is back from PayPal's page.
func (w *Worker) EnqueueCapture(ctx context.Context, orderID int64) error {
	return w.callOutside(ctx, CaptureOrderArgs{OrderID: orderID}, time.Time{})
}

// ShopperUnlinked follows a shop's unlinking of a shopper's PayPal, in its transaction: the vault
// token is deleted, Messenger ends the account link, and the shopper is told.
func (w *Worker) ShopperUnlinked(ctx context.Context, tx *models.Tx, sh *models.Shopper, vaultID string) error {
	if err := w.call(tx, DeleteVaultTokenArgs{ShopID: sh.ShopID, VaultID: vaultID}); err != nil {
		return err
	}
	if err := w.call(tx, UnlinkAccountArgs{ShopID: sh.ShopID, PageID: sh.PageID, PSID: sh.PSID}); err != nil {
		return err
	}
	return w.say(ctx, tx, sh, "unlinked:"+vaultID, messenger.MessagingUpdate, bot.Unlinked())
}

// UnlinkAccountArgs asks Messenger to end a shopper's account link (the business unlinks).
type UnlinkAccountArgs struct {
	ShopID int64  `json:"shop_id"`
	PageID string `json:"page_id"`
	PSID   string `json:"psid"`
}

// Kind names the call.
func (UnlinkAccountArgs) Kind() string { return "messenger.unlink_account" }

// policy bounds the retries of an unlink.
func (UnlinkAccountArgs) policy() callPolicy { return callPolicy{attempts: 8} }

type unlinkAccountWorker struct {
	store *models.Store
	graph *messenger.Client
}

// Work calls Messenger's unlink_accounts with the Page's token.
func (w *unlinkAccountWorker) Work(ctx context.Context, job *Job[UnlinkAccountArgs]) error {
	token, err := w.store.PageToken(ctx, job.Args.ShopID, job.Args.PageID)
	if err != nil {
		return err
	}
	err = w.graph.UnlinkAccount(ctx, token, job.Args.PSID)
	if err != nil && !messenger.Retryable(err) {
		return permanent(err)
	}
	return err
}
