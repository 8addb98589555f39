package models

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/chatshop/chatshop/money"
)

// dailySale is a shop's paid orders and sales of one UTC day in one currency.
type dailySale struct {
	ShopID     int64
	Day        string
	Currency   string
	Orders     int64
	SalesMinor int64
}

// countSale adds a paid order to its day's sales and notes that its shopper paid.
func (tx *Tx) countSale(o *Order) error {
	tx.touch(o.ShopID)
	day := o.PaidAt.UTC().Format(time.DateOnly)
	err := tx.db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "shop_id"}, {Name: "day"}, {Name: "currency"}},
		DoUpdates: clause.Assignments(map[string]any{"orders": gorm.Expr("daily_sales.orders + 1"), "sales_minor": gorm.Expr("daily_sales.sales_minor + ?", o.TotalMinor)}),
	}).Create(&dailySale{ShopID: o.ShopID, Day: day, Currency: o.Currency, Orders: 1, SalesMinor: o.TotalMinor}).Error
	if err != nil {
		return err
	}
	return tx.db.Model(&Shopper{}).Where("id = ?", o.ShopperID).Update("last_paid_at", o.PaidAt).Error
}

// SalesDay is one day of a shop's sales in one currency.
type SalesDay struct {
	Day    time.Time
	Orders int64
	Sales  money.Money
}

// ChartDays is how many days the overview's chart shows.
const ChartDays = 30

// ShopFigures are the overview's figures over the last Days days, today (UTC) included.
type ShopFigures struct {
	Days int
	// Sales per currency in the period, the biggest first.
	Sales  []money.Money
	Orders int64
	// Daily is the last ChartDays days of sales, per currency.
	Daily map[string][]SalesDay
	// Conversations is how many shoppers wrote in the period; Converted, how many of them paid.
	Conversations, Converted int64
	LinkedShoppers           int64
	OpenConversations        int64
}

// keptFresh is how long counts kept in a memo with the shop's version (the overview's figures, the
// inbox's counts) are reused while the shop does not change in this process: a change made by
// another process shows within it.
const keptFresh = 10 * time.Second

type figuresKey struct {
	shopID int64
	days   int
}

// Figures returns the overview's figures for the last days days, today included. Counting the
// shop's shoppers costs milliseconds at tens of thousands of them, so figures are reused until the
// shop changes or keptFresh has passed.
func (d *ShopData) Figures(ctx context.Context, days int) (*ShopFigures, error) {
	return d.s.figures.get(figuresKey{d.shopID, days}, d.s.now(), keptFresh, d.s.versions.of(d.shopID),
		func() (*ShopFigures, error) { return d.readFigures(ctx, days) })
}

// readFigures reads the overview's figures for the last days days, today included.
func (d *ShopData) readFigures(ctx context.Context, days int) (*ShopFigures, error) {
	db := d.s.r.WithContext(ctx)
	today := d.s.nowUTC().Truncate(24 * time.Hour)
	first, chartFirst := today.AddDate(0, 0, -(days-1)), today.AddDate(0, 0, -(ChartDays-1))
	var rows []dailySale
	if err := db.Where("shop_id = ? AND day >= ?", d.shopID, chartFirst.Format(time.DateOnly)).Order("day").Find(&rows).Error; err != nil {
		return nil, err
	}
	f := &ShopFigures{Days: days, Daily: map[string][]SalesDay{}}
	totals := map[string]int64{}
	for _, r := range rows {
		series := f.Daily[r.Currency]
		if series == nil {
			series = make([]SalesDay, ChartDays)
			for i := range series {
				series[i] = SalesDay{Day: chartFirst.AddDate(0, 0, i), Sales: money.Money{Currency: r.Currency}}
			}
			f.Daily[r.Currency] = series
		}
		day, _ := time.Parse(time.DateOnly, r.Day)
		series[int(day.Sub(chartFirst).Hours()/24)] = SalesDay{Day: day, Orders: r.Orders, Sales: money.Money{Minor: r.SalesMinor, Currency: r.Currency}}
		if !day.Before(first) {
			f.Orders += r.Orders
			totals[r.Currency] += r.SalesMinor
		}
	}
	for cur, minor := range totals {
		f.Sales = append(f.Sales, money.Money{Minor: minor, Currency: cur})
	}
	sort.Slice(f.Sales, func(i, j int) bool { return f.Sales[i].Minor > f.Sales[j].Minor })
	shoppers := func() *gorm.DB { return db.Model(&Shopper{}).Where("shop_id = ?", d.shopID) }
	counts := []struct {
		n *int64
		q *gorm.DB
	}{
		{&f.Conversations, shoppers().Where("last_message_at >= ?", first)},
		{&f.Converted, shoppers().Where("last_message_at >= ? AND last_paid_at >= ?", first, first)},
		{&f.LinkedShoppers, shoppers().Where("linked_at IS NOT NULL")},
		{&f.OpenConversations, shoppers().Where("needs_human")},
	}
	for _, c := range counts {
		if err := c.q.Count(c.n).Error; err != nil {
			return nil, err
		}
	}
	return f, nil
}
