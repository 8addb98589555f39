package web_test

import (
	"strings"
	"testing"
)

// statValue is the figure a stat card of the page shows.
func statValue(body, testID string) string {
	_, after, ok := strings.Cut(body, `data-testid="`+testID+`-value">`)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, "<")
	return v
}

// The overview counts paid orders and their sales once each, however often PayPal tells of the
// capture, and the conversations that became orders; the chart shows the day's sales.
func TestOverviewFigures(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	if body := owner.get("/app").body; statValue(body, "stat-sales") != "—" || statValue(body, "stat-orders") != "0" || !hasTestID(body, "empty-state") {
		t.Fatalf("a shop without sales shows sales %q, orders %q", statValue(body, "stat-sales"), statValue(body, "stat-orders"))
	}
	variant := ts.demoVariant(t, 5)
	buyer := ts.newShopper(t, "Jordan Rivera")
	o := ts.buyAndPay(t, buyer, variant)
	ts.handedOver(t, "Lee Park", "just asking a question")
	// PayPal's capture webhook may arrive after the capture's own answer paid the order: counted once.
	waitUntil(t, "the capture webhook", func() bool {
		return ts.count(t, "SELECT count(*) FROM payment_notifications WHERE capture_id = ?", o.CaptureID) == 1
	})

	for _, days := range []string{"1", "7", "30"} {
		body := owner.get("/app?days=" + days).body
		if got := statValue(body, "stat-sales"); got != o.Total().String() {
			t.Errorf("%s days: sales %q, want %s", days, got, o.Total())
		}
		if got := statValue(body, "stat-orders"); got != "1" {
			t.Errorf("%s days: %s paid orders, want 1", days, got)
		}
		if got := statValue(body, "stat-conversion"); got != "50%" {
			t.Errorf("%s days: conversion %q, want 50%% (1 of 2 shoppers who wrote)", days, got)
		}
		if got := statValue(body, "stat-open-conversations"); got != "1" {
			t.Errorf("%s days: %s open conversations, want Lee's", days, got)
		}
		if n := strings.Count(body, `data-testid="chart-bar"`); n != 30 {
			t.Errorf("%s days: the chart has %d bars, want 30", days, n)
		}
	}
}
