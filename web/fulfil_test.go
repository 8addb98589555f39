package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
)

// A bulk fulfilment file is checked first (nothing changes), with every bad line by number; then
// its good lines ship, once: the same file again ships nothing more.
func TestShipOrdersFromAFile(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)
	psidA, a := ts.shippableOrder(t, "Gus First")
	psidB, b := ts.shippableOrder(t, "Hal Second")
	unpaidPSID := ts.newShopper(t, "Ida Unpaid")
	ts.buy(t, unpaidPSID, ts.demoVariant(t, 2))
	unpaid := ts.orderOf(t, unpaidPSID)

	file := strings.Join([]string{
		"Order,Carrier,Tracking number",
		a.Number() + ",UPS,1ZFILE0001",           // 2: ships
		b.Number() + ",Royal Mail,RM123456789GB", // 3: ships, as PayPal's ROYAL_MAIL
		"abc,UPS,1",                              // 4: not a number
		"#99999,UPS,1",                           // 5: no such order
		unpaid.Number() + ",UPS,1ZFILE0003",      // 6: unpaid
		a.Number() + ",FEDEX,2",                  // 7: the same order twice
		fmt.Sprintf("%d,UPS,", 1000+b.ID),        // 8: no tracking number (and b again)
		"\"#1001,UPS",                            // 9: broken quoting
	}, "\n")
	res := owner.postMultipart("/app/orders/fulfil", "file", "ship.csv", []byte(file), nil)
	if res.StatusCode != 422 || !strings.Contains(res.body, "not a CSV file") {
		t.Fatalf("a broken file: %d", res.StatusCode)
	}
	file = file[:strings.LastIndex(file, "\n")]
	res = owner.postMultipart("/app/orders/fulfil", "file", "ship.csv", []byte(file), nil)
	if res.StatusCode != 422 || !strings.Contains(res.body, "2 to ship, 0 to skip, 5 with problems.") {
		t.Fatalf("the dry run: %d %s", res.StatusCode, testIDText(res.body, "fulfil-summary"))
	}
	for _, want := range []string{"Not an order number", "No order #99999 in this shop", "Only a paid order ships",
		"The file names this order on line 2 already", "RM123456789GB"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the dry run lacks %q", want)
		}
	}
	if n := countRows(t, ts, "shipments"); n != 0 {
		t.Fatalf("the dry run shipped %d", n)
	}

	apply := func() response {
		return owner.post("/app/orders/fulfil/apply", url.Values{"csv": {file}})
	}
	if res := apply(); res.StatusCode != 200 || !strings.Contains(res.body, "2 shipped, 0 skipped, 5 with problems.") {
		t.Fatalf("apply: %d %s", res.StatusCode, testIDText(res.body, "fulfil-summary"))
	}
	ts.waitOrder(t, psidA, "A shipped", func(o *models.Order) bool { return o.Fulfilment == models.FulfilmentShipped })
	ts.waitOrder(t, psidB, "B shipped", func(o *models.Order) bool { return o.Fulfilment == models.FulfilmentShipped })
	var carrierB string
	ts.store.ReaderDB().QueryRow("SELECT carrier FROM shipments WHERE order_id = $1", b.ID).Scan(&carrierB)
	if carrierB != "ROYAL_MAIL" {
		t.Fatalf("Royal Mail went as %q", carrierB)
	}
	if res := apply(); !strings.Contains(res.body, "0 shipped, 2 skipped, 5 with problems.") {
		t.Fatalf("the same file again: %s", testIDText(res.body, "fulfil-summary"))
	}
	if n := countRows(t, ts, "shipments"); n != 2 {
		t.Fatalf("%d shipments after the file twice, want 2", n)
	}
}

func countRows(t *testing.T, ts *testServer, table string) int {
	t.Helper()
	var n int
	if err := ts.store.ReaderDB().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// testIDText is the text inside the first element of a test id, tags and all, for a failure's message.
func testIDText(body, testID string) string {
	i := strings.Index(body, `data-testid="`+testID+`"`)
	if i < 0 {
		return "(no " + testID + ")"
	}
	end := min(len(body), i+300)
	return body[i:end]
}
