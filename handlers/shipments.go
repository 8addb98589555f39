package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/carrier"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
)

// maxTrackingNumber is PayPal's limit on a tracking number (shipment_tracker.tracking_number).
const maxTrackingNumber = 64

// ShipOrder records a parcel of the order: carrier, tracking number and how many of each line it
// holds. The worker adds the tracker to PayPal's order and tells the shopper.
func (h *Handlers) ShipOrder(c echo.Context) error {
	v := ViewerOf(c)
	id, err := pathID(c)
	if err != nil {
		return err
	}
	form := pages.ShipForm{Carrier: c.FormValue("carrier"), OtherCarrier: strings.TrimSpace(c.FormValue("other_carrier")),
		Tracking: strings.TrimSpace(c.FormValue("tracking_number")), Quantities: map[int64]string{}}
	od, err := v.Data.OrderDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	ns := models.NewShipment{TrackingNumber: form.Tracking, Quantities: map[int64]int64{}}
	for _, l := range od.Order.Lines {
		raw := strings.TrimSpace(c.FormValue(fmt.Sprintf("quantity_%d", l.ID)))
		form.Quantities[l.ID] = raw
		if raw == "" {
			continue
		}
		q, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || q < 0 {
			return h.renderShipProblem(c, form, "Enter how many of each item are in the parcel, as a whole number.")
		}
		ns.Quantities[l.ID] = q
	}
	switch {
	case form.Carrier == carrier.Other && form.OtherCarrier == "":
		return h.renderShipProblem(c, form, "Name the carrier.")
	case form.Carrier == carrier.Other:
		if utf8.RuneCountInString(form.OtherCarrier) > 64 {
			return h.renderShipProblem(c, form, "Keep the carrier's name under 64 characters.")
		}
		ns.Carrier, ns.CarrierName = carrier.Lookup(form.OtherCarrier)
	case carrier.Known(form.Carrier):
		ns.Carrier = form.Carrier
	default:
		return h.renderShipProblem(c, form, "Choose the carrier.")
	}
	if form.Tracking == "" || utf8.RuneCountInString(form.Tracking) > maxTrackingNumber {
		return h.renderShipProblem(c, form, "Enter the tracking number the carrier gave (at most 64 characters).")
	}
	_, err = v.Data.RecordShipment(c.Request().Context(), id, ns, actor(c), h.Jobs.EnqueueTrack)
	if problem := shipmentProblem(err); problem != "" {
		return h.renderShipProblem(c, form, problem)
	} else if err != nil {
		return err
	}
	h.flash(c, "success", "Shipment recorded. PayPal gets the tracking number, and the shopper is told in Messenger.")
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/app/orders/%d", id))
}

// shipmentProblems say why a shipment was refused, in the form's words.
var shipmentProblems = map[error]string{
	models.ErrNotShippable:  "Only a paid order ships.",
	models.ErrFullyShipped:  "Every item of this order has shipped already.",
	models.ErrOverShipped:   "That is more than is left to ship of an item.",
	models.ErrEmptyShipment: "Choose at least one item for the parcel.",
	models.ErrTrackingUsed:  "This order already has a shipment with this tracking number (PayPal keeps it, even cancelled): give the parcel's own number.",
}

func shipmentProblem(err error) string {
	for e, words := range shipmentProblems {
		if errors.Is(err, e) {
			return words
		}
	}
	return ""
}

func (h *Handlers) renderShipProblem(c echo.Context, form pages.ShipForm, problem string) error {
	form.Problem = problem
	return h.renderOrderPage(c, http.StatusUnprocessableEntity, orderForms{ship: &form})
}

// CancelShipment cancels a shipment: its items are to ship again, and PayPal's tracker is cancelled.
func (h *Handlers) CancelShipment(c echo.Context) error {
	return h.changeShipment(c, "Shipment cancelled. Its items are back in the To ship queue.", func(v *Viewer, orderID, shipmentID int64) error {
		return v.Data.CancelShipment(c.Request().Context(), orderID, shipmentID, actor(c), h.Jobs.EnqueueUntrack)
	})
}

// ShipmentDelivered marks a shipment delivered.
func (h *Handlers) ShipmentDelivered(c echo.Context) error {
	return h.changeShipment(c, "Marked as delivered.", func(v *Viewer, orderID, shipmentID int64) error {
		return v.Data.MarkDelivered(c.Request().Context(), orderID, shipmentID, actor(c))
	})
}

func (h *Handlers) changeShipment(c echo.Context, done string, change func(v *Viewer, orderID, shipmentID int64) error) error {
	orderID, err := pathID(c)
	if err != nil {
		return err
	}
	shipmentID, err := pathParam(c, "shipment")
	if err != nil {
		return err
	}
	switch err := change(ViewerOf(c), orderID, shipmentID); {
	case errors.Is(err, models.ErrShipmentClosed):
		h.flash(c, "error", "That shipment was cancelled.")
	case err != nil:
		return err
	default:
		h.flash(c, "success", done)
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/app/orders/%d", orderID))
}

// shipmentsView fills the order page's shipments and, while something is left to ship of a paid
// order, its ship form (form: as a refused submit left it).
func shipmentsView(od *models.OrderDetail, vm *pages.OrderView, form *pages.ShipForm) {
	o := od.Order
	names := map[int64]string{}
	for _, l := range o.Lines {
		names[l.ID] = l.Name()
	}
	for _, sh := range od.Shipments {
		sv := pages.ShipmentView{ID: sh.ID, Carrier: carrier.Name(sh.Carrier, sh.CarrierName), TrackingNumber: sh.TrackingNumber,
			TrackingURL: carrier.TrackingURL(sh.Carrier, sh.TrackingNumber), Status: sh.Status, PayPalState: sh.PayPalState,
			PayPalError: sh.PayPalError, Told: sh.Told, ToldWhy: sh.ToldWhy, At: sh.CreatedAt}
		for _, l := range sh.Lines {
			sv.Items = append(sv.Items, fmt.Sprintf("%s × %d", names[l.OrderLineID], l.Quantity))
		}
		vm.Shipments = append(vm.Shipments, sv)
	}
	var left int64
	for _, n := range od.LeftToShip {
		left += n
	}
	if o.Status != models.OrderPaid || left == 0 {
		if form != nil { // a refused submit of a form that no longer applies
			vm.Page.Flashes = append(vm.Page.Flashes, layout.Flash{Kind: "error", Message: form.Problem})
		}
		return
	}
	if form == nil {
		form = &pages.ShipForm{Carrier: carrier.Common[0].Code, Quantities: map[int64]string{}}
		for id, n := range od.LeftToShip {
			form.Quantities[id] = strconv.FormatInt(n, 10)
		}
	}
	for _, cr := range carrier.Common {
		form.Carriers = append(form.Carriers, pages.CarrierOption{Code: cr.Code, Name: cr.Name})
	}
	for _, l := range o.Lines {
		form.Lines = append(form.Lines, pages.ShipLine{ID: l.ID, Name: l.Name(), SKU: l.SKU, Left: od.LeftToShip[l.ID]})
	}
	vm.Ship = form
}
