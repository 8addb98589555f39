package catalog

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	"github.com/bojanz/currency"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/shopify"
)

// Shop is the shop an import or export works for.
type Shop struct {
	Data     *models.ShopData
	Currency string
	// BaseURL is this server's public URL: exported image URLs start with it.
	BaseURL string
}

// maxPlanShown bounds the per-product lines a dry run keeps for the page; the counts are complete.
const (
	maxPlanShown     = 200
	maxProblemsShown = 1000
	batchSize        = 50
)

// planned is one product of the file with what the import will do with it.
type planned struct {
	product models.Product
	item    models.ImportPlanItem
}

// DryRun reads the file and stores what importing it would do: products created, updated and
// skipped, and every problem by line. Nothing of the catalog changes. A file that is not a product
// CSV at all is an error wrapping shopify.ErrNotCSV.
func DryRun(ctx context.Context, shop Shop, filename string, data []byte, by int64) (*models.CatalogImport, error) {
	file, products, problems, err := plan(ctx, shop, data)
	if err != nil {
		return nil, err
	}
	imp := &models.CatalogImport{Filename: filename, ColumnSet: file.ColumnSet, RowCount: file.Rows, File: data}
	if by != 0 {
		imp.CreatedBy = &by
	}
	var items []models.ImportPlanItem
	for _, p := range products {
		switch p.item.Action {
		case "create":
			imp.ToCreate++
		case "update":
			imp.ToUpdate++
		default:
			imp.ToSkip++
		}
		if len(items) < maxPlanShown {
			items = append(items, p.item)
		}
	}
	if len(problems) > maxProblemsShown {
		problems = problems[:maxProblemsShown]
	}
	return imp, shop.Data.CreateImport(ctx, imp, problems, items)
}

// Run carries out a confirmed import in batches, recording progress after each. The catalog may
// have changed since the dry run, so the file is planned again; running twice (a retry after a
// crash) writes the same catalog, as products are matched by handle and SKU.
func Run(ctx context.Context, shop Shop, importID int64) error {
	imp, err := shop.Data.StartImport(ctx, importID)
	if err != nil {
		return err
	}
	if imp.Status != models.ImportRunning {
		return nil // finished already
	}
	data, err := shop.Data.ImportFile(ctx, importID)
	if err != nil {
		return err
	}
	_, products, _, err := plan(ctx, shop, data)
	if err != nil {
		return shop.Data.FinishImport(ctx, importID, err.Error())
	}
	var todo []models.Product
	for _, p := range products {
		if p.item.Action != "skip" {
			todo = append(todo, p.product)
		}
	}
	processed, created, updated := 0, 0, 0
	var refused []string
	for start := 0; start < len(todo); start += batchSize {
		batch := todo[start:min(start+batchSize, len(todo))]
		results, err := shop.Data.ImportProducts(ctx, batch)
		if err != nil {
			return err // the job retries; what was written is matched again
		}
		for i, r := range results {
			switch {
			case r.Err != nil:
				refused = append(refused, fmt.Sprintf("%s: %v", batch[i].Handle, r.Err))
			case r.Created:
				created++
			default:
				updated++
			}
		}
		processed += len(batch)
		if err := shop.Data.ImportProgress(ctx, importID, processed, created, updated); err != nil {
			return err
		}
	}
	failure := ""
	if len(refused) > 0 {
		failure = fmt.Sprintf("%d products were refused while importing (first: %s)", len(refused), refused[0])
	}
	return shop.Data.FinishImport(ctx, importID, failure)
}

// plan reads the file and decides, for each product, whether it is created, updated or skipped.
func plan(ctx context.Context, shop Shop, data []byte) (*shopify.File, []planned, []models.ImportProblem, error) {
	digits, ok := currency.GetDigits(shop.Currency)
	if !ok {
		return nil, nil, nil, fmt.Errorf("catalog: unknown currency %q", shop.Currency)
	}
	file, err := shopify.Read(bytes.NewReader(data), int(digits))
	if err != nil {
		return nil, nil, nil, err
	}
	var problems []models.ImportProblem
	for _, p := range file.Problems {
		problems = append(problems, models.ImportProblem{Line: p.Line, Handle: p.Handle, Column: p.Column, Message: p.Message})
	}
	handles, skus := make([]string, 0, len(file.Products)), []string{}
	for _, p := range file.Products {
		handles = append(handles, p.Handle)
		for _, v := range p.Variants {
			if v.SKU != "" {
				skus = append(skus, v.SKU)
			}
		}
	}
	existing, err := shop.Data.ExistingHandles(ctx, handles)
	if err != nil {
		return nil, nil, nil, err
	}
	owners, err := shop.Data.SKUOwners(ctx, skus)
	if err != nil {
		return nil, nil, nil, err
	}
	inFile := map[string]string{} // SKU → handle, for SKUs used by two products of the file
	var out []planned
	for _, sp := range file.Products {
		p := toModel(sp, shop.Currency, shop.BaseURL)
		item := models.ImportPlanItem{Line: sp.Line, Handle: sp.Handle, Title: sp.Title, Action: "create",
			Variants: len(sp.Variants), Images: len(sp.Images)}
		if _, ok := existing[sp.Handle]; ok {
			item.Action = "update"
		}
		bad := file.Invalid(sp.Handle)
		report := func(line int, msg string) {
			problems = append(problems, models.ImportProblem{Line: line, Handle: sp.Handle, Message: msg})
			bad = true
		}
		if errs := p.Validate(shop.Currency); errs != nil {
			keys := make([]string, 0, len(errs))
			for k := range errs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				report(sp.Line, errs[k])
			}
		}
		for i, v := range sp.Variants {
			if v.SKU == "" {
				continue
			}
			if owner, ok := owners[v.SKU]; ok && owner != sp.Handle {
				report(sp.Variants[i].Line, fmt.Sprintf("SKU %s already belongs to the product %q.", v.SKU, owner))
				continue
			}
			if other, ok := inFile[v.SKU]; ok && other != sp.Handle {
				report(sp.Variants[i].Line, fmt.Sprintf("SKU %s is also used by the product %q in this file.", v.SKU, other))
			}
			inFile[v.SKU] = sp.Handle
		}
		if bad {
			item.Action = "skip"
		}
		out = append(out, planned{product: p, item: item})
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
	return file, out, problems, nil
}
