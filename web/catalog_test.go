package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/imaging"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/money"
)

// catalogDemo starts a server and returns the demo owner's browser, signed in, and the demo shop's data.
func catalogDemo(t *testing.T) (*testServer, *browser, *models.ShopData) {
	t.Helper()
	ts := newTestServer(t)
	b := ts.browser(t)
	b.signIn("demo@chatshop.test", "demo-password")
	u, err := ts.store.UserByEmail(context.Background(), demo.OwnerEmail)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := ts.store.MembershipsOf(context.Background(), u.ID)
	if err != nil || len(ms) == 0 {
		t.Fatalf("the demo owner's shop: %v", err)
	}
	return ts, b, ts.store.ForShop(ms[0].ShopID)
}

// catalogProducts lists all of the shop's products.
func catalogProducts(t *testing.T, d *models.ShopData) []models.ProductSummary {
	t.Helper()
	page, err := d.ListProducts(context.Background(), models.ProductFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return page.Products
}

func catalogProduct(t *testing.T, d *models.ShopData, id int64) *models.Product {
	t.Helper()
	p, err := d.GetProduct(context.Background(), id)
	if err != nil {
		t.Fatalf("product %d: %v", id, err)
	}
	return p
}

func catalogByHandle(t *testing.T, d *models.ShopData, handle string) *models.Product {
	t.Helper()
	for _, p := range catalogProducts(t, d) {
		if p.Handle == handle {
			return catalogProduct(t, d, p.ID)
		}
	}
	t.Fatalf("no product %q", handle)
	return nil
}

// catalogForm is the create form of a product with one variant.
func catalogForm(title, sku, price string) url.Values {
	return url.Values{"title": {title}, "status": {"active"}, "vendor": {"Desk Co"}, "vcount": {"1"},
		"v.0.price": {price}, "v.0.sku": {sku}, "v.0.qty": {"7"}}
}

// catalogEditForm is the edit form of a stored product, as the page fills it.
func catalogEditForm(p *models.Product) url.Values {
	f := url.Values{"title": {p.Title}, "handle": {p.Handle}, "status": {string(p.Status)}, "vendor": {p.Vendor},
		"tags": {p.Tags}, "option1": {p.Option1Name}, "version": {fmt.Sprint(p.Version)}, "vcount": {fmt.Sprint(len(p.Variants))}}
	for i, v := range p.Variants {
		for k, val := range map[string]string{"id": fmt.Sprint(v.ID), "option1": v.Option1, "sku": v.SKU,
			"price": money.DecimalString(v.PriceMinor, v.Currency), "qty": fmt.Sprint(v.InventoryQty)} {
			f.Set(fmt.Sprintf("v.%d.%s", i, k), val)
		}
	}
	return f
}

// createViaForm posts the create form and returns the new product's id.
func createViaForm(t *testing.T, b *browser, form url.Values) int64 {
	t.Helper()
	res := b.post("/app/products/new", form)
	loc := res.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/app/products/"), 10, 64)
	if res.StatusCode != http.StatusSeeOther || err != nil {
		t.Fatalf("create: %d to %q\n%s", res.StatusCode, loc, res.body)
	}
	return id
}

// postImage submits the image upload form (multipart) with this file and alt text.
func (b *browser) postImage(path, filename string, data []byte, alt string) response {
	return b.postMultipart(path, "image", filename, data, url.Values{"alt": {alt}})
}

// postMultipart submits a form with one file (in the field named field) and other values.
func (b *browser) postMultipart(path, field, filename string, data []byte, values url.Values) response {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	fw, _ := w.CreateFormFile(field, filename)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func TestCatalogCreateRefusalsKeepInputAndSaveNothing(t *testing.T) {
	_, b, shop := catalogDemo(t)
	before := len(catalogProducts(t, shop))
	lamp := func(kv ...string) url.Values {
		f := catalogForm("Desk Lamp", "DESK-1", "10")
		for i := 0; i < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	for _, tc := range []struct {
		name, errorID, kept string
		form                url.Values
	}{
		{"no title", "error-title", `value="DESK-1"`, lamp("title", "")},
		{"price with three decimals", "error-v.0.price", `value="12.345"`, lamp("v.0.price", "12.345")},
		{"no price", "error-v.0.price", `value="Desk Lamp"`, lamp("v.0.price", "")},
		{"stock not a number", "error-v.0.qty", `value="ten"`, lamp("v.0.qty", "ten")},
		{"bad handle", "error-handle", `value="Desk Lamp!"`, lamp("handle", "Desk Lamp!")},
		{"two variants without an option", "error-variants", `value="DESK-2"`, lamp("vcount", "2", "v.1.price", "11", "v.1.sku", "DESK-2")},
		{"SKU of another product", "error-v.0.sku", "Already used by", lamp("v.0.sku", "LS-CAP-01")},
		{"handle of another product", "error-handle", "Already used by", lamp("handle", "trail-runner-cap")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := b.post("/app/products/new", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			for _, want := range []string{`data-testid="form-errors"`, `data-testid="` + tc.errorID + `"`, tc.kept, `value="Desk Co"`} {
				if !strings.Contains(res.body, want) {
					t.Errorf("the re-rendered form lacks %s", want)
				}
			}
			if n := len(catalogProducts(t, shop)); n != before {
				t.Fatalf("a refused form saved a product: %d products, had %d", n, before)
			}
		})
	}
}

func TestCatalogAddVariantRowSavesNothing(t *testing.T) {
	_, b, shop := catalogDemo(t)
	before := len(catalogProducts(t, shop))
	rows := func(body string) int { return strings.Count(body, `data-testid="variant-row"`) }
	if res := b.get("/app/products/new"); res.StatusCode != 200 || rows(res.body) != 1 {
		t.Fatalf("new form: %d with %d rows, want one", res.StatusCode, rows(res.body))
	}
	form := catalogForm("Desk Lamp", "DESK-S", "10.00")
	form.Set("option1", "Size")
	form.Set("v.0.option1", "Small")
	form.Set("op", "add-variant")
	res := b.post("/app/products/new", form)
	if res.StatusCode != 200 || rows(res.body) != 2 || hasTestID(res.body, "form-errors") {
		t.Fatalf("add-variant: %d with %d rows, want 200 with 2 and no errors", res.StatusCode, rows(res.body))
	}
	for _, want := range []string{`value="Small"`, `value="DESK-S"`, `name="v.1.price"`, `name="vcount" value="2"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("add-variant form lacks %s", want)
		}
	}
	// A row marked for removal is dropped from the re-rendered form.
	form.Set("vcount", "2")
	form.Set("v.1.option1", "Large")
	form.Set("v.1.remove", "1")
	if res := b.post("/app/products/new", form); rows(res.body) != 2 || strings.Contains(res.body, `value="Large"`) {
		t.Error("the removed row is still in the form")
	}
	if n := len(catalogProducts(t, shop)); n != before {
		t.Fatalf("add-variant saved a product: %d, had %d", n, before)
	}
}

func TestProductCreateEditAndStaleVersion(t *testing.T) {
	_, b, shop := catalogDemo(t)
	id := createViaForm(t, b, catalogForm("Desk Lamp", "DESK-1", "19.99"))
	path := fmt.Sprintf("/app/products/%d", id)
	p := catalogProduct(t, shop, id)
	if p.Title != "Desk Lamp" || p.Handle != "desk-lamp" || p.Version != 1 || len(p.Variants) != 1 ||
		p.Variants[0].PriceMinor != 1999 || p.Variants[0].SKU != "DESK-1" || p.Variants[0].InventoryQty != 7 {
		t.Fatalf("stored product: %+v %+v", p, p.Variants)
	}
	if page := b.get(path); page.StatusCode != 200 || !strings.Contains(page.body, `value="19.99"`) || !strings.Contains(page.body, `value="Desk Lamp"`) {
		t.Fatalf("edit page: %d", page.StatusCode)
	}

	// Two tabs open version 1; the first saves.
	stale, first := catalogEditForm(p), catalogEditForm(p)
	first.Set("title", "Desk Lamp Pro")
	first.Set("v.0.price", "24.50")
	if res := b.post(path, first); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", res.StatusCode, res.body)
	}
	if got := catalogProduct(t, shop, id); got.Title != "Desk Lamp Pro" || got.Version != 2 || got.Variants[0].PriceMinor != 2450 || got.Variants[0].ID != p.Variants[0].ID {
		t.Fatalf("after edit: %+v %+v", got, got.Variants)
	}
	// The second saves from version 1: refused, its input kept, the first edit untouched.
	stale.Set("title", "Desk Lamp Classic")
	res := b.post(path, stale)
	if res.StatusCode != http.StatusConflict || !hasTestID(res.body, "conflict") || !strings.Contains(res.body, `value="Desk Lamp Classic"`) {
		t.Fatalf("stale edit: %d, conflict shown %v", res.StatusCode, hasTestID(res.body, "conflict"))
	}
	if !strings.Contains(res.body, `name="version" value="2"`) {
		t.Error("the conflict form does not carry the latest version")
	}
	if got := catalogProduct(t, shop, id); got.Title != "Desk Lamp Pro" || got.Version != 2 {
		t.Fatalf("the stale edit overwrote: %q v%d", got.Title, got.Version)
	}
	// Saving again, knowingly, from the latest version works.
	stale.Set("version", "2")
	if res := b.post(path, stale); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save again: %d", res.StatusCode)
	}
	latest := catalogProduct(t, shop, id)
	if latest.Title != "Desk Lamp Classic" || latest.Version != 3 || latest.Variants[0].PriceMinor != 1999 {
		t.Fatalf("after saving again: %q v%d", latest.Title, latest.Version)
	}

	// An edit taking another product's SKU or handle, or a bad price, is refused on that field.
	for _, tc := range []struct{ field, value string }{{"v.0.sku", "HP-MUG-12"}, {"handle", "enamel-camp-mug"}, {"v.0.price", "3.999"}} {
		t.Run("refused "+tc.field, func(t *testing.T) {
			f := catalogEditForm(latest)
			f.Set(tc.field, tc.value)
			res := b.post(path, f)
			if res.StatusCode != http.StatusUnprocessableEntity || !hasTestID(res.body, "error-"+tc.field) || !strings.Contains(res.body, `value="`+tc.value+`"`) {
				t.Fatalf("%s=%s: %d, error shown %v", tc.field, tc.value, res.StatusCode, hasTestID(res.body, "error-"+tc.field))
			}
			if got := catalogProduct(t, shop, id); got.Version != 3 || got.Handle != "desk-lamp" || got.Variants[0].SKU != "DESK-1" || got.Variants[0].PriceMinor != 1999 {
				t.Fatalf("refused edit changed the product: v%d %q %+v", got.Version, got.Handle, got.Variants[0])
			}
		})
	}
}

func TestProductImagesUploadAndServe(t *testing.T) {
	ts, b, shop := catalogDemo(t)
	mug := catalogByHandle(t, shop, "enamel-camp-mug")
	path := fmt.Sprintf("/app/products/%d/images", mug.ID)

	res := b.postImage(path, "notes.png", []byte("just some text, not a picture"), "x")
	if res.StatusCode != http.StatusUnprocessableEntity || !hasTestID(res.body, "error-image") {
		t.Fatalf("text upload: %d, error shown %v", res.StatusCode, hasTestID(res.body, "error-image"))
	}
	if got := catalogProduct(t, shop, mug.ID); len(got.Images) != 1 {
		t.Fatalf("the refused upload added an image: %d", len(got.Images))
	}

	png := imaging.Placeholder("Catalog Test Mug", 123)
	sum := sha256.Sum256(png)
	digest := hex.EncodeToString(sum[:])
	if res := b.postImage(path, "mug.png", png, "Mug on a desk"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("/app/products/%d", mug.ID) {
		t.Fatalf("upload: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	got := catalogProduct(t, shop, mug.ID)
	if len(got.Images) != 2 || got.Images[1].Digest == nil || *got.Images[1].Digest != digest || got.Images[1].Alt != "Mug on a desk" || got.Images[1].Position != 2 || got.Version != mug.Version {
		t.Fatalf("after upload: v%d, images %+v", got.Version, got.Images)
	}
	if page := b.get(fmt.Sprintf("/app/products/%d", mug.ID)).body; strings.Count(page, `data-testid="image-row"`) != 2 || !strings.Contains(page, "/images/"+digest+"/thumb") {
		t.Error("the edit page does not show the new image")
	}

	// Served publicly, cacheable for good.
	anon := ts.browser(t)
	img := anon.get("/images/" + digest)
	if img.StatusCode != 200 || img.body != string(png) || img.Header.Get("Content-Type") != "image/png" ||
		img.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || img.Header.Get("ETag") != `"`+digest+`"` {
		t.Fatalf("image: %d %q %q %q, %d bytes", img.StatusCode, img.Header.Get("Content-Type"), img.Header.Get("Cache-Control"), img.Header.Get("ETag"), len(img.body))
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/images/"+digest, nil)
	req.Header.Set("If-None-Match", `"`+digest+`"`)
	if res := anon.do(req); res.StatusCode != http.StatusNotModified || res.body != "" {
		t.Fatalf("revalidation: %d", res.StatusCode)
	}
	if th := anon.get("/images/" + digest + "/thumb"); th.StatusCode != 200 || th.Header.Get("Content-Type") != "image/jpeg" || len(th.body) == 0 || len(th.body) >= len(png) {
		t.Fatalf("thumb: %d %q %d bytes", th.StatusCode, th.Header.Get("Content-Type"), len(th.body))
	}
	for _, p := range []string{"/images/" + strings.Repeat("0", 64), "/images/" + digest + "/huge", "/images/" + strings.ToUpper(digest), "/images/nope"} {
		if res := anon.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.StatusCode)
		}
	}

	// Alt text, order and removal; the list shows the first image as the cover.
	newID, oldID := got.Images[1].ID, got.Images[0].ID
	listed := func() string { return b.get("/app/products?q=enamel+camp+mug").body }
	if oldCover := got.Images[0].ThumbPath(); !strings.Contains(listed(), oldCover) || strings.Contains(listed(), digest) {
		t.Errorf("before the move, the list does not show the first image %s alone as the cover", oldCover)
	}
	b.post(fmt.Sprintf("%s/%d", path, newID), url.Values{"alt": {" Blue mug "}})
	b.post(fmt.Sprintf("%s/%d/move", path, newID), url.Values{"delta": {"-1"}})
	if got = catalogProduct(t, shop, mug.ID); got.Images[0].ID != newID || got.Images[0].Alt != "Blue mug" || got.Images[1].ID != oldID {
		t.Fatalf("after alt and move: %+v", got.Images)
	}
	if !strings.Contains(listed(), "/images/"+digest+"/thumb") {
		t.Error("after the move, the list does not show the new first image as the cover")
	}
	if res := b.post(fmt.Sprintf("%s/%d/delete", path, oldID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete image: %d", res.StatusCode)
	}
	if got = catalogProduct(t, shop, mug.ID); len(got.Images) != 1 || got.Images[0].ID != newID || got.Images[0].Position != 1 {
		t.Fatalf("after delete: %+v", got.Images)
	}
}

func TestCatalogBulkActions(t *testing.T) {
	ts, b, shop := catalogDemo(t)
	picked := []*models.Product{catalogByHandle(t, shop, "trail-runner-cap"), catalogByHandle(t, shop, "enamel-camp-mug")}
	ids := []string{fmt.Sprint(picked[0].ID), fmt.Sprint(picked[1].ID)}
	bulk := func(b *browser, action string, confirm bool) int {
		form := url.Values{"ids": ids, "action": {action}}
		if confirm {
			form.Set("confirm", "1")
		}
		return b.post("/app/products/bulk", form).StatusCode
	}
	statuses := func(want models.ProductStatus, version int64) {
		t.Helper()
		for _, p := range picked {
			if got := catalogProduct(t, shop, p.ID); got.Status != want || got.Version != p.Version+version {
				t.Fatalf("%s: %s v%d, want %s v%d", p.Handle, got.Status, got.Version, want, p.Version+version)
			}
		}
	}
	if code := bulk(b, "archived", false); code != http.StatusSeeOther {
		t.Fatalf("archive: %d", code)
	}
	statuses(models.ProductArchived, 1)
	if code := bulk(b, "sold", false); code != http.StatusBadRequest {
		t.Errorf("unknown action: %d, want 400", code)
	}
	other := ts.signUp(t, "Other Goods", "other@example.com")
	for _, action := range []string{"active", "delete"} {
		if code := bulk(other, action, true); code != http.StatusNotFound {
			t.Errorf("another shop's %s: %d, want 404", action, code)
		}
	}
	statuses(models.ProductArchived, 1)

	res := b.post("/app/products/bulk", url.Values{"ids": ids, "action": {"delete"}})
	if res.StatusCode != 200 || !hasTestID(res.body, "confirm") || !strings.Contains(res.body, "Trail Runner Cap") || !strings.Contains(res.body, "Enamel Camp Mug") {
		t.Fatalf("delete without confirm: %d, confirm shown %v", res.StatusCode, hasTestID(res.body, "confirm"))
	}
	statuses(models.ProductArchived, 1)
	if code := bulk(b, "delete", true); code != http.StatusSeeOther {
		t.Fatalf("confirmed delete: %d", code)
	}
	for _, p := range picked {
		if _, err := shop.GetProduct(context.Background(), p.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s after delete: %v", p.Handle, err)
		}
	}
	if n := len(catalogProducts(t, shop)); n != 6 {
		t.Errorf("%d products left, want 6", n)
	}
	if list := b.get("/app/products?q=LS-CAP-01"); strings.Contains(list.body, `data-testid="product-row"`) {
		t.Error("a deleted product is still found by its SKU")
	}
}

func TestCatalogListSearchFiltersAndCursor(t *testing.T) {
	_, b, _ := catalogDemo(t)
	for _, tc := range []struct {
		query string
		rows  int
		want  string
	}{
		{"", 8, "Canvas Weekender Bag"},
		{"q=HP-WKND-NVY", 1, "Canvas Weekender Bag"},
		{"q=ls-sock", 1, "Merino Crew Socks"},
		{"q=merino+socks", 1, "Merino Crew Socks"},
		{"q=nothing-like-this", 0, "clear-filters"},
		{"status=draft", 1, "Insulated Bottle 750 ml"},
		{"vendor=Juniper+Home", 2, "Cedar &amp; Sage Soy Candle"},
		{"tag=wool", 2, "Classic Wool Blanket"},
		{"low=1", 4, "Packable Rain Shell"},
		{"sort=price-desc", 8, "Classic Wool Blanket"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			res := b.get("/app/products?" + tc.query)
			if n := strings.Count(res.body, `data-testid="product-row"`); res.StatusCode != 200 || n != tc.rows || !strings.Contains(res.body, tc.want) {
				t.Fatalf("%d with %d rows, want %d rows with %q", res.StatusCode, n, tc.rows, tc.want)
			}
			if hasTestID(res.body, "next-page") {
				t.Error("a next-page link on the only page")
			}
		})
	}
	for _, after := range []string{"!!!", "bm90LWpzb24", "eyJrIjoieCIsImkiOjF9"} { // not base64, not JSON, not a time
		if res := b.get("/app/products?sort=updated&after=" + url.QueryEscape(after)); res.StatusCode != http.StatusBadRequest {
			t.Errorf("after=%s: %d, want 400", after, res.StatusCode)
		}
	}
}

func TestCatalogStaffCanEditProducts(t *testing.T) {
	ts, owner, shop := catalogDemo(t)
	staff := ts.join(t, invite(t, owner, "sam@example.com", "staff"), "Sam Staff")
	candle := catalogByHandle(t, shop, "cedar-soy-candle")
	form := catalogEditForm(candle)
	form.Set("v.0.qty", "99")
	if res := staff.post(fmt.Sprintf("/app/products/%d", candle.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff edit: %d", res.StatusCode)
	}
	if got := catalogProduct(t, shop, candle.ID); got.Variants[0].InventoryQty != 99 || got.TotalInventory != 99 {
		t.Fatalf("after staff edit: qty %d, total %d", got.Variants[0].InventoryQty, got.TotalInventory)
	}
	createViaForm(t, staff, catalogForm("Staff Pick", "STAFF-1", "5"))
}
