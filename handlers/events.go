package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

const eventsPerPage = 50

// ShowShopEvents lists the shop's webhook events.
func (h *Handlers) ShowShopEvents(c echo.Context) error {
	f := eventFilter(c)
	page, err := ViewerOf(c).Data.ListEvents(c.Request().Context(), f)
	if err != nil {
		return err
	}
	vm := eventLogView(h.page(c, "Webhook events", "events", layout.ShopConsole), "/app/events", f, page)
	return render.Render(c, http.StatusOK, pages.EventLogPage(vm))
}

// ShowAdminEvents lists every shop's events and the refused deliveries.
func (h *Handlers) ShowAdminEvents(c echo.Context) error {
	ctx := c.Request().Context()
	f := eventFilter(c)
	page, err := h.Admin.ListAllEvents(ctx, f)
	if err != nil {
		return err
	}
	vm := eventLogView(h.page(c, "Webhook events", "admin-events", layout.AdminConsole), "/admin/events", f, page)
	vm.ShowShop = true
	if vm.Refusals, err = h.refusals(ctx); err != nil {
		return err
	}
	return render.Render(c, http.StatusOK, pages.EventLogPage(vm))
}

// refusalSamplesShown is how many of the kept refused deliveries the admin's event log shows.
const refusalSamplesShown = 20

// refusals is the admin's view of refused deliveries: totals by provider and reason over this
// hour, the last day and all that is kept, and the latest samples.
func (h *Handlers) refusals(ctx context.Context) (*pages.Refusals, error) {
	totals, err := h.Admin.RefusalTotals(ctx, time.Now())
	if err != nil {
		return nil, err
	}
	samples, err := h.Admin.LatestRefusals(ctx, refusalSamplesShown)
	if err != nil {
		return nil, err
	}
	r := &pages.Refusals{}
	for _, t := range totals {
		r.Totals = append(r.Totals, pages.RefusalTotalRow{Provider: t.Provider, Reason: t.Reason, ThisHour: t.ThisHour, LastDay: t.LastDay, Kept: t.Kept})
	}
	for _, d := range samples {
		r.Samples = append(r.Samples, pages.RefusalSample{ID: d.ID, Provider: d.Provider, Reason: d.Reason, Detail: d.Detail,
			From: d.RemoteAddr, Headers: prettyJSON([]byte(d.Headers)), Body: string(d.Body), BodySize: d.BodySize, At: d.ReceivedAt})
	}
	return r, nil
}

// ShowShopEvent shows one of the shop's events with its delivery and attempts.
func (h *Handlers) ShowShopEvent(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	d, err := ViewerOf(c).Data.Event(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return render.Render(c, http.StatusOK, pages.EventDetailPage(eventDetailView(h.page(c, "Webhook event", "events", layout.ShopConsole), "/app/events", d)))
}

// ShowAdminEvent shows any event, for admins.
func (h *Handlers) ShowAdminEvent(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	d, err := h.Admin.EventDetail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return render.Render(c, http.StatusOK, pages.EventDetailPage(eventDetailView(h.page(c, "Webhook event", "admin-events", layout.AdminConsole), "/admin/events", d)))
}

// ReplayShopEvents processes the chosen events of the shop again.
func (h *Handlers) ReplayShopEvents(c echo.Context) error {
	n, err := ViewerOf(c).Data.ReplayEvents(c.Request().Context(), formIDs(c), actor(c))
	return h.afterReplay(c, "/app/events", n, err)
}

// ReplayAdminEvents processes the chosen events of any shop again.
func (h *Handlers) ReplayAdminEvents(c echo.Context) error {
	n, err := h.Admin.ReplayAnyEvents(c.Request().Context(), formIDs(c), actor(c))
	return h.afterReplay(c, "/admin/events", n, err)
}

func (h *Handlers) afterReplay(c echo.Context, back string, n int, err error) error {
	if err != nil {
		return err
	}
	if n == 0 {
		h.flash(c, "error", "Nothing to replay: only dead, unmatched and not-acted-on events can be processed again.")
	} else {
		h.flash(c, "success", fmt.Sprintf("%d event%s queued to be processed again.", n, plural(n)))
	}
	if next := c.FormValue("back"); next != "" && safeNext(next) == next {
		back = next
	}
	return c.Redirect(http.StatusSeeOther, back)
}

func formIDs(c echo.Context) []int64 {
	params, _ := c.FormParams()
	var ids []int64
	for _, s := range params["id"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

func eventFilter(c echo.Context) models.EventFilter {
	f := models.EventFilter{Limit: eventsPerPage, Type: c.QueryParam("type")}
	if p := c.QueryParam("provider"); p == models.ProviderPayPal || p == models.ProviderMessenger {
		f.Provider = p
	}
	for _, s := range eventStatuses {
		if c.QueryParam("status") == s {
			f.Status = s
		}
	}
	f.Before, _ = strconv.ParseInt(c.QueryParam("before"), 10, 64)
	if t, err := time.Parse(time.DateOnly, c.QueryParam("from")); err == nil {
		f.From = t
	}
	if t, err := time.Parse(time.DateOnly, c.QueryParam("to")); err == nil {
		f.To = t.AddDate(0, 0, 1) // the whole "to" day
	}
	return f
}

var eventStatuses = []string{models.EventPending, models.EventProcessed, models.EventRetrying, models.EventDead, models.EventUnmatched, models.EventIgnored}

func eventLogView(p layout.Page, path string, f models.EventFilter, page models.EventPage) pages.EventLog {
	vm := pages.EventLog{Page: p, Path: path, Provider: f.Provider, Status: f.Status, Type: f.Type, Statuses: eventStatuses}
	if !f.From.IsZero() {
		vm.From = f.From.Format(time.DateOnly)
	}
	if !f.To.IsZero() {
		vm.To = f.To.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	for _, e := range page.Events {
		vm.Rows = append(vm.Rows, eventRow(e))
	}
	if page.NextBefore != 0 {
		q := url.Values{"before": {fmt.Sprint(page.NextBefore)}, "provider": {f.Provider}, "status": {f.Status}, "type": {f.Type}, "from": {vm.From}, "to": {vm.To}}
		vm.NextHref = path + "?" + q.Encode()
	}
	return vm
}

func eventRow(e models.WebhookEvent) pages.EventRow {
	r := pages.EventRow{ID: e.ID, Provider: e.Provider, Type: e.EventType, Key: e.EventKey, Status: e.Status, Attempts: e.Attempts,
		Account: e.AccountRef, ReceivedAt: e.ReceivedAt, LastError: e.LastError, Replayable: models.Replayable(e.Status)}
	if e.ShopID != nil {
		r.ShopID = *e.ShopID
	}
	return r
}

func eventDetailView(p layout.Page, path string, d *models.EventDetail) pages.EventDetail {
	vm := pages.EventDetail{Page: p, Path: path, Event: eventRow(d.Event), Payload: prettyJSON(d.Event.Payload),
		Headers: prettyJSON([]byte(d.Delivery.Headers)), DeliveryID: d.Delivery.ID, RemoteAddr: d.Delivery.RemoteAddr}
	for _, a := range d.Attempts {
		vm.Attempts = append(vm.Attempts, pages.AttemptRow{Attempt: a.Attempt, At: a.StartedAt, Took: time.Duration(a.DurationUS) * time.Microsecond, Error: a.Error})
	}
	return vm
}

func prettyJSON(b []byte) string {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return string(b)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return string(b)
	}
	return string(out)
}
