package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/chatshop/chatshop/dispute"
)

// Dispute lists: the admins' queue across shops and each shop's own list, keyset-paginated in the
// order asked for (the deadline first by default).

// DisputeStates are the list's state filters: "open" (the default), "respond" (the seller must
// answer), "buyer" (waiting for the buyer), "review" (PayPal decides), "resolved", "all".
var DisputeStates = []string{"open", "respond", "buyer", "review", "resolved", "all"}

// DisputeSorts are the orders a list can take: by deadline, newest first, largest first.
var DisputeSorts = []string{"due", "newest", "amount"}

// respondStatuses are the statuses in which PayPal waits for the seller.
var respondStatuses = []string{"OPEN", "WAITING_FOR_SELLER_RESPONSE"}

// DisputeFilter picks and orders disputes.
type DisputeFilter struct {
	State  string
	Stage  string
	Reason string
	ShopID int64 // the admins' queue: one shop only
	Sort   string
	After  string // the cursor of the page before
	Limit  int
}

// DisputeRow is a dispute in a list, with its shop and shopper.
type DisputeRow struct {
	Dispute
	ShopName    string
	ShopperName string
}

// DisputePage is one page of a list and what the list's header counts.
type DisputePage struct {
	Rows []DisputeRow
	Next string // the cursor of the next page, "" on the last
	// Counts of the open disputes: respond (the seller must answer), overdue and due within a day or two.
	Respond, Overdue, DueSoon int
}

// DueSoon is how close a deadline must be to stand out.
const DueSoon = 48 * time.Hour

type disputeOrder struct {
	key  string
	desc bool
}

var disputeOrders = map[string]disputeOrder{"due": {"d.due_key", false}, "newest": {"d.id", true}, "amount": {"d.amount_minor", true}}

// Disputes is the admins' queue across every shop (or one shop, f.ShopID).
func (s *Store) Disputes(ctx context.Context, f DisputeFilter) (DisputePage, error) {
	return s.listDisputes(ctx, f.ShopID, f)
}

// Disputes lists the shop's own disputes.
func (d *ShopData) Disputes(ctx context.Context, f DisputeFilter) (DisputePage, error) {
	return d.s.listDisputes(ctx, d.shopID, f)
}

func (s *Store) listDisputes(ctx context.Context, shopID int64, f DisputeFilter) (DisputePage, error) {
	db := s.r.WithContext(ctx)
	scoped := func(q *gorm.DB) *gorm.DB {
		if shopID != 0 {
			q = q.Where("d.shop_id = ?", shopID)
		}
		return q
	}
	order, ok := disputeOrders[f.Sort]
	if !ok {
		order = disputeOrders["due"]
	}
	q := scoped(db.Table("disputes AS d")).
		Select("d.*, s.name AS shop_name, coalesce(sh.name, '') AS shopper_name").
		Joins("JOIN shops s ON s.id = d.shop_id").
		Joins("LEFT JOIN shoppers sh ON sh.id = d.shopper_id")
	q = disputeStateWhere(q, f.State)
	if slices.Contains(dispute.Stages, f.Stage) {
		q = q.Where("d.stage = ?", f.Stage)
	}
	if slices.Contains(dispute.Reasons, f.Reason) {
		q = q.Where("d.reason = ?", f.Reason)
	}
	dir, op := "ASC", ">"
	if order.desc {
		dir, op = "DESC", "<"
	}
	if key, id, ok := parseDisputeCursor(f.After); ok {
		q = q.Where(fmt.Sprintf("%[1]s %[2]s ? OR (%[1]s = ? AND d.id %[2]s ?)", order.key, op), key, key, id)
	}
	var page DisputePage
	limit := max(f.Limit, 1)
	if err := q.Order(order.key + " " + dir).Order("d.id " + dir).Limit(limit + 1).Find(&page.Rows).Error; err != nil {
		return page, err
	}
	if len(page.Rows) > limit {
		page.Rows = page.Rows[:limit]
		last := page.Rows[limit-1]
		key := map[string]int64{"d.due_key": last.DueKey, "d.id": last.ID, "d.amount_minor": last.AmountMinor}[order.key]
		page.Next = strconv.FormatInt(key, 10) + "." + strconv.FormatInt(last.ID, 10)
	}
	now := s.nowUTC()
	var counts struct{ Respond, Overdue, DueSoon int }
	err := scoped(db.Table("disputes AS d")).Where("d.status IN ?", respondStatuses).
		Select("count(*) AS respond, coalesce(sum(CASE WHEN d.due_key < ? THEN 1 ELSE 0 END), 0) AS overdue, "+
			"coalesce(sum(CASE WHEN d.due_key >= ? AND d.due_key < ? THEN 1 ELSE 0 END), 0) AS due_soon",
			now.Unix(), now.Unix(), now.Add(DueSoon).Unix()).Scan(&counts).Error
	page.Respond, page.Overdue, page.DueSoon = counts.Respond, counts.Overdue, counts.DueSoon
	return page, err
}

func disputeStateWhere(q *gorm.DB, state string) *gorm.DB {
	switch state {
	case "respond":
		return q.Where("d.status IN ?", respondStatuses)
	case "buyer":
		return q.Where("d.status = ?", "WAITING_FOR_BUYER_RESPONSE")
	case "review":
		return q.Where("d.status = ?", "UNDER_REVIEW")
	case "resolved":
		return q.Where("d.status = ?", dispute.Resolved)
	case "all":
		return q
	default:
		return q.Where("d.status <> ?", dispute.Resolved)
	}
}

func parseDisputeCursor(s string) (key, id int64, ok bool) {
	k, i, found := strings.Cut(s, ".")
	if !found {
		return 0, 0, false
	}
	key, err1 := strconv.ParseInt(k, 10, 64)
	id, err2 := strconv.ParseInt(i, 10, 64)
	return key, id, err1 == nil && err2 == nil
}

// OpenDisputes counts the shop's disputes not resolved yet, and those waiting for the seller.
func (d *ShopData) OpenDisputes(ctx context.Context) (open, respond int, err error) {
	var n struct{ Open, Respond int }
	err = d.s.r.WithContext(ctx).Model(&Dispute{}).Where("shop_id = ? AND status <> ?", d.shopID, dispute.Resolved).
		Select("count(*) AS open, coalesce(sum(CASE WHEN status IN ? THEN 1 ELSE 0 END), 0) AS respond", respondStatuses).Scan(&n).Error
	return n.Open, n.Respond, err
}
