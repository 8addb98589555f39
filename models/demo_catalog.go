package models

import (
	"context"
	"fmt"
	"sync"

	"github.com/chatshop/chatshop/imaging"
)

// demoProduct is a product of the demo catalog and the hue of its placeholder picture.
type demoProduct struct {
	Product
	hue int
}

func demoCatalog() []demoProduct {
	variant := func(sku string, cents, qty int64, values ...string) Variant {
		v := Variant{SKU: sku, PriceMinor: cents, Currency: "USD", InventoryQty: qty, InventoryPolicy: PolicyDeny}
		v.SetOptionValues(values)
		return v
	}
	return []demoProduct{
		{Product{Handle: "trail-runner-cap", Title: "Trail Runner Cap", Vendor: "Lakeside", ProductType: "Hats", Tags: "outdoor, summer", Status: ProductActive,
			DescriptionHTML: "<p>Lightweight, quick-dry cap with a curved brim.</p>",
			Variants:        []Variant{variant("LS-CAP-01", 2400, 40)}}, 205},
		{Product{Handle: "merino-crew-socks", Title: "Merino Crew Socks", Vendor: "Lakeside", ProductType: "Socks", Tags: "wool, bestseller", Status: ProductActive,
			DescriptionHTML: "<p>Soft merino wool socks that stay warm when wet.</p>", Option1Name: "Size",
			Variants: []Variant{variant("LS-SOCK-S", 1800, 25, "S"), variant("LS-SOCK-M", 1800, 32, "M"), variant("LS-SOCK-L", 1800, 12, "L")}}, 20},
		{Product{Handle: "canvas-weekender", Title: "Canvas Weekender Bag", Vendor: "Harbor & Pine", ProductType: "Bags", Tags: "travel", Status: ProductActive,
			DescriptionHTML: "<p>Waxed canvas with leather handles; fits a weekend.</p>", Option1Name: "Color",
			Variants: []Variant{variant("HP-WKND-OLV", 12900, 6, "Olive"), variant("HP-WKND-NVY", 12900, 3, "Navy")}}, 95},
		{Product{Handle: "enamel-camp-mug", Title: "Enamel Camp Mug", Vendor: "Harbor & Pine", ProductType: "Kitchen", Tags: "camping", Status: ProductActive,
			DescriptionHTML: "<p>12 oz enamel steel mug for the trail and the desk.</p>",
			Variants:        []Variant{variant("HP-MUG-12", 1600, 58)}}, 0},
		{Product{Handle: "packable-rain-shell", Title: "Packable Rain Shell", Vendor: "Lakeside", ProductType: "Jackets", Tags: "rain, outdoor", Status: ProductActive,
			DescriptionHTML: "<p>Waterproof shell that packs into its own pocket.</p>", Option1Name: "Size",
			Variants: []Variant{variant("LS-SHELL-S", 8900, 4, "S"), variant("LS-SHELL-M", 8900, 9, "M"), variant("LS-SHELL-L", 8900, 0, "L")}}, 170},
		{Product{Handle: "cedar-soy-candle", Title: "Cedar & Sage Soy Candle", Vendor: "Juniper Home", ProductType: "Home", Tags: "gift", Status: ProductActive,
			DescriptionHTML: "<p>Hand-poured soy candle, 40 hours of burn time.</p>",
			Variants:        []Variant{variant("JH-CNDL-CS", 2800, 21)}}, 40},
		{Product{Handle: "insulated-bottle", Title: "Insulated Bottle 750 ml", Vendor: "Lakeside", ProductType: "Bottles", Tags: "outdoor", Status: ProductDraft,
			DescriptionHTML: "<p>Keeps drinks cold for 24 hours.</p>",
			Variants:        []Variant{variant("LS-BTL-750", 3400, 0)}}, 190},
		{Product{Handle: "wool-blanket-classic", Title: "Classic Wool Blanket", Vendor: "Juniper Home", ProductType: "Home", Tags: "wool, winter", Status: ProductArchived,
			DescriptionHTML: "<p>Our original stripe blanket.</p>",
			Variants:        []Variant{variant("JH-BLNK-01", 14500, 2)}}, 330},
	}
}

// createDemoCatalog adds the demo products with their pictures.
func (s *Store) createDemoCatalog(ctx context.Context, shopID int64) error {
	d := s.ForShop(shopID)
	for _, dp := range demoCatalog() {
		p := dp.Product
		if err := d.CreateProduct(ctx, &p, Actor{}); err != nil {
			return err
		}
		if err := d.addDemoImage(ctx, p.ID, p.Title, dp.hue); err != nil {
			return err
		}
	}
	return nil
}

// ensureDemoImages gives the demo products made before images existed their pictures.
func (s *Store) ensureDemoImages(ctx context.Context, shopID int64) error {
	d := s.ForShop(shopID)
	for _, dp := range demoCatalog() {
		var p Product
		err := s.r.WithContext(ctx).Where("shop_id = ? AND handle = ? AND image_count = 0", shopID, dp.Handle).Take(&p).Error
		if err != nil {
			continue
		}
		if err := d.addDemoImage(ctx, p.ID, p.Title, dp.hue); err != nil {
			return err
		}
	}
	return nil
}

func (d *ShopData) addDemoImage(ctx context.Context, productID int64, title string, hue int) error {
	prepared, err := demoPicture(ctx, title, hue)
	if err != nil {
		return err
	}
	_, err = d.AddProductImage(ctx, productID, BlobOf(prepared), title)
	return err
}

// demoPictures keeps the drawn demo pictures: drawing and scaling them is the slow part of creating
// a demo shop, which tests do often.
var demoPictures sync.Map

func demoPicture(ctx context.Context, title string, hue int) (*imaging.Prepared, error) {
	key := fmt.Sprint(title, "|", hue)
	if p, ok := demoPictures.Load(key); ok {
		return p.(*imaging.Prepared), nil
	}
	p, err := imaging.Prepare(ctx, imaging.Placeholder(title, hue))
	if err != nil {
		return nil, err
	}
	demoPictures.Store(key, p)
	return p, nil
}

// BlobOf is a prepared image as the store keeps it.
func BlobOf(p *imaging.Prepared) *ImageBlob {
	return &ImageBlob{Digest: p.Digest, ContentType: p.ContentType, Width: p.Width, Height: p.Height, Data: p.Data, Thumb: p.Thumb}
}
