package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// The pages a shopper sees in the browser, between Messenger and PayPal. They are public: the
// PayPal order id, Messenger's account_linking_token and our link state are what name the shopper.

// PayReturn is where PayPal sends a shopper back after approving a payment
// (?token=<PayPal order>&PayerID=). The worker captures it (the webhook may have asked first: it is
// one job), and the receipt comes in Messenger.
func (h *Handlers) PayReturn(c echo.Context) error {
	o, vm, err := h.orderNotice(c)
	if err != nil || o == nil {
		return err
	}
	switch o.Status {
	case models.OrderPending:
		if err := h.Jobs.EnqueueCapture(c.Request().Context(), o.ID); err != nil {
			return err
		}
		vm.Tone, vm.Title = "wait", "Thanks! Confirming your payment"
		vm.Message = "PayPal approved your payment for order " + o.Number() + " (" + o.Total().String() + "). Your receipt will arrive in Messenger in a moment."
	case models.OrderPaid:
		vm.Tone, vm.Title = "done", "Order "+o.Number()+" is paid"
		vm.Message = "Thank you! Your receipt for " + o.Total().String() + " is in Messenger."
	case models.OrderPaymentPending:
		vm.Tone, vm.Title = "wait", "PayPal is reviewing your payment"
		vm.Message = "We'll send your receipt for order " + o.Number() + " in Messenger as soon as PayPal clears it."
	case models.OrderPaymentDenied:
		vm.Title = "PayPal declined the payment"
		vm.Message = "Nothing was charged for order " + o.Number() + ". You can start again in Messenger."
	default:
		vm.Title = "Order " + o.Number() + " is no longer open"
		vm.Message = "It was cancelled or expired before it was paid, so nothing was charged. You can start again in Messenger."
	}
	return render.Render(c, http.StatusOK, pages.ShopperNoticePage(vm))
}

// PayCancel is where PayPal sends a shopper who cancelled on its page (?token=<PayPal order>).
func (h *Handlers) PayCancel(c echo.Context) error {
	o, vm, err := h.orderNotice(c)
	if err != nil || o == nil {
		return err
	}
	vm.Title = "No payment was taken"
	vm.Message = "You left PayPal without paying. Order " + o.Number() + " is still open in Messenger for a while if you change your mind."
	if o.Status != models.OrderPending {
		vm.Message = "You left PayPal without paying."
	}
	return render.Render(c, http.StatusOK, pages.ShopperNoticePage(vm))
}

// orderNotice finds the order PayPal names with ?token= and starts its notice; a link that names
// none gets its own page (o is nil).
func (h *Handlers) orderNotice(c echo.Context) (*models.Order, pages.ShopperNotice, error) {
	vm := pages.ShopperNotice{Sandbox: h.Sandbox}
	o, err := h.Checkout.OrderByPayPalID(c.QueryParam("token"))
	if errors.Is(err, models.ErrNotFound) {
		vm.Title, vm.Message = "This payment link is not valid", "It may have been cut short. Go back to Messenger and tap the button again."
		return nil, vm, render.Render(c, http.StatusNotFound, pages.ShopperNoticePage(vm))
	} else if err != nil {
		return nil, vm, err
	}
	if front, err := h.Checkout.Storefront(o.ShopID); err == nil {
		vm.Shop = front.Name
	}
	if sh, err := h.Checkout.ShopperByID(o.ShopperID); err == nil {
		vm.BackURL = h.conversationURL(sh.PageID, sh.PSID)
	}
	return o, vm, nil
}

// conversationURL goes back to the shopper's conversation with the Page: the sandbox's chat, or
// Messenger's m.me link.
func (h *Handlers) conversationURL(pageID, psid string) string {
	if h.SimulatedPages != nil {
		return h.SimulatedPages.ChatURL(pageID, psid)
	}
	return "https://m.me/" + pageID
}
