package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/dispute"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// DisputeDesk is where the dispute pages read and write: a shop's own data (/app/disputes), or
// every shop's for the admins (/admin/disputes).
type DisputeDesk interface {
	Disputes(ctx context.Context, f models.DisputeFilter) (models.DisputePage, error)
	Dispute(ctx context.Context, id int64) (*models.DisputeDetail, error)
	AddDisputeNote(ctx context.Context, id int64, text string, by models.Actor) error
	AddDisputeFile(ctx context.Context, id int64, f *models.DisputeFile, by models.Actor) error
	DisputeFileData(ctx context.Context, disputeID, fileID int64) (*models.DisputeFile, error)
}

const disputesPerPage = 50

// inAdminConsole reports whether the request is one of the admin console's routes.
func inAdminConsole(c echo.Context) bool { return strings.HasPrefix(c.Path(), "/admin/") }

// disputeDesk is the desk of the request's console, and whether it is the admins'.
func (h *Handlers) disputeDesk(c echo.Context) (desk DisputeDesk, admin bool) {
	if inAdminConsole(c) {
		return h.Admin, true
	}
	return ViewerOf(c).Data, false
}

func disputeBase(admin bool) string {
	if admin {
		return "/admin/disputes"
	}
	return "/app/disputes"
}

// ShowDisputes lists disputes, the nearest deadline first, with filters: the admins' queue
// across shops, or the shop's own disputes.
func (h *Handlers) ShowDisputes(c echo.Context) error {
	desk, admin := h.disputeDesk(c)
	ctx := c.Request().Context()
	f := disputeFilter(c)
	page, err := desk.Disputes(ctx, f)
	if err != nil {
		return err
	}
	p := h.page(c, "Disputes", "disputes", layout.ShopConsole)
	if admin {
		p = h.page(c, "Disputes", "admin-disputes", layout.AdminConsole)
	}
	vm := pages.Disputes{Page: p, Admin: admin, Base: disputeBase(admin), State: f.State, Stage: f.Stage, Reason: f.Reason,
		Sort: f.Sort, ShopID: f.ShopID, Respond: page.Respond, Overdue: page.Overdue, DueSoon: page.DueSoon, Now: h.now()}
	vm.States = []pages.Option{{Value: "open", Label: "Open"}, {Value: "respond", Label: "Needs a response"},
		{Value: "buyer", Label: "Waiting for the buyer"}, {Value: "review", Label: "PayPal reviewing"},
		{Value: "resolved", Label: "Resolved"}, {Value: "all", Label: "All"}}
	vm.Stages = []pages.Option{{Label: "Any stage"}}
	for _, s := range dispute.Stages {
		vm.Stages = append(vm.Stages, pages.Option{Value: s, Label: dispute.StageText(s)})
	}
	vm.Reasons = []pages.Option{{Label: "Any reason"}}
	for _, r := range dispute.Reasons {
		vm.Reasons = append(vm.Reasons, pages.Option{Value: r, Label: dispute.ReasonText(r)})
	}
	vm.Sorts = []pages.Option{{Value: "due", Label: "Deadline"}, {Value: "newest", Label: "Newest"}, {Value: "amount", Label: "Amount"}}
	if admin {
		shops, err := h.Admin.ShopNames(ctx)
		if err != nil {
			return err
		}
		vm.Shops = []pages.Option{{Value: "0", Label: "All shops"}}
		for _, s := range shops {
			vm.Shops = append(vm.Shops, pages.Option{Value: fmt.Sprint(s.ID), Label: s.Name})
		}
	}
	for _, r := range page.Rows {
		vm.Rows = append(vm.Rows, disputeRow(vm.Base, r))
	}
	if page.Next != "" {
		q := c.Request().URL.Query()
		q.Set("after", page.Next)
		vm.NextHref = vm.Base + "?" + q.Encode()
	}
	return render.Render(c, http.StatusOK, pages.DisputesPage(vm))
}

func disputeFilter(c echo.Context) models.DisputeFilter {
	f := models.DisputeFilter{State: c.QueryParam("state"), Stage: c.QueryParam("stage"), Reason: c.QueryParam("reason"),
		Sort: c.QueryParam("sort"), After: c.QueryParam("after"), Limit: disputesPerPage}
	f.ShopID, _ = strconv.ParseInt(c.QueryParam("shop"), 10, 64)
	if !slices.Contains(models.DisputeStates, f.State) {
		f.State = "open"
	}
	if !slices.Contains(models.DisputeSorts, f.Sort) {
		f.Sort = "due"
	}
	return f
}

func disputeRow(base string, r models.DisputeRow) pages.DisputeRow {
	row := pages.DisputeRow{Href: fmt.Sprintf("%s/%d", base, r.ID), PayPalID: r.PayPalID, Shop: r.ShopName, Shopper: r.ShopperName,
		Reason: dispute.ReasonText(r.Reason), Status: dispute.StatusText(r.Status), StatusTone: disputeTone(&r.Dispute),
		Stage: dispute.StageText(r.Stage), Amount: r.Amount().String(), Due: r.ResponseDueAt, Open: r.Open(), OpenedAt: r.OpenedAt}
	if r.OrderID != nil {
		row.Order = (&models.Order{ID: *r.OrderID}).Number()
	}
	return row
}

