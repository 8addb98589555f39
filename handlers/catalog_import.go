package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/catalog"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/shopify"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// MaxCatalogFileBytes bounds an uploaded catalog file.
const MaxCatalogFileBytes = 25 << 20

// ShowImport renders the upload form and the shop's recent imports.
func (h *Handlers) ShowImport(c echo.Context) error {
	return h.renderImportUpload(c, http.StatusOK, "")
}

// UploadImport reads the file and stores its dry run; a file that is not a product CSV is refused
// with the reason (422), changing nothing.
func (h *Handlers) UploadImport(c echo.Context) error {
	data, problem := readUpload(c, "file", MaxCatalogFileBytes)
	if problem != "" {
		return h.renderImportUpload(c, http.StatusUnprocessableEntity, problem)
	}
	fh, _ := c.FormFile("file")
	v := ViewerOf(c)
	imp, err := catalog.DryRun(c.Request().Context(), h.catalogShop(c), fh.Filename, data, v.User.ID)
	if errors.Is(err, shopify.ErrNotCSV) {
		return h.renderImportUpload(c, http.StatusUnprocessableEntity, capitalize(err.Error())+".")
	} else if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/app/products/import/%d", imp.ID))
}

// ShowImportRun renders an import: its dry run, its progress (polled), or its outcome.
func (h *Handlers) ShowImportRun(c echo.Context) error {
	imp, err := h.importOf(c)
	if err != nil {
		return err
	}
	r := pages.ImportRun{Page: h.page(c, "Import "+imp.Filename, "products", layout.ShopConsole), ID: imp.ID,
		Filename: imp.Filename, Status: imp.Status, ColumnSet: imp.ColumnSet, Rows: imp.RowCount, ToCreate: imp.ToCreate,
		ToUpdate: imp.ToUpdate, ToSkip: imp.ToSkip, Processed: imp.Processed, Created: imp.Created, Updated: imp.Updated,
		Error: imp.Error}
	for _, p := range imp.Problems() {
		r.Problems = append(r.Problems, pages.ImportProblemRow{Line: p.Line, Handle: p.Handle, Column: p.Column, Message: p.Message})
	}
	for _, p := range imp.Plan() {
		r.Plan = append(r.Plan, pages.ImportPlanRow{Line: p.Line, Handle: p.Handle, Title: p.Title, Action: p.Action,
			Variants: p.Variants, Images: p.Images})
	}
	r.PlanTruncated = len(r.Plan) < imp.ToCreate+imp.ToUpdate+imp.ToSkip
	return render.Render(c, http.StatusOK, pages.ImportRunPage(r))
}

// ConfirmImport starts the import of a dry run in the background.
func (h *Handlers) ConfirmImport(c echo.Context) error {
	imp, err := h.importOf(c)
	if err != nil {
		return err
	}
	v := ViewerOf(c)
	err = v.Data.QueueImport(c.Request().Context(), imp.ID, actor(c), func(ctx context.Context, tx *models.Tx, id int64) error {
		return h.Jobs.EnqueueCatalogImport(ctx, tx, v.Shop.ID, id)
	})
	if errors.Is(err, models.ErrImportStarted) {
		h.flash(c, "info", "This import has already been started.")
	} else if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/app/products/import/%d", imp.ID))
}

// ExportProducts streams the whole catalog as a Shopify product CSV (owners only).
func (h *Handlers) ExportProducts(c echo.Context) error {
	v := ViewerOf(c)
	name := fmt.Sprintf("products-%s.csv", h.now().UTC().Format("2006-01-02"))
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Response().WriteHeader(http.StatusOK)
	n, err := catalog.Export(c.Request().Context(), h.catalogShop(c), c.Response())
	if err != nil {
		return err // the download is cut short; the log says why
	}
	return v.Data.RecordAudit(c.Request().Context(), actor(c), "catalog.exported", "", fmt.Sprintf("%d products", n))
}

func (h *Handlers) catalogShop(c echo.Context) catalog.Shop {
	v := ViewerOf(c)
	return catalog.Shop{Data: v.Data, Currency: v.Shop.Currency, BaseURL: h.BaseURL}
}

func (h *Handlers) importOf(c echo.Context) (*models.CatalogImport, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	return ViewerOf(c).Data.Import(c.Request().Context(), id)
}

func (h *Handlers) renderImportUpload(c echo.Context, status int, problem string) error {
	recent, err := ViewerOf(c).Data.RecentImports(c.Request().Context(), 8)
	if err != nil {
		return err
	}
	p := pages.ImportUpload{Page: h.page(c, "Import products", "products", layout.ShopConsole), Error: problem}
	for _, r := range recent {
		at := r.CreatedAt
		if r.FinishedAt != nil {
			at = *r.FinishedAt
		}
		p.Recent = append(p.Recent, pages.ImportSummary{ID: r.ID, Filename: r.Filename, Status: r.Status,
			Created: r.Created, Updated: r.Updated, At: at.In(time.Local)})
	}
	return render.Render(c, status, pages.ImportUploadPage(p))
}
