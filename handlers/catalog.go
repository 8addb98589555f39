package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

const productsPerPage = 50

// ListProducts renders the shop's catalog: search, filters, order and keyset pages.
func (h *Handlers) ListProducts(c echo.Context) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	form := pages.ProductFilter{Query: c.QueryParam("q"), Status: c.QueryParam("status"), Vendor: c.QueryParam("vendor"),
		Type: c.QueryParam("type"), Tag: c.QueryParam("tag"), Sort: c.QueryParam("sort"), LowStock: c.QueryParam("low") == "1"}
	if !models.ProductStatus(form.Status).Valid() {
		form.Status = ""
	}
	page, err := v.Data.ListProducts(ctx, models.ProductFilter{Query: form.Query, Status: models.ProductStatus(form.Status),
		Vendor: form.Vendor, Type: form.Type, Tag: form.Tag, LowStock: form.LowStock, Sort: models.ProductSort(form.Sort),
		After: c.QueryParam("after"), Limit: productsPerPage})
	if err != nil {
		return err
	}
	facets, err := v.Data.ProductFacets(ctx)
	if err != nil {
		return err
	}
	vm := pages.Products{Page: h.page(c, "Products", "products", layout.ShopConsole), Filter: form,
		Facets:    pages.ProductFacets{Vendors: facets.Vendors, Types: facets.Types, Tags: facets.Tags},
		CanExport: v.Role == models.RoleOwner,
		Filtered:  form != (pages.ProductFilter{Sort: form.Sort}),
	}
	for _, p := range page.Products {
		vm.Rows = append(vm.Rows, productRow(p))
	}
	if page.Next != "" {
		q := c.QueryParams()
		q.Set("after", page.Next)
		vm.NextHref = "/app/products?" + q.Encode()
	}
	return render.Render(c, http.StatusOK, pages.ProductsPage(vm))
}

func productRow(p models.ProductSummary) pages.ProductRow {
	row := pages.ProductRow{ID: p.ID, Title: p.Title, Vendor: p.Vendor, Type: p.ProductType, Status: string(p.Status),
		Variants: p.VariantCount, Inventory: p.TotalInventory, Offered: p.Offered, LowStock: p.LowStock(), Thumb: p.Thumb()}
	low, high := p.PriceRange()
	row.PriceRange = low.String()
	if high.Minor != low.Minor {
		row.PriceRange += " – " + high.String()
	}
	return row
}

// productsHref is the list with the given query, for redirects that keep the retailer's place.
func productsHref(q url.Values) string {
	if len(q) == 0 {
		return "/app/products"
	}
	return "/app/products?" + q.Encode()
}
