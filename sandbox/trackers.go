package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/carrier"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// trackRequest is the body of POST /v2/checkout/orders/{id}/track (order_tracker_request). Only
// capture_id is required (PayPal's current SDK); the fields it inherits from shipment_tracker
// (transaction_id, status ...) are taken and ignored, as PayPal does.
type trackRequest struct {
	CaptureID        string        `json:"capture_id"`
	TrackingNumber   string        `json:"tracking_number"`
	Carrier          string        `json:"carrier"`
	CarrierNameOther string        `json:"carrier_name_other"`
	NotifyPayer      bool          `json:"notify_payer"`
	Items            []trackerItem `json:"items"`
}

// trackerItem is a line of a shipment (tracker_item).
type trackerItem struct {
	Name     string `json:"name,omitempty"`
	Quantity string `json:"quantity,omitempty"`
	SKU      string `json:"sku,omitempty"`
	URL      string `json:"url,omitempty"`
	ImageURL string `json:"image_url,omitempty"`
}

// tracker is a tracker as an order shows it.
type tracker struct {
	ID         string        `json:"id"`
	Status     string        `json:"status"`
	Items      []trackerItem `json:"items,omitempty"`
	Links      []link        `json:"links"`
	CreateTime string        `json:"create_time"`
	UpdateTime string        `json:"update_time"`
}

var trackerQuantity = regexp.MustCompile(`^[1-9][0-9]{0,9}$`)

// TrackOrder is POST /v2/checkout/orders/:id/track: a tracker for a completed capture of the
// order. The same capture and tracking number again is the same tracker (200, not 201). PayPal
// sends no webhook for it.
func (s *Sandbox) TrackOrder(c echo.Context) error {
	var req trackRequest
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
		return payPalIssues(c, http.StatusBadRequest, []issue{{Location: "body", Issue: "MALFORMED_REQUEST_JSON",
			Description: "The request JSON is not well formed."}})
	}
	ctx := c.Request().Context()
	id := c.Param("id")
	return s.idempotent(c, "orders.track:"+id, func() (int, any, error) {
		o, stored, err := s.loadOrder(ctx, id)
		if errors.Is(err, sandboxdb.ErrNotFound) || err == nil && othersOf(c, stored.MerchantID) {
			return http.StatusNotFound, errorBody(404, notFound("order_id", id, "path")), nil
		} else if err != nil {
			return 0, nil, err
		}
		if bad := validateTrack(&req); len(bad) > 0 {
			return http.StatusBadRequest, errorBody(400, bad), nil
		}
		if status, bad := checkTrackedCapture(o, &req); status != 0 {
			return status, errorBody(status, bad), nil
		}
		now := payPalTime(time.Now())
		t := tracker{ID: req.CaptureID + "-" + req.TrackingNumber, Status: "SHIPPED", Items: req.Items, CreateTime: now, UpdateTime: now}
		t.Links = []link{{s.cfg.PayPalAPIBase + "/v2/checkout/orders/" + o.ID + "/trackers/" + url.PathEscape(t.ID), "self", "GET"}}
		body, err := json.Marshal(t)
		if err != nil {
			return 0, nil, err
		}
		added, err := s.dir.AddTracker(ctx, &sandboxdb.Tracker{OrderID: o.ID, ID: t.ID, Status: t.Status, Body: string(body)})
		if err != nil {
			return 0, nil, err
		}
		if err := s.showTrackers(ctx, o); err != nil {
			return 0, nil, err
		}
		o.Links = s.orderLinks(o)
		if !added {
			return http.StatusOK, o, nil
		}
		return http.StatusCreated, o, nil
	})
}

// validateTrack checks a tracker's fields as PayPal's schema does.
func validateTrack(r *trackRequest) []issue {
	invalid := func(field, value, what string) []issue {
		return []issue{{Field: field, Value: value, Location: "body", Issue: "INVALID_PARAMETER_VALUE", Description: "A parameter value is not valid. " + what}}
	}
	missing := func(field string) []issue {
		return []issue{{Field: field, Location: "body", Issue: "MISSING_REQUIRED_PARAMETER", Description: "A required field / parameter is missing."}}
	}
	switch {
	case r.CaptureID == "":
		return missing("/capture_id")
	case r.TrackingNumber == "" && r.Carrier != "":
		return missing("/tracking_number")
	case utf8.RuneCountInString(r.TrackingNumber) > 64:
		return []issue{{Field: "/tracking_number", Location: "body", Issue: "INVALID_STRING_LENGTH", Description: "The value of a field is either too short or too long."}}
	case r.Carrier != "" && !carrier.Known(r.Carrier):
		return invalid("/carrier", r.Carrier, "The carrier is not one PayPal knows; use OTHER and carrier_name_other.")
	case r.Carrier == carrier.Other && r.CarrierNameOther == "":
		return missing("/carrier_name_other")
	}
	for _, it := range r.Items {
		if it.Quantity != "" && !trackerQuantity.MatchString(it.Quantity) {
			return invalid("/items/quantity", it.Quantity, "The quantity is a whole number of at least 1.")
		}
	}
	return nil
}