// disputeTone colours a dispute's status: red while PayPal waits for the seller, amber under
// review or waiting for the buyer, green once resolved for the seller, gray otherwise.
func disputeTone(d *models.Dispute) string {
	switch {
	case d.Status == "OPEN" || d.Status == "WAITING_FOR_SELLER_RESPONSE":
		return "red"
	case d.Open():
		return "amber"
	case d.Outcome == "RESOLVED_SELLER_FAVOUR" || d.Outcome == "CANCELED_BY_BUYER":
		return "green"
	default:
		return "gray"
	}
}

// ShowDispute shows one dispute with its order, payment, shopper, transcript, evidence and
// timeline; admins also get the actions PayPal allows now.
func (h *Handlers) ShowDispute(c echo.Context) error {
	return h.renderDispute(c, http.StatusOK, disputeProblems{})
}

// disputeProblems are the problems a dispute page is sent back with.
type disputeProblems struct {
	note, file string
	form       pages.ActionForm
}

func (h *Handlers) renderDispute(c echo.Context, status int, problems disputeProblems) error {
	desk, admin := h.disputeDesk(c)
	id, err := pathID(c)
	if err != nil {
		return err
	}
	dd, err := desk.Dispute(c.Request().Context(), id)
	if err != nil {
		return err
	}
	vm := h.disputeView(c, dd, admin)
	vm.NoteProblem, vm.FileProblem, vm.Form = problems.note, problems.file, problems.form
	return render.Render(c, status, pages.DisputePage(vm))
}

// AddDisputeNote adds an internal note to a dispute.
func (h *Handlers) AddDisputeNote(c echo.Context) error {
	desk, admin := h.disputeDesk(c)
	id, err := pathID(c)
	if err != nil {
		return err
	}
	err = desk.AddDisputeNote(c.Request().Context(), id, c.FormValue("text"), actor(c))
	if errors.Is(err, models.ErrEmptyNote) {
		return h.renderDispute(c, http.StatusUnprocessableEntity, disputeProblems{note: "Write a note of at most 2000 characters."})
	} else if err != nil {
		return err
	}
	h.flash(c, "success", "Note added.")
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s/%d", disputeBase(admin), id))
}

// AddDisputeFile keeps an uploaded evidence file with the dispute, for the admins to send to PayPal.
func (h *Handlers) AddDisputeFile(c echo.Context) error {
	desk, admin := h.disputeDesk(c)
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := desk.Dispute(c.Request().Context(), id); err != nil {
		return err // another shop's dispute is not found, whatever was sent
	}
	refuse := func(why string) error {
		return h.renderDispute(c, http.StatusUnprocessableEntity, disputeProblems{file: why})
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return refuse("Choose a file to upload.")
	}
	if fh.Size > models.EvidenceFileLimit {
		return refuse("That file is " + models.FileSize(fh.Size) + "; PayPal takes files of less than 10 MB.")
	}
	src, err := fh.Open()
	if err != nil {
		return refuse("The file could not be read; try again.")
	}
	data, err := io.ReadAll(io.LimitReader(src, models.EvidenceFileLimit+1))
	src.Close()
	if err != nil {
		return refuse("The file could not be read; try again.")
	}
	name := filepath.Base(strings.ReplaceAll(fh.Filename, "\\", "/"))
	f := &models.DisputeFile{Name: name, ContentType: evidenceType(data, name), Data: data}
	err = desk.AddDisputeFile(c.Request().Context(), id, f, actor(c))
	if errors.Is(err, models.ErrEvidenceFile) {
		return refuse(fmt.Sprintf("%s cannot be sent to PayPal: only JPG, GIF, PNG or PDF files of less than 10 MB.", name))
	} else if err != nil {
		return err
	}
	h.flash(c, "success", name+" added to the evidence.")
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s/%d", disputeBase(admin), id))
}

// evidenceType is the file's content type as its bytes show it, when its name agrees; "" when the
// file is not one PayPal takes.
func evidenceType(data []byte, name string) string {
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	ext, ok := models.EvidenceTypes[sniffed]
	if !ok {
		return ""
	}
	got := strings.ToLower(filepath.Ext(name))
	if got == ext || (ext == ".jpg" && got == ".jpeg") {
		return sniffed
	}
	return ""
}

// DownloadDisputeFile sends an evidence file back, as an attachment.
func (h *Handlers) DownloadDisputeFile(c echo.Context) error {
	desk, _ := h.disputeDesk(c)
	id, err1 := pathID(c)
	fileID, err2 := pathParam(c, "file")
	if err1 != nil || err2 != nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	f, err := desk.DisputeFileData(c.Request().Context(), id, fileID)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, f.ContentType, f.Data)
}
