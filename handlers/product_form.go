package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/money"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// NewProduct renders an empty product form.
func (h *Handlers) NewProduct(c echo.Context) error {
	f := pages.ProductForm{Status: string(models.ProductActive), Currency: ViewerOf(c).Shop.Currency,
		Variants: []pages.VariantInput{{Policy: models.PolicyDeny}}}
	return h.renderProductForm(c, http.StatusOK, f)
}

// CreateProduct saves a new product, or re-renders the form with its errors (422).
func (h *Handlers) CreateProduct(c echo.Context) error {
	return h.saveProduct(c, 0)
}

// EditProduct renders the form of one of the shop's products.
func (h *Handlers) EditProduct(c echo.Context) error {
	p, err := h.productOf(c)
	if err != nil {
		return err
	}
	return h.renderProductForm(c, http.StatusOK, productFormOf(p))
}

// UpdateProduct saves an edit; an edit of an outdated version gets a conflict (409) that keeps the input.
func (h *Handlers) UpdateProduct(c echo.Context) error {
	p, err := h.productOf(c)
	if err != nil {
		return err
	}
	return h.saveProduct(c, p.ID)
}

func (h *Handlers) saveProduct(c echo.Context, id int64) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	f := productFormFrom(form, v.Shop.Currency)
	f.ID = id
	if form.Get("op") == "add-variant" {
		f.Variants = append(f.Variants, pages.VariantInput{Policy: models.PolicyDeny})
		return h.renderProductForm(c, http.StatusOK, f)
	}
	p, errs := productFrom(f)
	if fieldErrs := p.Validate(f.Currency); len(fieldErrs) > 0 || len(errs) > 0 {
		for k, msg := range fieldErrs {
			if _, ok := errs[k]; !ok {
				errs[k] = msg
			}
		}
		f.Errors = errs
		return h.renderProductForm(c, http.StatusUnprocessableEntity, f)
	}
	if id == 0 {
		err = v.Data.CreateProduct(ctx, p, actor(c))
	} else {
		err = v.Data.UpdateProduct(ctx, p, actor(c))
	}
	var taken *models.TakenError
	switch {
	case errors.As(err, &taken):
		f.Errors = map[string]string{}
		key := "handle"
		if taken.Field == "sku" {
			key = fmt.Sprintf("variants.%d.sku", taken.Variant)
		}
		f.Errors[key] = fmt.Sprintf("Already used by %q.", taken.Product)
		return h.renderProductForm(c, http.StatusUnprocessableEntity, f)
	case errors.Is(err, models.ErrConflict):
		f.Conflict = true
		if latest, err := v.Data.GetProduct(ctx, id); err == nil {
			f.Version = latest.Version // saving again replaces theirs, knowingly
		}
		return h.renderProductForm(c, http.StatusConflict, f)
	case err != nil:
		return err
	}
	h.flash(c, "success", fmt.Sprintf("Saved %q.", p.Title))
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/app/products/%d", p.ID))
}

func (h *Handlers) productOf(c echo.Context) (*models.Product, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	return ViewerOf(c).Data.GetProduct(c.Request().Context(), id)
}

func (h *Handlers) renderProductForm(c echo.Context, status int, f pages.ProductForm) error {
	title := f.Title
	if f.ID == 0 {
		title = "Add product"
	}
	f.Page = h.page(c, title, "products", layout.ShopConsole)
	if f.ID != 0 && f.Images == nil {
		p, err := ViewerOf(c).Data.GetProduct(c.Request().Context(), f.ID)
		if err != nil {
			return err
		}
		f.Images, f.Preview = imageViews(p), messengerCard(p)
	}
	return render.Render(c, status, pages.ProductFormPage(f))
}

