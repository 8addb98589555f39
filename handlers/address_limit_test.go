package handlers

import (
	"testing"
	"time"
)

func TestAddressLimiter(t *testing.T) {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	type step struct {
		at   time.Duration // after start
		ip   string
		want time.Duration // what Take answers
	}
	for _, tc := range []struct {
		name     string
		capacity int
		steps    []step
	}{
		{"the limit, then the wait until the oldest leaves the window", 10, []step{
			{0, "a", 0}, {time.Minute, "a", 0}, {2 * time.Minute, "a", 0},
			{3 * time.Minute, "a", 57 * time.Minute},
			{4 * time.Minute, "b", 0}, // another address has its own count
			{59 * time.Minute, "a", time.Minute},
			{60 * time.Minute, "a", 0},                // the first left the window
			{61 * time.Minute, "a", 0},                // and the second
			{62 * time.Minute, "a", 0},                // and the third; refusals were not counted
			{63 * time.Minute, "a", 57 * time.Minute}, // until the attempt at +60m leaves
		}},
		{"the address seen least recently makes way", 2, []step{
			{0, "a", 0}, {0, "a", 0}, {0, "a", 0},
			{0, "b", 0}, {0, "b", 0}, {0, "b", 0},
			{0, "a", time.Hour}, // refused, and so seen after b
			{0, "c", 0},         // b makes way
			{0, "a", time.Hour}, // a is still counted
			{0, "b", 0},         // b starts afresh
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := start
			l := NewAddressLimiter(3, time.Hour, tc.capacity, func() time.Time { return now })
			for i, s := range tc.steps {
				now = start.Add(s.at)
				if got := l.Take(s.ip); got != s.want {
					t.Fatalf("step %d: Take(%q) at +%v = %v, want %v", i, s.ip, s.at, got, s.want)
				}
				if n := l.order.Len(); n > tc.capacity || n != len(l.byIP) {
					t.Fatalf("step %d: %d addresses in the list, %d in the map, capacity %d", i, n, len(l.byIP), tc.capacity)
				}
			}
		})
	}
}
