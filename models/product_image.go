package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm/clause"
)

// ProductImage is one picture of a product: uploaded (its bytes are an ImageBlob, found by Digest)
// or given by URL in an import (SrcURL).
type ProductImage struct {
	ID        int64
	ShopID    int64
	ProductID int64
	Position  int
	Alt       string
	Digest    *string
	SrcURL    string
	CreatedAt time.Time
}

// ImageBlob is an uploaded image, stored once per content, with a thumbnail.
type ImageBlob struct {
	Digest      string `gorm:"primaryKey"`
	ContentType string
	Width       int
	Height      int
	Data        []byte
	Thumb       []byte
	CreatedAt   time.Time
}

// ImagePathPrefix is where uploaded images are served; the path ends with the content's digest, so
// an image's URL never changes meaning and can be cached for good.
const ImagePathPrefix = "/images/"

// Path is the image's URL: its own path under ImagePathPrefix, or the URL it was imported from.
func (i *ProductImage) Path() string {
	if i.Digest != nil {
		return ImagePathPrefix + *i.Digest
	}
	return i.SrcURL
}

// ThumbPath is a small version's URL, for lists.
func (i *ProductImage) ThumbPath() string {
	if i.Digest != nil {
		return ImagePathPrefix + *i.Digest + "/thumb"
	}
	return i.SrcURL
}

// AbsoluteURL is Path made absolute with the server's base URL (for Messenger and exports).
func (i *ProductImage) AbsoluteURL(baseURL string) string {
	if i.Digest != nil {
		return strings.TrimRight(baseURL, "/") + i.Path()
	}
	return i.SrcURL
}

// AddProductImage stores an uploaded image (blob shared when the content is already known) as the
// product's last image.
func (d *ShopData) AddProductImage(ctx context.Context, productID int64, blob *ImageBlob, alt string) (*ProductImage, error) {
	img := &ProductImage{ShopID: d.shopID, ProductID: productID, Alt: strings.TrimSpace(alt), Digest: &blob.Digest}
	err := d.s.Transaction(ctx, func(tx *Tx) error {
		p, err := tx.productForUpdate(d.shopID, productID)
		if err != nil {
			return err
		}
		if p.ImageCount >= MaxImages {
			return ErrConflict
		}
		blob.CreatedAt = tx.now()
		if err := tx.db.Clauses(clause.OnConflict{DoNothing: true}).Create(blob).Error; err != nil {
			return err
		}
		img.Position, img.CreatedAt = p.ImageCount+1, tx.now()
		if err := tx.db.Create(img).Error; err != nil {
			return err
		}
		return tx.touchProduct(p)
	})
	return img, err
}

// UpdateProductImage changes an image's alt text.
func (d *ShopData) UpdateProductImage(ctx context.Context, productID, imageID int64, alt string) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		p, err := tx.productForUpdate(d.shopID, productID)
		if err != nil {
			return err
		}
		res := tx.db.Model(&ProductImage{}).Where("id = ? AND product_id = ?", imageID, p.ID).Update("alt", strings.TrimSpace(alt))
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return errors.Join(res.Error, tx.touchProduct(p))
	})
}

// MoveProductImage moves an image by delta places (-1 earlier, +1 later) among the product's images.
func (d *ShopData) MoveProductImage(ctx context.Context, productID, imageID int64, delta int) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		p, imgs, at, err := tx.imagesOf(d.shopID, productID, imageID)
		if err != nil {
			return err
		}
		to := min(max(at+delta, 0), len(imgs)-1)
		img := imgs[at]
		imgs = append(imgs[:at], imgs[at+1:]...)
		imgs = append(imgs[:to], append([]ProductImage{img}, imgs[to:]...)...)
		return tx.renumberImages(p, imgs)
	})
}

// DeleteProductImage removes an image from the product.
func (d *ShopData) DeleteProductImage(ctx context.Context, productID, imageID int64) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		p, imgs, at, err := tx.imagesOf(d.shopID, productID, imageID)
		if err != nil {
			return err
		}
		if err := tx.db.Delete(&ProductImage{}, imgs[at].ID).Error; err != nil {
			return err
		}
		return tx.renumberImages(p, append(imgs[:at], imgs[at+1:]...))
	})
}

