package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// maxBulkProducts bounds one bulk action (two pages of the list).
const maxBulkProducts = 2 * productsPerPage

// BulkProducts activates, drafts, archives or (after a confirmation) deletes the selected products.
func (h *Handlers) BulkProducts(c echo.Context) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	var ids []int64
	for _, s := range form["ids"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	action := form.Get("action")
	switch {
	case len(ids) == 0:
		h.flash(c, "error", "Select at least one product first.")
		return c.Redirect(http.StatusSeeOther, "/app/products")
	case len(ids) > maxBulkProducts:
		h.flash(c, "error", fmt.Sprintf("Select at most %d products at a time.", maxBulkProducts))
		return c.Redirect(http.StatusSeeOther, "/app/products")
	}
	if ids, err = v.Data.OwnProductIDs(ctx, ids); err != nil {
		return err
	} else if len(ids) == 0 {
		return models.ErrNotFound // none of this shop's
	}
	if action == "delete" {
		if form.Get("confirm") != "1" {
			return h.confirmBulkDelete(c, ids)
		}
		n, err := v.Data.DeleteProducts(ctx, ids, actor(c))
		if err != nil {
			return err
		}
		h.flash(c, "success", fmt.Sprintf("Deleted %d product%s.", n, plural(n)))
		return c.Redirect(http.StatusSeeOther, "/app/products")
	}
	status := models.ProductStatus(action)
	if !status.Valid() {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose what to do with the selected products.")
	}
	n, err := v.Data.SetProductsStatus(ctx, ids, status, actor(c))
	if err != nil {
		return err
	}
	h.flash(c, "success", fmt.Sprintf("%d product%s set %s.", n, plural(n), status))
	return c.Redirect(http.StatusSeeOther, "/app/products")
}

func (h *Handlers) confirmBulkDelete(c echo.Context, ids []int64) error {
	ctx := c.Request().Context()
	vm := pages.Confirm{Page: h.page(c, "Delete products", "products", layout.ShopConsole),
		Heading: "Delete products?", Action: "/app/products/bulk", Button: "Delete", Danger: true, CancelTo: "/app/products",
		Hidden: []pages.HiddenField{{Name: "action", Value: "delete"}}}
	for _, id := range ids {
		p, err := ViewerOf(c).Data.GetProduct(ctx, id)
		if err != nil {
			continue // another shop's id, or already gone: not listed, not deleted
		}
		vm.Items = append(vm.Items, p.Title)
		vm.Hidden = append(vm.Hidden, pages.HiddenField{Name: "ids", Value: strconv.FormatInt(id, 10)})
	}
	if len(vm.Items) == 0 {
		return models.ErrNotFound
	}
	vm.Message = fmt.Sprintf("%d product%s and their variants and images will be deleted. This cannot be undone.", len(vm.Items), plural(len(vm.Items)))
	return render.Render(c, http.StatusOK, pages.ConfirmPage(vm))
}
