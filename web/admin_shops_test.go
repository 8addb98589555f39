package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/money"
)

// shopRows maps each shop row of the admins' list to its markup, by the shop's name.
func shopRows(t *testing.T, body string) map[string]string {
	t.Helper()
	rows := map[string]string{}
	parts := strings.Split(body, `data-testid="shop-row"`)
	for i, part := range parts[1:] {
		part, _, _ = strings.Cut(part, "</tr>")
		_, name, ok := strings.Cut(part, `data-testid="shop-name">`)
		if !ok {
			t.Fatalf("shop row %d has no name", i)
		}
		name, _, _ = strings.Cut(name, "<")
		rows[name] = part
	}
	return rows
}

// cellText is the text of the row's cell with testID, tags removed and spaces collapsed.
func cellText(row, testID string) string {
	_, cell, _ := strings.Cut(row, `data-testid="`+testID+`"`)
	cell, _, _ = strings.Cut(cell, "</td>")
	_, cell, _ = strings.Cut(cell, ">")
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(cell, " ")), " ")
}

var nextPageRE = regexp.MustCompile(`href="([^"]+)" data-testid="next-page"`)

// nextPage is the path of the list's "Older" link, "" when there is none.
func nextPage(body string) string {
	m := nextPageRE.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

func (ts *testServer) shopID(t *testing.T, name string) int64 {
	t.Helper()
	var id int64
	if err := ts.store.ReaderDB().QueryRow("SELECT id FROM shops WHERE name = $1", name).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// The admins see every shop with its owner, whether it is live, its connections and its volume;
// the search narrows the list to the shops whose name starts with what was typed.
func TestAdminShopsListsEveryShop(t *testing.T) {
	ts := newTestServer(t)
	ts.signUp(t, "Harbor Goods", "hana@harbor.example")
	o := ts.buyAndPay(t, ts.newShopper(t, "Jordan Rivera"), ts.demoVariant(t, 5))
	admin := ts.browser(t)
	admin.signIn("admin@chatshop.test", "admin-password")

	res := admin.get("/admin/shops")
	if res.StatusCode != 200 || !hasTestID(res.body, "shops-table") || !hasTestID(res.body, "shop-search") {
		t.Fatalf("/admin/shops: %d %s", res.StatusCode, res.body)
	}
	rows := shopRows(t, res.body)
	want := []struct {
		name, owner, status, page, paypal, volume string
	}{
		// A connection cell names its column for a phone, where the table's head is not shown.
		{"Lakeside Supply Co.", "demo@chatshop.test", "Live", "Messenger Connected " + demo.PageName, "PayPal Connected " + demo.MerchantID,
			money.Money{Minor: o.TotalMinor, Currency: o.Currency}.String() + " 1 paid order · 0 linked shoppers No open disputes"},
		{"Harbor Goods", "hana@harbor.example", "Setting up", "Messenger Not connected", "PayPal Not connected",
			"— 0 paid orders · 0 linked shoppers No open disputes"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d shop rows, want %d", len(rows), len(want))
	}
	for _, w := range want {
		t.Run(w.name, func(t *testing.T) {
			row, ok := rows[w.name]
			if !ok {
				t.Fatal("not listed")
			}
			got := []string{cellText(row, "shop-status"), cellText(row, "shop-page"), cellText(row, "shop-paypal"), cellText(row, "shop-volume")}
			if fmt.Sprint(got) != fmt.Sprint([]string{w.status, w.page, w.paypal, w.volume}) {
				t.Errorf("status, Page, PayPal, volume = %q", got)
			}
			if !strings.Contains(row, `data-testid="shop-owner">`+w.owner+"<") {
				t.Errorf("owner is not %s: %s", w.owner, row)
			}
		})
	}

	for _, q := range []string{"harbor", "HAR"} {
		if rows := shopRows(t, admin.get("/admin/shops?q="+q).body); len(rows) != 1 || rows["Harbor Goods"] == "" {
			t.Errorf("search %q lists %d shops", q, len(rows))
		}
	}
	if body := admin.get("/admin/shops?q=" + url.QueryEscape("%")).body; hasTestID(body, "shop-row") || !hasTestID(body, "empty-state") {
		t.Error("a search for % matches shops")
	}
}

// The list shows 50 shops a page, newest first, and the "Older" link keeps the search.
func TestAdminShopsPages(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	for i := range 55 {
		shop := &models.Shop{Name: fmt.Sprintf("Pier %02d", i)}
		owner := &models.User{Email: fmt.Sprintf("pier%02d@pier.example", i), PasswordHash: "unused"}
		if err := ts.store.CreateShopWithOwner(ctx, shop, owner, ""); err != nil {
			t.Fatal(err)
		}
	}
	admin := ts.browser(t)
	admin.signIn("admin@chatshop.test", "admin-password")

	first := admin.get("/admin/shops?q=pier")
	rows := shopRows(t, first.body)
	if len(rows) != 50 || rows["Pier 54"] == "" || rows["Pier 04"] != "" {
		t.Fatalf("first page: %d shops, newest first expected", len(rows))
	}
	next := nextPage(first.body)
	if !strings.Contains(next, "q=pier") {
		t.Fatalf("the next page %q drops the search", next)
	}
	second := admin.get(next)
	rows = shopRows(t, second.body)
	if len(rows) != 5 || rows["Pier 00"] == "" || nextPage(second.body) != "" {
		t.Fatalf("second page: %d shops, next %q", len(rows), nextPage(second.body))
	}
}

// An admin narrows the audit log to one shop, across pages; a shop's own log ignores the filter.
func TestAuditShopFilter(t *testing.T) {
	ts := newTestServer(t)
	ts.signUp(t, "Harbor Goods", "hana@harbor.example")
	harbor, lakeside := ts.shopID(t, "Harbor Goods"), ts.shopID(t, "Lakeside Supply Co.")
	ctx := context.Background()
	for i := range 60 {
		if err := ts.store.RecordAudit(ctx, harbor, models.Actor{Email: "hana@harbor.example"}, models.AuditExported, "orders", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	admin := ts.browser(t)
	admin.signIn("admin@chatshop.test", "admin-password")

	all := admin.get("/admin/audit").body
	if !strings.Contains(all, fmt.Sprintf(`<option value="%d">Harbor Goods</option>`, harbor)) {
		t.Fatal("the shop filter does not offer Harbor Goods")
	}
	// count reads a page of the log: its rows, those of Harbor Goods, and the next page's link.
	count := func(path string) (rows, harbors int, next string) {
		body := admin.get(path).body
		return strings.Count(body, `data-testid="audit-row"`), strings.Count(body, `data-testid="audit-shop">Harbor Goods</td>`), nextPage(body)
	}
	rows, harbors, next := count(fmt.Sprintf("/admin/audit?shop=%d", harbor))
	if rows != 50 || harbors != 50 || !strings.Contains(next, fmt.Sprintf("shop=%d", harbor)) {
		t.Fatalf("first page of Harbor Goods: %d rows, %d of Harbor Goods, next %q", rows, harbors, next)
	}
	want := ts.count(t, "SELECT count(*) FROM audit_events WHERE shop_id = ?", harbor) - 50
	if rows, harbors, next := count(next); rows != want || harbors != want || next != "" {
		t.Fatalf("second page of Harbor Goods: %d rows, %d of Harbor Goods (want %d), next %q", rows, harbors, want, next)
	}
	if rows, _, _ := count(fmt.Sprintf("/admin/audit?shop=%d&action=%s", lakeside, models.AuditExported)); rows != 0 {
		t.Fatalf("Lakeside Supply Co. shows %d of Harbor's exports", rows)
	}

	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	own := strings.Count(owner.get("/app/audit").body, `data-testid="audit-row"`)
	filtered := owner.get(fmt.Sprintf("/app/audit?shop=%d", harbor)).body
	if n := strings.Count(filtered, `data-testid="audit-row"`); n != own || n == 0 || hasTestID(filtered, "filter-shop") {
		t.Fatalf("a shop's log with another shop's filter shows %d rows, %d without", n, own)
	}
}
