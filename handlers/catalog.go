package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/web/render"
)

const productsPerPage = 50

// ListProducts renders a page of the shop's catalog, newest first.
func (h *Handlers) ListProducts(c echo.Context) error {
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	page, err := ViewerOf(c).Data.ListProducts(c.Request().Context(), before, productsPerPage)
	if err != nil {
		return err
	}
	vm := pages.Products{Page: h.page(c, "Products", "products", layout.ShopConsole)}
	for _, p := range page.Products {
		vm.Rows = append(vm.Rows, productRow(p))
	}
	if page.NextBefore != 0 {
		vm.NextHref = fmt.Sprintf("/app/products?before=%d", page.NextBefore)
	}
	return render.Render(c, http.StatusOK, pages.ProductsPage(vm))
}

func productRow(p models.Product) pages.ProductRow {
	row := pages.ProductRow{ID: p.ID, Title: p.Title, Vendor: p.Vendor, Type: p.ProductType, Status: string(p.Status), Variants: len(p.Variants)}
	if len(p.Variants) == 0 {
		return row
	}
	low, high := p.Variants[0].Price(), p.Variants[0].Price()
	for _, v := range p.Variants {
		row.Inventory += v.InventoryQty
		if v.PriceMinor < low.Minor {
			low = v.Price()
		}
		if v.PriceMinor > high.Minor {
			high = v.Price()
		}
	}
	row.PriceRange = low.String()
	if high.Minor != low.Minor {
		row.PriceRange += " – " + high.String()
	}
	return row
}
