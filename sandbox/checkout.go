package sandbox

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/money"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/sandbox/views"
	"github.com/chatshop/chatshop/views/render"
)

// CheckoutPage is PayPal's buyer page for an order (the approve / payer-action link): sign in as a
// sandbox buyer, then pay or cancel.
func (s *Sandbox) CheckoutPage(c echo.Context) error {
	ctx := c.Request().Context()
	o, stored, err := s.loadOrder(ctx, c.QueryParam("token"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "This checkout link is not valid.")
	} else if err != nil {
		return err
	}
	pu := o.PurchaseUnits[0]
	total, _ := minor(pu.Amount.paypalMoney)
	vm := views.SandboxCheckout{OrderID: o.ID, Merchant: s.merchantName(c, stored.MerchantID),
		Total: money.Money{Minor: total, Currency: pu.Amount.CurrencyCode}.String()}
	for _, it := range pu.Items {
		price := "" // the line's total, as PayPal shows it
		if it.UnitAmount != nil {
			v, _ := minor(*it.UnitAmount)
			q, _ := strconv.ParseInt(it.Quantity, 10, 64)
			price = money.Money{Minor: v * q, Currency: it.UnitAmount.CurrencyCode}.String()
		}
		vm.Items = append(vm.Items, views.CheckoutItem{Name: it.Name, Quantity: it.Quantity, Price: price})
	}
	vm.Buyers = buyerChoices()
	switch o.Status {
	case "CREATED", "PAYER_ACTION_REQUIRED":
	case "APPROVED":
		vm.Done = "You approved this payment. You can close this page."
	default:
		vm.Done = "This order is " + o.Status + "."
	}
	return render.Render(c, http.StatusOK, views.SandboxCheckoutPage(vm))
}

// CheckoutApprove approves the order as the chosen buyer and sends them back to the merchant's
// return URL with token and PayerID.
func (s *Sandbox) CheckoutApprove(c echo.Context) error {
	id := c.FormValue("token")
	b, ok := buyerByEmail(c.FormValue("buyer"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose one of the sandbox buyers.")
	}
	o, stored, err := s.approveOrder(c.Request().Context(), id, b)
	switch {
	case errors.Is(err, sandboxdb.ErrNotFound):
		return echo.NewHTTPError(http.StatusNotFound, "This checkout link is not valid.")
	case errors.Is(err, errOrderNotApprovable):
		return c.Redirect(http.StatusSeeOther, s.checkoutURL(id))
	case err != nil:
		return err
	}
	if back := returnURL(stored.ReturnURL, o.ID, b.PayerID()); back != "" {
		return c.Redirect(http.StatusSeeOther, back)
	}
	return c.Redirect(http.StatusSeeOther, s.checkoutURL(id))
}

// CheckoutCancel sends the buyer back to the merchant's cancel URL with the order's token.
func (s *Sandbox) CheckoutCancel(c echo.Context) error {
	id := c.FormValue("token")
	_, stored, err := s.loadOrder(c.Request().Context(), id)
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "This checkout link is not valid.")
	} else if err != nil {
		return err
	}
	if back := returnURL(stored.CancelURL, id, ""); back != "" {
		return c.Redirect(http.StatusSeeOther, back)
	}
	return c.Redirect(http.StatusSeeOther, s.checkoutURL(id))
}

// merchantName is the merchant's business name, for the buyer page's heading.
func (s *Sandbox) merchantName(c echo.Context, merchantID string) string {
	if m, err := s.merchant(c, merchantID); err == nil && m.LegalName != "" {
		return m.LegalName
	}
	return "merchant " + merchantID
}

// buyerChoices are the sandbox buyers a person can sign in as on the emulated PayPal pages.
func buyerChoices() []views.CheckoutBuyer {
	var out []views.CheckoutBuyer
	for i, b := range Buyers {
		note := map[string]string{"pending": "Payments stay pending (review)", "declined": "Payments are declined"}[b.Outcome]
		out = append(out, views.CheckoutBuyer{Email: b.Email, Name: b.Name, Country: b.Country, Note: note, Default: i == 0})
	}
	return out
}
