package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/bot"
	"github.com/chatshop/chatshop/catalog"
	"github.com/chatshop/chatshop/imaging"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/pages"
)

// ImageStore serves uploaded images.
type ImageStore interface {
	ImageBlob(ctx context.Context, digest string, thumb bool) (*models.ImageBlob, error)
}

// UploadProductImage adds an uploaded picture to a product; a file that is not an image, or a
// picture too large to decode, re-renders the form with the reason (422).
func (h *Handlers) UploadProductImage(c echo.Context) error {
	p, err := h.productOf(c)
	if err != nil {
		return err
	}
	data, problem := readUpload(c, "image", imaging.MaxUploadBytes)
	var prepared *imaging.Prepared
	if problem == "" {
		ctx := c.Request().Context()
		if prepared, err = imaging.Prepare(ctx, data); err != nil {
			if ctx.Err() != nil {
				return err // the upload was abandoned while it waited to be decoded
			}
			problem = capitalize(err.Error()) + "."
		}
	}
	if problem != "" {
		f := productFormOf(p)
		f.Errors = map[string]string{"image": problem}
		return h.renderProductForm(c, http.StatusUnprocessableEntity, f)
	}
	if _, err := ViewerOf(c).Data.AddProductImage(c.Request().Context(), p.ID, catalog.ImageBlob(prepared), c.FormValue("alt")); err != nil {
		if errors.Is(err, models.ErrConflict) {
			h.flash(c, "error", fmt.Sprintf("A product can have at most %d images.", models.MaxImages))
			return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/app/products/%d", p.ID))
		}
		return err
	}
	h.flash(c, "success", "Image added.")
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/app/products/%d", p.ID))
}

// UpdateProductImage saves an image's alt text.
func (h *Handlers) UpdateProductImage(c echo.Context) error {
	return h.imageAction(c, "Alt text saved.", func(d *models.ShopData, productID, imageID int64) error {
		return d.UpdateProductImage(c.Request().Context(), productID, imageID, c.FormValue("alt"))
	})
}

// MoveProductImage moves an image up or down.
func (h *Handlers) MoveProductImage(c echo.Context) error {
	return h.imageAction(c, "", func(d *models.ShopData, productID, imageID int64) error {
		delta := 1
		if c.FormValue("delta") == "-1" {
			delta = -1
		}
		return d.MoveProductImage(c.Request().Context(), productID, imageID, delta)
	})
}

// DeleteProductImage removes an image.
func (h *Handlers) DeleteProductImage(c echo.Context) error {
	return h.imageAction(c, "Image removed.", func(d *models.ShopData, productID, imageID int64) error {
		return d.DeleteProductImage(c.Request().Context(), productID, imageID)
	})
}

func (h *Handlers) imageAction(c echo.Context, done string, act func(d *models.ShopData, productID, imageID int64) error) error {
	productID, err1 := pathID(c)
	imageID, err2 := pathParam(c, "image")
	if err1 != nil || err2 != nil {
		return models.ErrNotFound
	}
	if err := act(ViewerOf(c).Data, productID, imageID); err != nil {
		return err
	}
	if done != "" {
		h.flash(c, "success", done)
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/app/products/%d", productID))
}

// ServeImage serves an uploaded image (or its thumbnail) by digest, cacheable for a year: the URL
// changes whenever the content does. Public, as Messenger fetches product pictures.
func (h *Handlers) ServeImage(c echo.Context) error {
	digest := c.Param("digest")
	size := c.Param("size")
	if len(digest) != 64 || strings.Trim(digest, "0123456789abcdef") != "" || (size != "" && size != "thumb") {
		return models.ErrNotFound
	}
	if match := c.Request().Header.Get("If-None-Match"); match == `"`+digest+`"` {
		return c.NoContent(http.StatusNotModified)
	}
	blob, err := h.Images.ImageBlob(c.Request().Context(), digest, size == "thumb")
	if err != nil {
		return err
	}
	hd := c.Response().Header()
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("ETag", `"`+digest+`"`)
	hd.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, blob.ContentType, blob.Data)
}

// readUpload reads one uploaded file of at most limit bytes; the problem is for people.
func readUpload(c echo.Context, field string, limit int64) ([]byte, string) {
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, "Choose a file to upload."
	}
	if fh.Size > limit {
		return nil, fmt.Sprintf("The file is %.1f MB; the limit is %d MB.", float64(fh.Size)/(1<<20), limit>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "The file could not be read; try again."
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(f, limit+1)); err != nil || int64(buf.Len()) > limit {
		return nil, "The file could not be read; try again."
	}
	return buf.Bytes(), ""
}

func imageViews(p *models.Product) []pages.ImageView {
	views := []pages.ImageView{}
	for _, img := range p.Images {
		views = append(views, pages.ImageView{ID: img.ID, Src: img.ThumbPath(), Alt: img.Alt, Position: img.Position})
	}
	return views
}

// messengerCard is the product's carousel card as the bot sends it (bot.Card), and why it is not
// offered.
func messengerCard(p *models.Product) pages.MessengerCard {
	sent := bot.Card(p, "")
	card := pages.MessengerCard{Offered: p.Offered, Title: sent.Title, Subtitle: sent.Subtitle}
	for _, b := range sent.Buttons {
		card.Buttons = append(card.Buttons, b.Title)
	}
	if len(p.Images) > 0 {
		card.Image = p.Images[0].Path()
	}
	switch {
	case p.Status != models.ProductActive:
		card.Why = "the product is " + string(p.Status) + "."
	case len(p.Images) == 0:
		card.Why = "add an image."
	case !p.Offered:
		card.Why = "every variant is out of stock."
	}
	return card
}
