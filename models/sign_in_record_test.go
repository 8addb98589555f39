package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models"
)

func TestWrongCurrentPasswordsEndTheSessions(t *testing.T) {
	ctx := context.Background()
	const home = "192.0.2.10"
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, g signIns, check func(ip string, throttled, wantEnded bool))
	}{
		{"the fifth in the window, from any addresses", func(t *testing.T, g signIns, check func(string, bool, bool)) {
			for i := range 4 {
				check(fmt.Sprintf("198.51.100.%d", i+1), false, false)
			}
			check("198.51.100.9", false, true)
		}},
		{"a sign-in starts the count again", func(t *testing.T, g signIns, check func(string, bool, bool)) {
			for range 4 {
				check(home, false, false)
			}
			g.clock.Advance(time.Second)
			g.signIn("owner@example.com", home)
			g.clock.Advance(time.Second)
			for range 4 {
				check(home, false, false)
			}
			check(home, false, true)
		}},
		{"those out of the window do not count", func(t *testing.T, g signIns, check func(string, bool, bool)) {
			for range 4 {
				check(home, false, false)
			}
			g.clock.Advance(15*time.Minute + time.Second)
			for range 4 {
				check(home, false, false)
			}
		}},
		{"attempts refused by the throttle are not counted", func(t *testing.T, g signIns, check func(string, bool, bool)) {
			for range 10 {
				check(home, true, false)
			}
		}},
		{"sign-in's throttle counts them", func(t *testing.T, g signIns, check func(string, bool, bool)) {
			for range 4 {
				check("198.51.100.1", false, false)
			}
			if w := g.wait("owner@example.com", "198.51.100.1"); w != 0 {
				t.Fatalf("4 wrong current passwords: sign-in from their address waits %v", w)
			}
			check("198.51.100.1", false, true)
			if w := g.wait("owner@example.com", "198.51.100.1"); w <= 0 {
				t.Fatal("5 wrong current passwords: sign-in from their address may go ahead")
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newSignIns(t)
			g.account("owner@example.com", home)
			u, err := g.s.UserByEmail(ctx, "owner@example.com")
			if err != nil {
				t.Fatal(err)
			}
			check := func(ip string, throttled, wantEnded bool) {
				t.Helper()
				before, _ := g.s.UserByID(ctx, u.ID)
				ended, err := g.s.RecordPasswordCheckFailed(ctx, u, ip, throttled)
				if err != nil {
					t.Fatal(err)
				}
				after, _ := g.s.UserByID(ctx, u.ID)
				if ended != wantEnded || (after.SessionEpoch != before.SessionEpoch) != wantEnded {
					t.Fatalf("from %s: ended %v, epoch %d → %d; want ended %v", ip, ended, before.SessionEpoch, after.SessionEpoch, wantEnded)
				}
				g.clock.Advance(time.Second)
			}
			tc.run(t, g, check)
		})
	}
}

// The guesses are in the shop's audit log, and so is the end of the sessions.
func TestWrongCurrentPasswordsAreAudited(t *testing.T) {
	ctx := context.Background()
	g := newSignIns(t)
	shop := newShop(t, g.s, "owner@example.com")
	u, _ := g.s.UserByEmail(ctx, "owner@example.com")
	for i := range 6 {
		if _, err := g.s.RecordPasswordCheckFailed(ctx, u, "198.51.100.1", i == 5); err != nil {
			t.Fatal(err)
		}
	}
	for action, want := range map[string]int{
		models.AuditPasswordCheckFailed:    5,
		models.AuditPasswordCheckThrottled: 1,
		models.AuditSignedOutAfterGuesses:  1,
	} {
		page, err := g.s.ForShop(shop.ID).ListAudit(ctx, models.AuditFilter{Action: action, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Events) != want {
			t.Errorf("%d %s events in the shop's log, want %d", len(page.Events), action, want)
		}
	}
}