// ImageBlob reads an uploaded image by its digest. Images are public: Messenger fetches them.
func (s *Store) ImageBlob(ctx context.Context, digest string, thumb bool) (*ImageBlob, error) {
	var b ImageBlob
	cols := "digest, content_type, width, height, data"
	if thumb {
		cols = "digest, content_type, width, height, thumb AS data"
	}
	err := s.r.WithContext(ctx).Model(&ImageBlob{}).Select(cols).Where("digest = ?", digest).Take(&b).Error
	if thumb {
		b.ContentType = "image/jpeg"
	}
	return &b, translate(err)
}

func (tx *Tx) productForUpdate(shopID, productID int64) (*Product, error) {
	var p Product
	if err := tx.db.Where("id = ? AND shop_id = ?", productID, shopID).Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// imagesOf loads the product, its images in order and the index of imageID among them.
func (tx *Tx) imagesOf(shopID, productID, imageID int64) (*Product, []ProductImage, int, error) {
	p, err := tx.productForUpdate(shopID, productID)
	if err != nil {
		return nil, nil, 0, err
	}
	var imgs []ProductImage
	if err := tx.db.Where("product_id = ?", p.ID).Order("position, id").Find(&imgs).Error; err != nil {
		return nil, nil, 0, err
	}
	for i := range imgs {
		if imgs[i].ID == imageID {
			return p, imgs, i, nil
		}
	}
	return nil, nil, 0, ErrNotFound
}

func (tx *Tx) renumberImages(p *Product, imgs []ProductImage) error {
	for i := range imgs {
		if err := tx.db.Model(&ProductImage{}).Where("id = ?", imgs[i].ID).Update("position", i+1).Error; err != nil {
			return err
		}
	}
	return tx.touchProduct(p)
}

// touchProduct records that the product's images changed and refreshes its figures. The version
// stays: images are managed apart from the edit form, so they never make its save a conflict.
func (tx *Tx) touchProduct(p *Product) error {
	if err := tx.db.Model(&Product{}).Where("id = ?", p.ID).Update("updated_at", tx.now()).Error; err != nil {
		return err
	}
	return tx.refreshProduct(p)
}

// replaceImages makes the product's images the given list, in order: an image already there (same
// URL or same uploaded content) keeps its id, the others are added, the rest removed. Uploaded
// content that is not here (an export of another installation) is left out. The caller refreshes
// the product's figures.
func (tx *Tx) replaceImages(p *Product, images []ProductImage) error {
	var old []ProductImage
	if err := tx.db.Where("product_id = ?", p.ID).Find(&old).Error; err != nil {
		return err
	}
	oldByKey := map[string]ProductImage{}
	for _, img := range old {
		oldByKey[img.Path()] = img
	}
	kept := map[int64]bool{}
	position := 0
	for _, img := range images {
		if prev, ok := oldByKey[img.Path()]; ok && !kept[prev.ID] {
			kept[prev.ID] = true
			position++
			if err := tx.db.Model(&ProductImage{}).Where("id = ?", prev.ID).
				Updates(map[string]any{"position": position, "alt": img.Alt}).Error; err != nil {
				return err
			}
			continue
		}
		if !tx.imageKnown(img) {
			continue
		}
		position++
		fresh := ProductImage{ShopID: p.ShopID, ProductID: p.ID, Position: position, Alt: img.Alt, Digest: img.Digest,
			SrcURL: img.SrcURL, CreatedAt: tx.now()}
		if err := tx.db.Create(&fresh).Error; err != nil {
			return err
		}
	}
	var gone []int64
	for _, img := range old {
		if !kept[img.ID] {
			gone = append(gone, img.ID)
		}
	}
	if len(gone) > 0 {
		return tx.db.Where("id IN ?", gone).Delete(&ProductImage{}).Error
	}
	return nil
}

// imageKnown reports whether an image can be shown: given by URL, or uploaded content that is here.
func (tx *Tx) imageKnown(img ProductImage) bool {
	if img.Digest == nil {
		return true
	}
	var n int64
	tx.db.Model(&ImageBlob{}).Where("digest = ?", *img.Digest).Count(&n)
	return n > 0
}
