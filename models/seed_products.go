package models

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Word lists that make seeded catalogs look like a real outdoor and home store's.
var (
	seedAdjectives = []string{"Classic", "Everyday", "Trail", "Coastal", "Alpine", "Heritage", "Urban", "Lightweight", "Waxed", "Organic", "Vintage", "Summit", "Harbor", "Meadow", "Cedar", "Nordic"}
	seedMaterials  = []string{"Cotton", "Merino", "Linen", "Canvas", "Leather", "Fleece", "Denim", "Bamboo", "Wool", "Ceramic", "Enamel", "Oak"}
	seedNouns      = []string{"Tee", "Hoodie", "Cap", "Beanie", "Socks", "Tote", "Backpack", "Jacket", "Scarf", "Mug", "Candle", "Blanket", "Apron", "Bottle", "Journal", "Gloves"}
	seedVendors    = []string{"Lakeside", "Harbor & Pine", "Juniper Home", "Northwind Goods", "Fieldcraft", "Saltmarsh Co.", "Ridgeline", "Bramble & Birch"}
	seedTags       = []string{"bestseller", "new", "gift", "summer", "winter", "outdoor", "travel", "sale", "eco", "limited"}
	seedSizes      = []string{"XS", "S", "M", "L", "XL"}
	seedColors     = []string{"Black", "Navy", "Olive", "Sand", "Rust", "Cream"}
)

// Painter draws a product's picture, with its title in hue, as the store keeps images.
type Painter func(ctx context.Context, title string, hue int) (*ImageBlob, error)

// SeedProducts adds n realistic products (titles, vendors, types, tags, sizes and colours, stock,
// pictures that paint draws) to the shop for load tests, in transactions of a few hundred;
// progress is called after each. Handles and SKUs carry a run prefix, so seeding again adds more
// instead of colliding.
func (d *ShopData) SeedProducts(ctx context.Context, n int, rnd *rand.Rand, paint Painter, progress func(done int)) error {
	images, err := d.seedImages(ctx, paint)
	if err != nil {
		return err
	}
	run := fmt.Sprintf("%04x", rnd.IntN(1<<16))
	return d.seedInBatches(ctx, n, 500, progress, func(tx *Tx, i int) error {
		p := seedProduct(rnd, run, i)
		img := images[rnd.IntN(len(images))]
		p.Images = []ProductImage{{Digest: &img, Alt: p.Title}}
		return tx.createProduct(d.shopID, &p)
	})
}

func seedProduct(rnd *rand.Rand, run string, i int) Product {
	pick := func(words []string) string { return words[rnd.IntN(len(words))] }
	noun := pick(seedNouns)
	title := fmt.Sprintf("%s %s %s", pick(seedAdjectives), pick(seedMaterials), noun)
	p := Product{Handle: fmt.Sprintf("%s-%s-%d", Slugify(title), run, i), Title: title, Vendor: pick(seedVendors),
		ProductType: noun, Tags: pick(seedTags) + ", " + pick(seedTags), Status: ProductActive,
		DescriptionHTML: "<p>" + title + ", made to last and easy to love.</p>"}
	switch r := rnd.IntN(10); {
	case r == 0:
		p.Status = ProductDraft
	case r == 1:
		p.Status = ProductArchived
	}
	price := int64(900 + rnd.IntN(150)*100)
	sku := fmt.Sprintf("SD%s-%d", strings.ToUpper(run), i)
	stock := func() int64 { return int64(rnd.IntN(60)) }
	switch rnd.IntN(3) {
	case 0:
		p.Variants = []Variant{{SKU: sku, PriceMinor: price, InventoryQty: stock()}}
	case 1:
		p.Option1Name = "Size"
		for _, size := range seedSizes[1:4] {
			v := Variant{SKU: sku + "-" + size, PriceMinor: price, InventoryQty: stock()}
			v.SetOptionValues([]string{size})
			p.Variants = append(p.Variants, v)
		}
	default:
		p.Option1Name, p.Option2Name = "Size", "Color"
		for _, size := range seedSizes[1:3] {
			for _, color := range seedColors[:2] {
				v := Variant{SKU: sku + "-" + size + "-" + strings.ToUpper(color[:3]), PriceMinor: price, InventoryQty: stock()}
				v.SetOptionValues([]string{size, color})
				p.Variants = append(p.Variants, v)
			}
		}
	}
	for j := range p.Variants {
		p.Variants[j].Currency, p.Variants[j].InventoryPolicy = "USD", PolicyDeny
	}
	return p
}

// seedImages stores a dozen pictures that seeded products share, and returns their digests.
func (d *ShopData) seedImages(ctx context.Context, paint Painter) ([]string, error) {
	var digests []string
	for i, noun := range seedNouns[:12] {
		blob, err := paint(ctx, seedMaterials[i]+" "+noun, i*30)
		if err != nil {
			return nil, err
		}
		blob.CreatedAt = d.s.nowUTC()
		if err := d.s.w.WithContext(ctx).Where("digest = ?", blob.Digest).FirstOrCreate(blob).Error; err != nil {
			return nil, err
		}
		digests = append(digests, blob.Digest)
	}
	return digests, nil
}