// productFormOf fills the form from a stored product.
func productFormOf(p *models.Product) pages.ProductForm {
	f := pages.ProductForm{ID: p.ID, Version: p.Version, Title: p.Title, Handle: p.Handle, Description: p.DescriptionHTML,
		Vendor: p.Vendor, Type: p.ProductType, Tags: p.Tags, Status: string(p.Status), Currency: p.Currency,
		Options: [3]string{p.Option1Name, p.Option2Name, p.Option3Name}}
	for _, v := range p.Variants {
		in := pages.VariantInput{ID: strconv.FormatInt(v.ID, 10), Options: [3]string{v.Option1, v.Option2, v.Option3},
			SKU: v.SKU, Price: money.DecimalString(v.PriceMinor, v.Currency), Qty: strconv.FormatInt(v.InventoryQty, 10),
			Policy: v.InventoryPolicy, Barcode: v.Barcode}
		if v.CompareAtMinor != nil {
			in.CompareAt = money.DecimalString(*v.CompareAtMinor, v.Currency)
		}
		if v.WeightGrams != 0 {
			in.Weight = strconv.FormatInt(v.WeightGrams, 10)
		}
		f.Variants = append(f.Variants, in)
	}
	return f
}

// productFormFrom reads the posted form as typed, dropping variant rows marked for removal.
func productFormFrom(form url.Values, currency string) pages.ProductForm {
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	f := pages.ProductForm{Title: get("title"), Handle: get("handle"), Description: form.Get("description"),
		Vendor: get("vendor"), Type: get("type"), Tags: get("tags"), Status: get("status"), Currency: currency,
		Options: [3]string{get("option1"), get("option2"), get("option3")}}
	f.Version, _ = strconv.ParseInt(get("version"), 10, 64)
	n, _ := strconv.Atoi(get("vcount"))
	for i := range min(n, models.MaxVariants+1) {
		at := func(k string) string { return get(fmt.Sprintf("v.%d.%s", i, k)) }
		if at("remove") == "1" {
			continue
		}
		v := pages.VariantInput{ID: at("id"), Options: [3]string{at("option1"), at("option2"), at("option3")},
			SKU: at("sku"), Price: at("price"), CompareAt: at("compare_at"), Qty: at("qty"), Barcode: at("barcode"),
			Weight: at("weight"), Policy: models.PolicyDeny}
		if at("continue") == "1" {
			v.Policy = models.PolicyContinue
		}
		f.Variants = append(f.Variants, v)
	}
	return f
}

// productFrom turns the typed form into a product, with the errors of fields that are not numbers.
func productFrom(f pages.ProductForm) (*models.Product, map[string]string) {
	errs := map[string]string{}
	p := &models.Product{ID: f.ID, Version: f.Version, Title: f.Title, Handle: f.Handle, DescriptionHTML: f.Description,
		Vendor: f.Vendor, ProductType: f.Type, Tags: f.Tags, Status: models.ProductStatus(f.Status)}
	p.Option1Name, p.Option2Name, p.Option3Name = f.Options[0], f.Options[1], f.Options[2]
	for i, in := range f.Variants {
		key := func(k string) string { return fmt.Sprintf("variants.%d.%s", i, k) }
		v := models.Variant{SKU: in.SKU, Barcode: in.Barcode, InventoryPolicy: in.Policy}
		v.ID, _ = strconv.ParseInt(in.ID, 10, 64)
		v.SetOptionValues(in.Options[:len(p.Options())])
		if in.Price == "" {
			errs[key("price")] = "Give a price."
		} else if minor, err := money.ParseAmount(in.Price, f.Currency); err != nil {
			errs[key("price")] = capitalize(err.Error()) + "."
		} else {
			v.PriceMinor = minor
		}
		if in.CompareAt != "" {
			if minor, err := money.ParseAmount(in.CompareAt, f.Currency); err != nil {
				errs[key("compare_at")] = capitalize(err.Error()) + "."
			} else {
				v.CompareAtMinor = &minor
			}
		}
		if in.Qty != "" {
			qty, err := strconv.ParseInt(in.Qty, 10, 64)
			if err != nil {
				errs[key("qty")] = "Write the stock as a whole number."
			}
			v.InventoryQty = qty
		}
		if in.Weight != "" {
			w, err := strconv.ParseInt(in.Weight, 10, 64)
			if err != nil {
				errs[key("weight")] = "Write the weight in whole grams."
			}
			v.WeightGrams = w
		}
		p.Variants = append(p.Variants, v)
	}
	return p, errs
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
