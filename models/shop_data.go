package models

import "context"

// ShopData is the store as one shop sees it: every method is scoped by that shop's id, so code that
// holds a ShopData cannot read or change another shop's records. Another shop's id in an argument
// (a product id, a member id) simply finds nothing: ErrNotFound.
type ShopData struct {
	s      *Store
	shopID int64
}

// ForShop returns the store scoped to one shop.
func (s *Store) ForShop(shopID int64) *ShopData {
	if shopID <= 0 {
		panic("models: ForShop needs a shop id")
	}
	return &ShopData{s: s, shopID: shopID}
}

// ShopID is the shop this scope is bound to.
func (d *ShopData) ShopID() int64 { return d.shopID }

// Shop loads the scoped shop.
func (d *ShopData) Shop(ctx context.Context) (*Shop, error) { return d.s.ShopByID(ctx, d.shopID) }

// RecordAudit stores an audit event of this shop.
func (d *ShopData) RecordAudit(ctx context.Context, actor Actor, action, target, detail string) error {
	return d.s.RecordAudit(ctx, d.shopID, actor, action, target, detail)
}

// ListAudit lists this shop's audit events, newest first.
func (d *ShopData) ListAudit(ctx context.Context, f AuditFilter) (AuditPage, error) {
	id := d.shopID
	return d.s.listAudit(ctx, &id, f)
}
