package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/csvcell"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/money"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

const ordersPerPage = 50

// orderFilter is the list's filter from the query: a known status or view, the search, the
// page's cursor (before an id, or after it in the oldest-first "To ship" view).
func orderFilter(c echo.Context) models.OrderFilter {
	f := models.OrderFilter{Query: strings.TrimSpace(c.QueryParam("q"))}
	if status := c.QueryParam("status"); slices.Contains(models.OrderStatuses, status) {
		f.Status = status
	} else if view := c.QueryParam("view"); view == models.ViewToShip || view == models.ViewShipped {
		f.View = view
	}
	f.Cursor, _ = strconv.ParseInt(c.QueryParam(cursorParam(f)), 10, 64)
	return f
}

// cursorParam names the list's cursor in the query.
func cursorParam(f models.OrderFilter) string {
	if f.OldestFirst() {
		return "after"
	}
	return "before"
}

// orderQuery is the query string of a filter, without its cursor.
func orderQuery(f models.OrderFilter) url.Values {
	q := url.Values{}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	if f.View != "" {
		q.Set("view", f.View)
	}
	if f.Query != "" {
		q.Set("q", f.Query)
	}
	return q
}

// ShowOrders lists the shop's orders, newest first, filtered by status and search.
func (h *Handlers) ShowOrders(c echo.Context) error {
	v := ViewerOf(c)
	f := orderFilter(c)
	rows, next, err := v.Data.OrderPage(c.Request().Context(), f, ordersPerPage)
	if err != nil {
		return err
	}
	vm := pages.Orders{Page: h.page(c, "Orders", "orders", layout.ShopConsole), Status: f.Status, View: f.View, Query: f.Query,
		Statuses: models.OrderStatuses, CanExport: v.Role == models.RoleOwner}
	for _, r := range rows {
		vm.Rows = append(vm.Rows, pages.OrderRow{ID: r.ID, Number: r.Number(), Shopper: r.ShopperName, Items: r.Items,
			Total: r.Total().String(), Status: r.Status, Fulfilment: r.Fulfilment, PaidWith: r.PaidWith, At: r.CreatedAt})
	}
	q := orderQuery(f)
	vm.ExportHref = "/app/orders/export?" + q.Encode()
	if next != 0 {
		q.Set(cursorParam(f), strconv.FormatInt(next, 10))
		vm.NextHref = "/app/orders?" + q.Encode()
	}
	return render.Render(c, http.StatusOK, pages.OrdersPage(vm))
}