// checkTrackedCapture finds the tracker's capture in the order: it must be completed, and the
// items' SKUs the order's.
func checkTrackedCapture(o *order, r *trackRequest) (int, []issue) {
	skus := map[string]bool{}
	var found *capture
	for _, pu := range o.PurchaseUnits {
		for _, it := range pu.Items {
			skus[it.SKU] = true
		}
		if pu.Payments == nil {
			continue
		}
		for i, cp := range pu.Payments.Captures {
			if cp.ID == r.CaptureID {
				found = &pu.Payments.Captures[i]
			}
		}
	}
	switch {
	case found == nil:
		return 422, []issue{{Field: "/capture_id", Value: r.CaptureID, Location: "body", Issue: "CAPTURE_ID_NOT_FOUND",
			Description: "Specified capture ID does not exist. Check the capture ID and try again."}}
	case found.Status != "COMPLETED":
		return 422, []issue{{Issue: "CAPTURE_STATUS_NOT_VALID",
			Description: "Invalid capture status. Tracker information can only be added to captures in `COMPLETED` state."}}
	}
	for _, it := range r.Items {
		if it.SKU != "" && !skus[it.SKU] {
			return 422, []issue{{Field: "/items/sku", Value: it.SKU, Location: "body", Issue: "ITEM_SKU_MISMATCH",
				Description: "Item sku must match one of the items sku that was provided during order creation."}}
		}
	}
	return 0, nil
}

// showTrackers adds the order's trackers to its first purchase unit's shipping, as PayPal shows them.
func (s *Sandbox) showTrackers(ctx context.Context, o *order) error {
	rows, err := s.dir.Trackers(ctx, o.ID)
	if err != nil || len(rows) == 0 || len(o.PurchaseUnits) == 0 {
		return err
	}
	pu := &o.PurchaseUnits[0]
	if pu.Shipping == nil {
		pu.Shipping = &shippingDetail{}
	}
	pu.Shipping.Trackers = nil
	for _, t := range rows {
		pu.Shipping.Trackers = append(pu.Shipping.Trackers, json.RawMessage(t.Body))
	}
	return nil
}

// trackerPatch is one operation of a tracker PATCH.
type trackerPatch struct {
	Op    string          `json:"op"`
	Path  string          `json:"path"`
	Value json.RawMessage `json:"value"`
}

// PatchTracker is PATCH /v2/checkout/orders/:id/trackers/:tracker_id: PayPal takes a status of
// CANCELLED (the only change of status it supports), items replaced, and notify_payer.
func (s *Sandbox) PatchTracker(c echo.Context) error {
	ctx := c.Request().Context()
	orderID := c.Param("id")
	trackerID, err := url.PathUnescape(c.Param("tracker_id"))
	if err != nil {
		trackerID = c.Param("tracker_id")
	}
	var ops []trackerPatch
	if err := json.NewDecoder(c.Request().Body).Decode(&ops); err != nil || len(ops) == 0 {
		return payPalIssues(c, http.StatusBadRequest, []issue{{Location: "body", Issue: "MALFORMED_REQUEST_JSON", Description: "The request JSON is not well formed."}})
	}
	if _, stored, err := s.loadOrder(ctx, orderID); errors.Is(err, sandboxdb.ErrNotFound) || err == nil && othersOf(c, stored.MerchantID) {
		return payPalIssues(c, http.StatusNotFound, notFound("order_id", orderID, "path"))
	} else if err != nil {
		return err
	}
	rows, err := s.dir.Trackers(ctx, orderID)
	if err != nil {
		return err
	}
	var row *sandboxdb.Tracker
	for i := range rows {
		if rows[i].ID == trackerID {
			row = &rows[i]
		}
	}
	if row == nil {
		return payPalIssues(c, http.StatusNotFound, []issue{{Field: "tracker_id", Value: trackerID, Location: "path", Issue: "TRACKER_ID_NOT_FOUND",
			Description: "Specified tracker ID does not exist. Check the tracker ID and try again."}})
	}
	var t tracker
	if err := json.Unmarshal([]byte(row.Body), &t); err != nil {
		return err
	}
	for _, op := range ops {
		if bad := applyTrackerPatch(&t, op); bad != nil {
			return payPalIssues(c, http.StatusBadRequest, bad)
		}
	}
	t.UpdateTime = payPalTime(time.Now())
	body, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if _, err := s.dir.UpdateTracker(ctx, orderID, trackerID, t.Status, string(body)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func applyTrackerPatch(t *tracker, op trackerPatch) []issue {
	bad := func(name, what string) []issue {
		return []issue{{Field: op.Path, Location: "body", Issue: name, Description: what}}
	}
	switch op.Path {
	case "/status":
		var v string
		if op.Op != "replace" {
			return bad("INVALID_PATCH_OPERATION", "The operation cannot be honored. Cannot add a property that's already present, use replace. Cannot remove a property thats not present, use add. Cannot replace a property thats not present, use add.")
		}
		if json.Unmarshal(op.Value, &v) != nil || v != "CANCELLED" {
			return bad("INVALID_PARAMETER_VALUE", "A parameter value is not valid. Only patching status to CANCELLED is currently supported.")
		}
		t.Status = v
	case "/items":
		var items []trackerItem
		if op.Op != "replace" || json.Unmarshal(op.Value, &items) != nil {
			return bad("INVALID_PARAMETER_VALUE", "A parameter value is not valid.")
		}
		t.Items = items
	case "/notify_payer":
		if op.Op != "replace" && op.Op != "add" {
			return bad("INVALID_PATCH_OPERATION", "The operation cannot be honored.")
		}
	default:
		return bad("FIELD_NOT_PATCHABLE", "Field cannot be patched.")
	}
	return nil
}
