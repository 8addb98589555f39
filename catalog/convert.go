// Package catalog moves a shop's catalog in and out as Shopify product CSV: the dry run of an
// import, its run in batches with progress, and the export. The file format itself is package
// shopify's; the store is package models'.
package catalog

import (
	"strings"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/shopify"
)

// toModel turns a product of the file into the store's product, for the shop's currency. Images
// that point at this server's own uploads (an export of this catalog) become those uploads again.
func toModel(sp shopify.Product, currency, baseURL string) models.Product {
	p := models.Product{Handle: sp.Handle, Title: sp.Title, DescriptionHTML: sp.DescriptionHTML, Vendor: sp.Vendor,
		ProductType: sp.ProductType, Tags: strings.Join(sp.Tags, ", "), Status: models.ProductStatus(sp.Status)}
	p.SetOptions(sp.Options)
	for _, sv := range sp.Variants {
		v := models.Variant{SKU: sv.SKU, Barcode: sv.Barcode, PriceMinor: sv.PriceMinor, CompareAtMinor: sv.CompareAtMinor,
			InventoryQty: sv.InventoryQty, InventoryPolicy: sv.InventoryPolicy, WeightGrams: sv.WeightGrams,
			WeightUnit: sv.WeightUnit, ImageSrc: sv.ImageSrc, Currency: currency}
		v.SetOptionValues(sv.OptionValues)
		p.Variants = append(p.Variants, v)
	}
	own := strings.TrimRight(baseURL, "/") + models.ImagePathPrefix
	for _, si := range sp.Images {
		img := models.ProductImage{Alt: si.Alt, SrcURL: si.Src}
		if digest, ok := strings.CutPrefix(si.Src, own); ok && len(digest) == 64 {
			img.Digest, img.SrcURL = &digest, ""
		}
		p.Images = append(p.Images, img)
	}
	return p
}

// fromModel turns a stored product into a product of the file.
func fromModel(p *models.Product, baseURL string) shopify.Product {
	sp := shopify.Product{Handle: p.Handle, Title: p.Title, DescriptionHTML: p.DescriptionHTML, Vendor: p.Vendor,
		ProductType: p.ProductType, Tags: p.TagList(), Status: string(p.Status), Options: p.Options()}
	for _, v := range p.Variants {
		sp.Variants = append(sp.Variants, shopify.Variant{OptionValues: v.OptionValues(len(sp.Options)), SKU: v.SKU,
			Barcode: v.Barcode, PriceMinor: v.PriceMinor, CompareAtMinor: v.CompareAtMinor, InventoryQty: v.InventoryQty,
			InventoryPolicy: v.InventoryPolicy, WeightGrams: v.WeightGrams, WeightUnit: v.WeightUnit, ImageSrc: v.ImageSrc})
	}
	for _, img := range p.Images {
		sp.Images = append(sp.Images, shopify.Image{Src: img.AbsoluteURL(baseURL), Position: img.Position, Alt: img.Alt})
	}
	return sp
}
