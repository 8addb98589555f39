package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Import statuses: a dry run waiting for the retailer, then the background run.
const (
	ImportPreviewed = "previewed"
	ImportQueued    = "queued"
	ImportRunning   = "running"
	ImportDone      = "done"
	ImportFailed    = "failed"
)

// CatalogImport is one uploaded catalog file: its dry run and, once confirmed, its run.
type CatalogImport struct {
	ID           int64
	ShopID       int64
	CreatedBy    *int64
	Filename     string
	Status       string
	ColumnSet    string
	RowCount     int
	ToCreate     int
	ToUpdate     int
	ToSkip       int
	ProblemsJSON string
	PlanJSON     string
	File         []byte `gorm:"->:false;<-:create"` // read only by ImportFile
	Processed    int
	Created      int
	Updated      int
	Error        string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	FinishedAt   *time.Time
}

// ImportProblem is something wrong in the file, by line.
type ImportProblem struct {
	Line    int    `json:"line"`
	Handle  string `json:"handle,omitempty"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// ImportPlanItem is what the import will do with one product of the file.
type ImportPlanItem struct {
	Line     int    `json:"line"`
	Handle   string `json:"handle"`
	Title    string `json:"title"`
	Action   string `json:"action"` // "create", "update" or "skip"
	Variants int    `json:"variants"`
	Images   int    `json:"images"`
}

// Problems decodes the stored problems.
func (i *CatalogImport) Problems() []ImportProblem {
	var out []ImportProblem
	_ = json.Unmarshal([]byte(i.ProblemsJSON), &out)
	return out
}

// Plan decodes the stored plan.
func (i *CatalogImport) Plan() []ImportPlanItem {
	var out []ImportPlanItem
	_ = json.Unmarshal([]byte(i.PlanJSON), &out)
	return out
}

// Total is how many products the run will write.
func (i *CatalogImport) Total() int { return i.ToCreate + i.ToUpdate }

// CreateImport stores a dry run with its file.
func (d *ShopData) CreateImport(ctx context.Context, imp *CatalogImport, problems []ImportProblem, plan []ImportPlanItem) error {
	p, err := json.Marshal(problems)
	if err != nil {
		return err
	}
	pl, err := json.Marshal(plan)
	if err != nil {
		return err
	}
	imp.ShopID, imp.Status, imp.ProblemsJSON, imp.PlanJSON = d.shopID, ImportPreviewed, string(p), string(pl)
	return d.s.w.WithContext(ctx).Create(imp).Error
}

// Import loads one of the shop's imports (without its file).
func (d *ShopData) Import(ctx context.Context, id int64) (*CatalogImport, error) {
	var imp CatalogImport
	err := d.s.r.WithContext(ctx).Omit("file").Where("id = ? AND shop_id = ?", id, d.shopID).Take(&imp).Error
	return &imp, translate(err)
}

// RecentImports lists the shop's latest imports, newest first.
func (d *ShopData) RecentImports(ctx context.Context, limit int) ([]CatalogImport, error) {
	var out []CatalogImport
	err := d.s.r.WithContext(ctx).Omit("file", "plan_json", "problems_json").Where("shop_id = ?", d.shopID).
		Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// ImportFile reads an import's file.
func (d *ShopData) ImportFile(ctx context.Context, id int64) ([]byte, error) {
	var file []byte
	err := d.s.r.WithContext(ctx).Model(&CatalogImport{}).Select("file").Where("id = ? AND shop_id = ?", id, d.shopID).Row().Scan(&file)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return file, err
}

// ErrImportStarted means the import was confirmed already.
var ErrImportStarted = errors.New("this import has already been started")

// QueueImport confirms a dry run: the import is queued and its job enqueued in the same transaction.
func (d *ShopData) QueueImport(ctx context.Context, id int64, by Actor, enqueue func(ctx context.Context, tx *Tx, importID int64) error) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		res := tx.db.Model(&CatalogImport{}).Where("id = ? AND shop_id = ? AND status = ?", id, d.shopID, ImportPreviewed).
			Updates(map[string]any{"status": ImportQueued, "updated_at": tx.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			if _, err := d.Import(ctx, id); err != nil {
				return err
			}
			return ErrImportStarted
		}
		if err := tx.audit(d.shopID, by, AuditImportConfirmed, fmt.Sprint(id), "", tx.now()); err != nil {
			return err
		}
		return enqueue(ctx, tx, id)
	})
}

// StartImport marks the import running (again, after a crash) and returns it.
func (d *ShopData) StartImport(ctx context.Context, id int64) (*CatalogImport, error) {
	err := d.s.w.WithContext(ctx).Model(&CatalogImport{}).Where("id = ? AND shop_id = ? AND status IN ?", id, d.shopID,
		[]string{ImportQueued, ImportRunning}).Updates(map[string]any{"status": ImportRunning, "updated_at": d.s.nowUTC()}).Error
	if err != nil {
		return nil, err
	}
	return d.Import(ctx, id)
}

// ImportProgress records how far the run is.
func (d *ShopData) ImportProgress(ctx context.Context, id int64, processed, created, updated int) error {
	return d.s.w.WithContext(ctx).Model(&CatalogImport{}).Where("id = ? AND shop_id = ?", id, d.shopID).
		Updates(map[string]any{"processed": processed, "created": created, "updated": updated, "updated_at": d.s.nowUTC()}).Error
}

// FinishImport records the outcome: failure is a message for the retailer, empty when all went well.
func (d *ShopData) FinishImport(ctx context.Context, id int64, failure string) error {
	status := ImportDone
	if failure != "" {
		status = ImportFailed
	}
	now := d.s.nowUTC()
	return d.s.Transaction(ctx, func(tx *Tx) error {
		var imp CatalogImport
		if err := tx.db.Omit("file").Where("id = ? AND shop_id = ?", id, d.shopID).Take(&imp).Error; err != nil {
			return translate(err)
		}
		err := tx.db.Model(&CatalogImport{}).Where("id = ?", id).
			Updates(map[string]any{"status": status, "error": failure, "finished_at": now, "updated_at": now}).Error
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("%s: %d created, %d updated", imp.Filename, imp.Created, imp.Updated)
		if failure != "" {
			detail += "; failed: " + failure
		}
		var by Actor
		if imp.CreatedBy != nil {
			by.UserID = *imp.CreatedBy
		}
		return tx.audit(d.shopID, by, AuditCatalogImported, fmt.Sprint(id), detail, now)
	})
}

// ExistingHandles maps each of the handles that the shop already has to its product id.
func (d *ShopData) ExistingHandles(ctx context.Context, handles []string) (map[string]int64, error) {
	out := map[string]int64{}
	for start := 0; start < len(handles); start += 500 {
		var rows []struct {
			ID     int64
			Handle string
		}
		chunk := handles[start:min(start+500, len(handles))]
		if err := d.s.r.WithContext(ctx).Model(&Product{}).Select("id, handle").
			Where("shop_id = ? AND handle IN ?", d.shopID, chunk).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.Handle] = r.ID
		}
	}
	return out, nil
}

// SKUOwners maps each of the SKUs that the shop already uses to the handle of its product.
func (d *ShopData) SKUOwners(ctx context.Context, skus []string) (map[string]string, error) {
	out := map[string]string{}
	for start := 0; start < len(skus); start += 500 {
		var rows []struct{ SKU, Handle string }
		chunk := skus[start:min(start+500, len(skus))]
		if err := d.s.r.WithContext(ctx).Raw(`SELECT v.sku AS sku, p.handle AS handle FROM variants v
			JOIN products p ON p.id = v.product_id WHERE v.shop_id = ? AND v.sku IN ? AND v.sku <> ''`, d.shopID, chunk).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.SKU] = r.Handle
		}
	}
	return out, nil
}

// ImportResult is what writing one imported product did.
type ImportResult struct {
	Created bool
	Err     error // the product was skipped for this reason; the others were written
}

// ImportProducts writes a batch of imported products in one transaction: each matched by handle is
// updated (its variants matched by SKU, then by option values; its images by URL), the others
// created. A product that cannot be written is skipped with its reason; the batch goes on.
func (d *ShopData) ImportProducts(ctx context.Context, batch []Product) ([]ImportResult, error) {
	results := make([]ImportResult, len(batch))
	err := d.s.Transaction(ctx, func(tx *Tx) error {
		for i := range batch {
			err := tx.db.Transaction(func(sp *gorm.DB) error { // a savepoint: a refused product leaves no trace
				created, err := (&Tx{db: sp, s: tx.s}).importProduct(d.shopID, &batch[i])
				results[i].Created = created
				return err
			})
			var taken *TakenError
			if errors.As(err, &taken) {
				results[i].Err = err
			} else if err != nil {
				return err
			}
		}
		return nil
	})
	return results, err
}

func (tx *Tx) importProduct(shopID int64, p *Product) (bool, error) {
	var existing Product
	err := tx.db.Where("shop_id = ? AND handle = ?", shopID, p.Handle).Take(&existing).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return true, tx.createProduct(shopID, p)
	case err != nil:
		return false, err
	}
	p.ID, p.ShopID, p.Version = existing.ID, shopID, existing.Version
	var old []Variant
	if err := tx.db.Where("product_id = ?", p.ID).Find(&old).Error; err != nil {
		return false, err
	}
	bySKU, byTitle := map[string]int64{}, map[string]int64{}
	for _, v := range old {
		if v.SKU != "" {
			bySKU[v.SKU] = v.ID
		}
		byTitle[v.Title] = v.ID
	}
	used := map[int64]bool{}
	for i := range p.Variants {
		v := &p.Variants[i]
		id, ok := bySKU[v.SKU]
		if !ok || v.SKU == "" {
			id = byTitle[v.Title]
		}
		if id != 0 && !used[id] {
			v.ID, used[id] = id, true
		} else {
			v.ID = 0
		}
	}
	if err := tx.replaceImages(p, p.Images); err != nil {
		return false, err
	}
	return false, tx.updateProduct(shopID, p) // which refreshes the figures, image count included
}
