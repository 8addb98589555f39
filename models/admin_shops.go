package models

import (
	"context"
	"sort"
	"time"

	"github.com/chatshop/chatshop/dispute"
	"github.com/chatshop/chatshop/money"
)

// AdminVolumeDays is how many days, today (UTC) included, the admins' shop list sums sales over.
const AdminVolumeDays = 30

// AdminShopFilter narrows the admins' list of shops.
type AdminShopFilter struct {
	Query  string // the start of the shop's name, in any case; empty for all
	Before int64  // keyset cursor: shops with a smaller id
	Limit  int
}

// AdminShop is one shop as the admins see it: who owns it, its connections and its volume.
type AdminShop struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	OwnerEmail string // the first owner's; "" if the shop has none
	// Connections holds the shop's current Page and PayPal account (without LastPageEvent).
	Connections Connections
	// PaidOrders and Sales (per currency, the biggest first) are of the last AdminVolumeDays days.
	PaidOrders     int64
	Sales          []money.Money
	LinkedShoppers int64
	OpenDisputes   int64
}

// Live reports whether shoppers can both chat with the shop and pay it.
func (a *AdminShop) Live() bool { return a.Connections.PageReady() && a.Connections.PaymentsReady() }

// AdminShopPage is one page of shops, newest first.
type AdminShopPage struct {
	Shops      []AdminShop
	NextBefore int64
}

// adminShopRow is a shop with its current Page and PayPal account flattened, as one query reads it.
type adminShopRow struct {
	ID                           int64
	Name                         string
	CreatedAt                    time.Time
	OwnerEmail                   string
	PageName, PageStatus         *string
	MerchantID                   *string
	PayPalStatus                 *string `gorm:"column:paypal_status"`
	LinkedShoppers, OpenDisputes int64
}

// adminShopColumns are a shop's owner, connections and counts; the current Page and PayPal
// account are the newest not disconnected, as in ShopData.Connections.
const adminShopColumns = `s.id, s.name, s.created_at,
	coalesce((SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
	           WHERE m.shop_id = s.id AND m.role = 'owner' ORDER BY m.id LIMIT 1), '') AS owner_email,
	p.name AS page_name, p.status AS page_status, a.merchant_id, a.status AS paypal_status,
	(SELECT count(*) FROM shoppers sh WHERE sh.shop_id = s.id AND sh.linked_at IS NOT NULL) AS linked_shoppers,
	(SELECT count(*) FROM disputes d WHERE d.shop_id = s.id AND d.status <> ?) AS open_disputes`

// AdminShops lists every shop on the platform matching f, newest first, for admins.
func (s *Store) AdminShops(ctx context.Context, f AdminShopFilter) (AdminShopPage, error) {
	q := s.r.WithContext(ctx).Table("shops AS s").Select(adminShopColumns, dispute.Resolved).
		Joins("LEFT JOIN messenger_pages p ON p.id = (SELECT max(id) FROM messenger_pages WHERE shop_id = s.id AND status <> ?)", PageDisconnected).
		Joins("LEFT JOIN paypal_accounts a ON a.id = (SELECT max(id) FROM paypal_accounts WHERE shop_id = s.id AND status <> ?)", PayPalDisconnected).
		Order("s.id DESC").Limit(f.Limit + 1)
	if f.Before > 0 {
		q = q.Where("s.id < ?", f.Before)
	}
	if f.Query != "" {
		q = q.Where(s.dialect.likeCaseless("s.name"), likePrefix(f.Query))
	}
	var rows []adminShopRow
	if err := q.Scan(&rows).Error; err != nil {
		return AdminShopPage{}, err
	}
	var page AdminShopPage
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		page.NextBefore = rows[len(rows)-1].ID
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	volume, err := s.recentSales(ctx, ids)
	if err != nil {
		return AdminShopPage{}, err
	}
	for _, r := range rows {
		sh := AdminShop{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt, OwnerEmail: r.OwnerEmail,
			LinkedShoppers: r.LinkedShoppers, OpenDisputes: r.OpenDisputes}
		if r.PageStatus != nil {
			sh.Connections.Page = &MessengerPage{ShopID: r.ID, Name: *r.PageName, Status: *r.PageStatus}
		}
		if r.PayPalStatus != nil {
			sh.Connections.PayPal = &PayPalAccount{ShopID: r.ID, MerchantID: *r.MerchantID, Status: *r.PayPalStatus}
		}
		for _, d := range volume[r.ID] {
			sh.PaidOrders += d.Orders
			sh.Sales = append(sh.Sales, money.Money{Minor: d.SalesMinor, Currency: d.Currency})
		}
		sort.Slice(sh.Sales, func(i, j int) bool { return sh.Sales[i].Minor > sh.Sales[j].Minor })
		page.Shops = append(page.Shops, sh)
	}
	return page, nil
}

// recentSales sums the shops' paid orders and sales of the last AdminVolumeDays days per currency.
func (s *Store) recentSales(ctx context.Context, shopIDs []int64) (map[int64][]dailySale, error) {
	if len(shopIDs) == 0 {
		return nil, nil
	}
	first := s.nowUTC().Truncate(24*time.Hour).AddDate(0, 0, -(AdminVolumeDays - 1))
	var sums []dailySale
	err := s.r.WithContext(ctx).Model(&dailySale{}).
		Select("shop_id, currency, sum(orders) AS orders, sum(sales_minor) AS sales_minor").
		Where("shop_id IN ? AND day >= ?", shopIDs, first.Format(time.DateOnly)).
		Group("shop_id, currency").Scan(&sums).Error
	out := map[int64][]dailySale{}
	for _, d := range sums {
		out[d.ShopID] = append(out[d.ShopID], d)
	}
	return out, err
}

// ShopName is a shop's id and name, for filters.
type ShopName struct {
	ID   int64
	Name string
}

// ShopNames lists every shop by name: the admins' shop filters.
func (s *Store) ShopNames(ctx context.Context) ([]ShopName, error) {
	var out []ShopName
	err := s.r.WithContext(ctx).Raw("SELECT id, name FROM shops ORDER BY name, id").Scan(&out).Error
	return out, err
}