// ExportOrders downloads the orders matching the list's filter as CSV, one row per order; the
// audit log keeps who exported how many (it holds shoppers' names and emails). Shoppers choose
// their names, so the cells are neutralized against spreadsheet formulas (package csvcell).
func (h *Handlers) ExportOrders(c echo.Context) error {
	v := ViewerOf(c)
	ctx := c.Request().Context()
	f := orderFilter(c)
	f.Cursor = 0
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="orders-%s.csv"`, h.now().UTC().Format(time.DateOnly)))
	c.Response().WriteHeader(http.StatusOK)
	w := csvcell.NewWriter(c.Response())
	_ = w.Write([]string{"Order", "Placed at", "Status", "Shopper", "Items", "Total", "Currency", "Paid with", "Paid at",
		"PayPal order", "PayPal capture", "Payer email",
		"Ship to name", "Ship to address 1", "Ship to address 2", "Ship to city", "Ship to region", "Ship to postal code", "Ship to country"})
	n := 0
	for {
		rows, next, err := v.Data.OrderPage(ctx, f, 500)
		if err != nil {
			return err // the download is cut short; the log says why
		}
		for _, r := range rows {
			paidAt := ""
			if r.PaidAt != nil {
				paidAt = r.PaidAt.UTC().Format(time.RFC3339)
			}
			_ = w.Write([]string{r.Number(), r.CreatedAt.UTC().Format(time.RFC3339), r.Status, r.ShopperName, r.Items,
				money.DecimalString(r.TotalMinor, r.Currency), r.Currency, r.PaidWith, paidAt, r.PayPalOrderID, r.CaptureID, r.PayerEmail,
				r.ShipTo.Name, r.ShipTo.Line1, r.ShipTo.Line2, r.ShipTo.City, r.ShipTo.Region, r.ShipTo.PostalCode, r.ShipTo.Country})
		}
		n += len(rows)
		if w.Flush(); w.Error() != nil || next == 0 {
			break
		}
		f.Cursor = next
	}
	if err := w.Error(); err != nil {
		return err
	}
	return v.Data.RecordAudit(ctx, actor(c), models.AuditExported, "orders", fmt.Sprintf("%d orders (%s)", n, orderQuery(f).Encode()))
}

// ShowOrder shows one order: its lines, payment, refunds and, for owners, the refund form.
func (h *Handlers) ShowOrder(c echo.Context) error {
	return h.renderOrderPage(c, http.StatusOK, orderForms{})
}

// orderForms are the order page's forms as a refused submit left them.
type orderForms struct {
	refundAmount, refundProblem string
	ship                        *pages.ShipForm
}

func (h *Handlers) renderOrder(c echo.Context, status int, amount, problem string) error {
	return h.renderOrderPage(c, status, orderForms{refundAmount: amount, refundProblem: problem})
}

func (h *Handlers) renderOrderPage(c echo.Context, status int, forms orderForms) error {
	v := ViewerOf(c)
	id, err := pathID(c)
	if err != nil {
		return err
	}
	od, err := v.Data.OrderDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	o := od.Order
	vm := pages.OrderView{Page: h.page(c, "Order "+o.Number(), "orders", layout.ShopConsole), ID: o.ID, Number: o.Number(),
		Status: o.Status, PaidWith: o.PaidWith, Total: o.Total().String(), Shopper: od.Shopper.Name, Country: od.Shopper.Country,
		PayerEmail: o.PayerEmail, PayPalOrderID: o.PayPalOrderID, CaptureID: o.CaptureID, CreatedAt: o.CreatedAt, PaidAt: o.PaidAt, ShipTo: o.ShipTo.Lines(),
		CanRefund: v.Role == models.RoleOwner && od.Refundable() > 0, RefundAmount: forms.refundAmount, RefundProblem: forms.refundProblem,
		Lines: orderLines(o), Fulfilment: o.Fulfilment}
	if o.ShippingMinor > 0 {
		vm.Shipping = o.Shipping().String()
	}
	shipmentsView(od, &vm, forms.ship)
	if od.Payment != nil {
		vm.PaymentStatus = od.Payment.Status
		if od.Payment.RefundedMinor > 0 {
			vm.Refunded = money.Money{Minor: od.Payment.RefundedMinor, Currency: o.Currency}.String()
		}
	}
	if left := od.Refundable(); left > 0 && vm.RefundAmount == "" {
		vm.RefundAmount = money.DecimalString(left, o.Currency)
	}
	vm.Refundable = money.Money{Minor: od.Refundable(), Currency: o.Currency}.String()
	for _, r := range od.Refunds {
		vm.Refunds = append(vm.Refunds, pages.RefundView{Amount: money.Money{Minor: r.AmountMinor, Currency: r.Currency}.String(),
			Reason: r.Reason, Status: r.Status, Error: r.Error, At: r.CreatedAt})
	}
	timeline, err := v.Data.OrderTimeline(c.Request().Context(), od)
	if err != nil {
		return err
	}
	for _, e := range timeline {
		item := pages.TimelineItem{At: e.At, Kind: e.Kind, Who: e.Who, Text: e.Text}
		if e.EventID != 0 && v.Role == models.RoleOwner { // the webhook log is the owners'
			item.EventHref = fmt.Sprintf("/app/events/%d", e.EventID)
		}
		vm.Timeline = append(vm.Timeline, item)
	}
	return render.Render(c, status, pages.OrderPage(vm))
}

// ShowPackingSlip renders an order's packing slip, for paper: the address PayPal gave and the
// items, without prices. An order with no address yet (unpaid) has none.
func (h *Handlers) ShowPackingSlip(c echo.Context) error {
	v := ViewerOf(c)
	id, err := pathID(c)
	if err != nil {
		return err
	}
	od, err := v.Data.OrderDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	o := od.Order
	if o.ShipTo.Empty() {
		return echo.NewHTTPError(http.StatusNotFound, "Order "+o.Number()+" has no address yet: PayPal gives it when the order is paid.")
	}
	date := o.CreatedAt
	if o.PaidAt != nil {
		date = *o.PaidAt
	}
	return render.Render(c, http.StatusOK, pages.PackingSlipPage(pages.PackingSlip{ID: o.ID, ShopName: v.Shop.Name, Number: o.Number(),
		Date: date.Format("January 2, 2006"), ShipTo: o.ShipTo.Lines(), Lines: orderLines(o)}))
}

func orderLines(o *models.Order) []pages.OrderLineView {
	var out []pages.OrderLineView
	for _, l := range o.Lines {
		out = append(out, pages.OrderLineView{Title: l.Title, Variant: l.VariantName(), SKU: l.SKU, Quantity: l.Quantity,
			Amount: money.Money{Minor: l.UnitMinor * l.Quantity, Currency: o.Currency}.String()})
	}
	return out
}

// RefundOrder refunds part or all of an order's payment through PayPal (the worker's job); the
// shopper hears of it in Messenger when PayPal's PAYMENT.CAPTURE.REFUNDED arrives.
func (h *Handlers) RefundOrder(c echo.Context) error {
	v := ViewerOf(c)
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	od, err := v.Data.OrderDetail(ctx, id)
	if err != nil {
		return err
	}
	raw, reason := strings.TrimSpace(c.FormValue("amount")), strings.TrimSpace(c.FormValue("reason"))
	if od.Payment == nil {
		return h.renderOrder(c, http.StatusConflict, raw, "This order has no captured payment to refund.")
	}
	minor, err := money.ParseAmount(raw, od.Order.Currency)
	if err != nil || minor <= 0 {
		return h.renderOrder(c, http.StatusUnprocessableEntity, raw, "Enter an amount like 12.50.")
	}
	if len([]rune(reason)) > 255 {
		return h.renderOrder(c, http.StatusUnprocessableEntity, raw, "Keep the note to the shopper under 255 characters.")
	}
	amount := money.Money{Minor: minor, Currency: od.Order.Currency}
	if minor > od.Refundable() {
		return h.renderOrder(c, http.StatusUnprocessableEntity, raw,
			"That is more than what is left to refund ("+money.Money{Minor: od.Refundable(), Currency: od.Order.Currency}.String()+").")
	}
	if c.FormValue("confirm") != "1" {
		orderPage := fmt.Sprintf("/app/orders/%d", id)
		items := []string{"Order " + od.Order.Number() + " of " + od.Order.Total().String() + ", paid by " + od.Shopper.DisplayName()}
		if reason != "" {
			items = append(items, "Note to the shopper: "+reason)
		}
		return render.Render(c, http.StatusOK, pages.ConfirmPage(pages.Confirm{Page: h.page(c, "Refund "+od.Order.Number(), "orders", layout.ShopConsole),
			Heading: "Refund " + amount.String() + " through PayPal?", Action: orderPage + "/refund", Button: "Refund " + amount.String(), Danger: true,
			CancelTo: orderPage, Items: items, Hidden: []pages.HiddenField{{Name: "amount", Value: raw}, {Name: "reason", Value: reason}},
			Message: "PayPal sends the money back to the shopper's PayPal account; this cannot be undone. The shopper is told in Messenger once PayPal confirms it."}))
	}
	_, err = v.Data.RequestRefund(ctx, od.Order.CaptureID, minor, reason, actor(c), h.Jobs.EnqueueRefund)
	if errors.Is(err, models.ErrRefundTooLarge) {
		return h.renderOrder(c, http.StatusUnprocessableEntity, raw,
			"That is more than what is left to refund ("+money.Money{Minor: od.Refundable(), Currency: od.Order.Currency}.String()+").")
	} else if err != nil {
		return err
	}
	h.flash(c, "success", "Refund of "+amount.String()+" sent to PayPal. The shopper is told in Messenger once PayPal confirms it.")
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/app/orders/%d", id))
}
