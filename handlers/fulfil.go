package handlers

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/carrier"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// Limits of a bulk fulfilment file: it is read whole, and every line looks its order up.
const (
	maxFulfilBytes = 256 << 10
	maxFulfilLines = 1000
)

// ShowFulfilUpload renders the bulk fulfilment page: a CSV of order number, carrier and tracking
// number ships many orders at once.
func (h *Handlers) ShowFulfilUpload(c echo.Context) error {
	return h.renderFulfil(c, http.StatusOK, pages.Fulfil{})
}

func (h *Handlers) renderFulfil(c echo.Context, status int, f pages.Fulfil) error {
	f.Page = h.page(c, "Ship orders from a file", "orders", layout.ShopConsole)
	return render.Render(c, status, pages.FulfilPage(f))
}

// CheckFulfilFile is the dry run of an uploaded file: what each line would ship, and every
// problem by line. Nothing changes.
func (h *Handlers) CheckFulfilFile(c echo.Context) error {
	data, problem := readUpload(c, "file", maxFulfilBytes)
	if problem != "" {
		return h.renderFulfil(c, http.StatusUnprocessableEntity, pages.Fulfil{Error: problem})
	}
	return h.fulfil(c, data, false)
}

// ApplyFulfilFile ships the good lines of a checked file (sent back by the dry run's form). A line
// whose order already shipped with its tracking number is skipped: the same file twice ships once.
func (h *Handlers) ApplyFulfilFile(c echo.Context) error {
	data := []byte(c.FormValue("csv"))
	if len(data) == 0 || len(data) > maxFulfilBytes {
		return h.renderFulfil(c, http.StatusUnprocessableEntity, pages.Fulfil{Error: "Upload the file again: the checked copy did not come back."})
	}
	return h.fulfil(c, data, true)
}

func (h *Handlers) fulfil(c echo.Context, data []byte, apply bool) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	lines, problem := readFulfilFile(data)
	if problem != "" {
		return h.renderFulfil(c, http.StatusUnprocessableEntity, pages.Fulfil{Error: problem})
	}
	f := pages.Fulfil{Checked: true, Applied: apply, CSV: string(data)}
	seen := map[int64]int{}
	for _, l := range lines {
		row, ship, err := h.planLine(ctx, v, l, seen)
		if err != nil {
			return err
		}
		if ship != nil && apply {
			_, err := v.Data.RecordShipment(ctx, ship.orderID, ship.shipment, actor(c), h.Jobs.EnqueueTrack)
			switch problem := shipmentProblem(err); {
			case problem != "":
				row.Outcome, row.Message = "error", problem
			case err != nil:
				// The lines before have shipped: the page says so, and this line's failure.
				c.Logger().Errorf("bulk shipping: order %s: %v", row.Order, err)
				row.Outcome, row.Message = "error", "Not shipped: something went wrong on our side. Upload this line again."
			default:
				row.Outcome = "shipped"
			}
		}
		f.Count(row.Outcome)
		f.Lines = append(f.Lines, row)
	}
	status := http.StatusOK
	if f.Errors > 0 && !apply {
		status = http.StatusUnprocessableEntity
	}
	return h.renderFulfil(c, status, f)
}

// fulfilLine is one line of the file as read.
type fulfilLine struct {
	line                      int
	number, carrier, tracking string
}

// readFulfilFile reads the file's lines: order number, carrier, tracking number, after an optional
// header. A file that is not such a CSV gets one problem.
func readFulfilFile(data []byte) ([]fulfilLine, string) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, "The file is not UTF-8 text: save it as CSV (UTF-8) and upload it again."
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	var out []fulfilLine
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "The file is not a CSV file this page reads: " + err.Error() + "."
		}
		line, _ := r.FieldPos(0)
		if line == 1 && len(rec) > 0 && strings.Contains(strings.ToLower(rec[0]), "order") {
			continue // the header
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(out) == maxFulfilLines {
			return nil, fmt.Sprintf("The file has more than %d lines: split it and upload each part.", maxFulfilLines)
		}
		l := fulfilLine{line: line}
		for i, cell := range rec {
			cell = strings.TrimSpace(cell)
			switch i {
			case 0:
				l.number = cell
			case 1:
				l.carrier = cell
			case 2:
				l.tracking = cell
			}
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, "The file has no lines to ship: one line an order, with the order number, the carrier and the tracking number."
	}
	return out, ""
}

// plannedShipment is a line that ships.
type plannedShipment struct {
	orderID  int64
	shipment models.NewShipment
}

// planLine decides what a line does: ship the order's items left to ship, skip an order already
// shipped with the line's tracking number, or refuse the line (Message says why).
func (h *Handlers) planLine(ctx context.Context, v *Viewer, l fulfilLine, seen map[int64]int) (pages.FulfilLine, *plannedShipment, error) {
	row := pages.FulfilLine{Line: l.line, Order: l.number, Carrier: l.carrier, Tracking: l.tracking, Outcome: "error"}
	o, err := v.Data.OrderByNumber(ctx, l.number)
	switch {
	case errors.Is(err, models.ErrNotAnOrderNumber):
		row.Message = "Not an order number: write it as #1001."
		return row, nil, nil
	case errors.Is(err, models.ErrNotFound):
		row.Message = "No order " + l.number + " in this shop."
		return row, nil, nil
	case err != nil:
		return row, nil, err
	}
	row.Order, row.OrderID = o.Number(), o.ID
	if first, ok := seen[o.ID]; ok {
		row.Message = fmt.Sprintf("The file names this order on line %d already.", first)
		return row, nil, nil
	}
	seen[o.ID] = l.line
	if l.carrier == "" || utf8.RuneCountInString(l.carrier) > 64 {
		row.Message = "Name the carrier (at most 64 characters)."
		return row, nil, nil
	}
	if l.tracking == "" || utf8.RuneCountInString(l.tracking) > maxTrackingNumber {
		row.Message = "Give the tracking number (at most 64 characters)."
		return row, nil, nil
	}
	code, other := carrier.Lookup(l.carrier)
	row.Carrier = carrier.Name(code, other)
	od, err := v.Data.OrderDetail(ctx, o.ID)
	if err != nil {
		return row, nil, err
	}
	for _, sh := range od.Shipments {
		switch {
		case sh.TrackingNumber != l.tracking:
		case sh.Status != models.ShipmentCancelled:
			row.Outcome, row.Message = "skip", "Already shipped with this tracking number."
			return row, nil, nil
		default:
			row.Message = shipmentProblems[models.ErrTrackingUsed]
			return row, nil, nil
		}
	}
	ns := models.NewShipment{Carrier: code, CarrierName: other, TrackingNumber: l.tracking, Quantities: od.LeftToShip}
	var left int64
	for _, n := range od.LeftToShip {
		left += n
	}
	switch {
	case o.Status != models.OrderPaid:
		row.Message = shipmentProblems[models.ErrNotShippable]
	case left == 0:
		row.Message = shipmentProblems[models.ErrFullyShipped]
	default:
		row.Outcome = "ship"
		return row, &plannedShipment{orderID: o.ID, shipment: ns}, nil
	}
	return row, nil, nil
}
