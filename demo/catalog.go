package demo

import (
	"context"
	"fmt"
	"sync"

	"github.com/chatshop/chatshop/catalog"
	"github.com/chatshop/chatshop/imaging"
	"github.com/chatshop/chatshop/models"
)

// demoProduct is a product of the demo catalog and the hue of its placeholder picture.
type demoProduct struct {
	models.Product
	hue int
}

func demoCatalog() []demoProduct {
	variant := func(sku string, cents, qty int64, values ...string) models.Variant {
		v := models.Variant{SKU: sku, PriceMinor: cents, Currency: "USD", InventoryQty: qty, InventoryPolicy: models.PolicyDeny}
		v.SetOptionValues(values)
		return v
	}
	return []demoProduct{
		{models.Product{Handle: "trail-runner-cap", Title: "Trail Runner Cap", Vendor: "Lakeside", ProductType: "Hats", Tags: "outdoor, summer", Status: models.ProductActive,
			DescriptionHTML: "<p>Lightweight, quick-dry cap with a curved brim.</p>",
			Variants:        []models.Variant{variant("LS-CAP-01", 2400, 40)}}, 205},
		{models.Product{Handle: "merino-crew-socks", Title: "Merino Crew Socks", Vendor: "Lakeside", ProductType: "Socks", Tags: "wool, bestseller", Status: models.ProductActive,
			DescriptionHTML: "<p>Soft merino wool socks that stay warm when wet.</p>", Option1Name: "Size",
			Variants: []models.Variant{variant("LS-SOCK-S", 1800, 25, "S"), variant("LS-SOCK-M", 1800, 32, "M"), variant("LS-SOCK-L", 1800, 12, "L")}}, 20},
		{models.Product{Handle: "canvas-weekender", Title: "Canvas Weekender Bag", Vendor: "Harbor & Pine", ProductType: "Bags", Tags: "travel", Status: models.ProductActive,
			DescriptionHTML: "<p>Waxed canvas with leather handles; fits a weekend.</p>", Option1Name: "Color",
			Variants: []models.Variant{variant("HP-WKND-OLV", 12900, 6, "Olive"), variant("HP-WKND-NVY", 12900, 3, "Navy")}}, 95},
		{models.Product{Handle: "enamel-camp-mug", Title: "Enamel Camp Mug", Vendor: "Harbor & Pine", ProductType: "Kitchen", Tags: "camping", Status: models.ProductActive,
			DescriptionHTML: "<p>12 oz enamel steel mug for the trail and the desk.</p>",
			Variants:        []models.Variant{variant("HP-MUG-12", 1600, 58)}}, 0},
		{models.Product{Handle: "packable-rain-shell", Title: "Packable Rain Shell", Vendor: "Lakeside", ProductType: "Jackets", Tags: "rain, outdoor", Status: models.ProductActive,
			DescriptionHTML: "<p>Waterproof shell that packs into its own pocket.</p>", Option1Name: "Size",
			Variants: []models.Variant{variant("LS-SHELL-S", 8900, 4, "S"), variant("LS-SHELL-M", 8900, 9, "M"), variant("LS-SHELL-L", 8900, 0, "L")}}, 170},
		{models.Product{Handle: "cedar-soy-candle", Title: "Cedar & Sage Soy Candle", Vendor: "Juniper Home", ProductType: "Home", Tags: "gift", Status: models.ProductActive,
			DescriptionHTML: "<p>Hand-poured soy candle, 40 hours of burn time.</p>",
			Variants:        []models.Variant{variant("JH-CNDL-CS", 2800, 21)}}, 40},
		{models.Product{Handle: "insulated-bottle", Title: "Insulated Bottle 750 ml", Vendor: "Lakeside", ProductType: "Bottles", Tags: "outdoor", Status: models.ProductDraft,
			DescriptionHTML: "<p>Keeps drinks cold for 24 hours.</p>",
			Variants:        []models.Variant{variant("LS-BTL-750", 3400, 0)}}, 190},
		{models.Product{Handle: "wool-blanket-classic", Title: "Classic Wool Blanket", Vendor: "Juniper Home", ProductType: "Home", Tags: "wool, winter", Status: models.ProductArchived,
			DescriptionHTML: "<p>Our original stripe blanket.</p>",
			Variants:        []models.Variant{variant("JH-BLNK-01", 14500, 2)}}, 330},
	}
}

// createCatalog adds the demo products with their pictures.
func createCatalog(ctx context.Context, shop *models.ShopData) error {
	for _, dp := range demoCatalog() {
		p := dp.Product
		if err := shop.CreateProduct(ctx, &p, models.Actor{}); err != nil {
			return err
		}
		if err := addPicture(ctx, shop, p.ID, p.Title, dp.hue); err != nil {
			return err
		}
	}
	return nil
}

// ensurePictures gives the demo products made before images existed their pictures.
func ensurePictures(ctx context.Context, shop *models.ShopData) error {
	products, err := shop.ProductsAfter(ctx, 0, 50) // the demo's are the shop's first
	if err != nil {
		return err
	}
	for _, dp := range demoCatalog() {
		for _, p := range products {
			if p.Handle != dp.Handle || p.ImageCount > 0 {
				continue
			}
			if err := addPicture(ctx, shop, p.ID, p.Title, dp.hue); err != nil {
				return err
			}
		}
	}
	return nil
}

func addPicture(ctx context.Context, shop *models.ShopData, productID int64, title string, hue int) error {
	blob, err := Picture(ctx, title, hue)
	if err != nil {
		return err
	}
	_, err = shop.AddProductImage(ctx, productID, blob, title)
	return err
}

// pictures keeps the drawn demo pictures: drawing and scaling them is the slow part of creating
// a demo shop, which tests do often.
var pictures sync.Map

// Picture is a placeholder picture of a product, drawn in hue with its title, as the store keeps
// images: the demo's, and the seeded catalogs' of load tests (models.Painter).
func Picture(ctx context.Context, title string, hue int) (*models.ImageBlob, error) {
	key := fmt.Sprint(title, "|", hue)
	if p, ok := pictures.Load(key); ok {
		return catalog.ImageBlob(p.(*imaging.Prepared)), nil
	}
	p, err := imaging.Prepare(ctx, imaging.Placeholder(title, hue))
	if err != nil {
		return nil, err
	}
	pictures.Store(key, p)
	return catalog.ImageBlob(p), nil
}
