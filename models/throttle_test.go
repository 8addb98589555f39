package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

// signIns drives the store's sign-in throttle the way the sign-in handler does, on a test clock.
type signIns struct {
	t     *testing.T
	s     *models.Store
	clock *modelstest.Clock
}

func newSignIns(t *testing.T) signIns {
	clock := modelstest.NewClock()
	return signIns{t: t, s: modelstest.OpenWithClock(t, clock), clock: clock}
}

func (g signIns) wait(email, ip string) time.Duration {
	g.t.Helper()
	w, err := g.s.LoginThrottle(context.Background(), email, ip)
	if err != nil {
		g.t.Fatal(err)
	}
	return w
}

// fail records a wrong password, throttled or not.
func (g signIns) fail(email, ip string) {
	g.t.Helper()
	if err := g.s.RecordSignIn(context.Background(), email, ip, nil, false); err != nil {
		g.t.Fatal(err)
	}
}

// guess is a wrong password as the handler takes it: refused (and so not counted) while the
// throttle says wait, else a failure. It returns the wait.
func (g signIns) guess(email, ip string) time.Duration {
	g.t.Helper()
	w := g.wait(email, ip)
	if err := g.s.RecordSignIn(context.Background(), email, ip, nil, w > 0); err != nil {
		g.t.Fatal(err)
	}
	return w
}

// account creates a user and signs them in from ip; it returns their email.
func (g signIns) account(email, ip string) string {
	g.t.Helper()
	newShop(g.t, g.s, email)
	g.signIn(email, ip)
	return email
}

// signIn records a successful sign-in of the user of email from ip.
func (g signIns) signIn(email, ip string) {
	g.t.Helper()
	u, err := g.s.UserByEmail(context.Background(), email)
	if err != nil {
		g.t.Fatal(err)
	}
	if err := g.s.RecordSignIn(context.Background(), email, ip, u, false); err != nil {
		g.t.Fatal(err)
	}
}

func TestLoginThrottle(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, g signIns)
	}{
		{"five failures lock the pair, not the account nor the address", func(t *testing.T, g signIns) {
			for range 4 {
				g.fail("victim@example.com", "198.51.100.1")
				g.clock.Advance(time.Second)
			}
			if w := g.wait("victim@example.com", "198.51.100.1"); w != 0 {
				t.Fatalf("throttled after 4 failures: %v", w)
			}
			g.fail("VICTIM@example.com", "198.51.100.1")
			g.clock.Advance(time.Second)
			if w := g.wait("victim@example.com", "198.51.100.1"); w != 15*time.Minute-5*time.Second {
				t.Fatalf("after 5 failures the pair waits %v, want until the first leaves the window", w)
			}
			if w := g.wait("victim@example.com", "198.51.100.2"); w != 0 {
				t.Fatalf("the account is throttled from another address: %v", w)
			}
			if w := g.wait("someone-else@example.com", "198.51.100.1"); w != 0 {
				t.Fatalf("the address is throttled for another account: %v", w)
			}
			g.clock.Advance(15 * time.Minute)
			if w := g.wait("victim@example.com", "198.51.100.1"); w != 0 {
				t.Fatalf("still throttled after the window: %v", w)
			}
		}},
		{"a success clears the pair's count", func(t *testing.T, g signIns) {
			for range 4 {
				g.fail("user@example.com", "192.0.2.1")
			}
			g.clock.Advance(time.Second)
			g.account("user@example.com", "192.0.2.1")
			g.clock.Advance(time.Second)
			for range 4 {
				g.fail("user@example.com", "192.0.2.1")
			}
			if w := g.wait("user@example.com", "192.0.2.1"); w != 0 {
				t.Fatalf("failures before a success still count: %v", w)
			}
			g.fail("user@example.com", "192.0.2.1")
			if w := g.wait("user@example.com", "192.0.2.1"); w == 0 {
				t.Fatal("5 failures since the success are not throttled")
			}
		}},
		{"thirty failures lock the address, whatever emails", func(t *testing.T, g signIns) {
			for i := range 30 {
				g.fail(fmt.Sprintf("spray%d@example.com", i), "203.0.113.66")
			}
			if w := g.wait("fresh@example.com", "203.0.113.66"); w != throttleWindow {
				t.Fatalf("an address with 30 failures waits %v, want the window", w)
			}
			if w := g.wait("fresh@example.com", "203.0.113.67"); w != 0 {
				t.Fatalf("a different address is throttled: %v", w)
			}
		}},
		{"an address not signed in from for 30 days is no longer known", func(t *testing.T, g signIns) {
			owner := g.account("owner@example.com", "192.0.2.10")
			g.clock.Advance(30*24*time.Hour + time.Second)
			for i := range 10 {
				g.fail(owner, fmt.Sprintf("198.51.100.%d", i+1))
			}
			if w := g.wait(owner, "192.0.2.10"); w != time.Second {
				t.Fatalf("the old address waits %v, want the account's delay, 1s", w)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newSignIns(t)) })
	}
}

const throttleWindow = 15 * time.Minute

// TestOwnerSignsInWhileOthersGuess: an attacker's guesses from elsewhere throttle the attacker,
// and only slow the account down for addresses it has not signed in from; its owner, at an
// address they signed in from before, is let in at once.
func TestOwnerSignsInWhileOthersGuess(t *testing.T) {
	g := newSignIns(t)
	const home = "192.0.2.10"
	owner := g.account("owner@example.com", home)
	g.clock.Advance(3 * 24 * time.Hour)

	attackers := []string{"198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4", "198.51.100.5"}
	refused := 0
	for i := range 50 {
		if g.guess(owner, attackers[i%len(attackers)]) > 0 {
			refused++
		}
		g.clock.Advance(time.Second)
	}
	if w := g.wait(owner, home); w != 0 {
		t.Fatalf("after 50 guesses from elsewhere the owner waits %v at their own address", w)
	}
	if refused == 0 {
		t.Fatal("none of the 50 guesses was refused")
	}
	for _, ip := range attackers {
		if w := g.wait(owner, ip); w <= 0 {
			t.Errorf("the attacker's address %s may guess again at once", ip)
		}
	}
	if w := g.wait(owner, "203.0.113.7"); w <= 0 || w > time.Minute {
		t.Fatalf("an address new to the account waits %v, want the account's delay (0, 1m]", w)
	}
}

func TestAccountDelayGrowsForUnknownAddresses(t *testing.T) {
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{
		{9, 0},
		{10, time.Second},
		{11, 2 * time.Second},
		{13, 8 * time.Second},
		{15, 32 * time.Second},
		{16, time.Minute},
		{25, time.Minute},
	} {
		t.Run(fmt.Sprint(tc.failures), func(t *testing.T) {
			g := newSignIns(t)
			const home = "192.0.2.10"
			owner := g.account("owner@example.com", home)
			g.clock.Advance(time.Hour)
			for i := range tc.failures {
				g.fail(owner, fmt.Sprintf("198.51.100.%d", i+1)) // each address once: no pair nor address is locked
			}
			if w := g.wait(owner, "203.0.113.7"); w != tc.want {
				t.Fatalf("after %d failures an unknown address waits %v, want %v", tc.failures, w, tc.want)
			}
			if w := g.wait(owner, home); w != 0 {
				t.Fatalf("the owner's address waits %v", w)
			}
			g.clock.Advance(tc.want)
			if w := g.wait(owner, "203.0.113.7"); w != 0 {
				t.Fatalf("%v after the last failure an unknown address still waits %v", tc.want, w)
			}
		})
	}
}
