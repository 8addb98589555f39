package handlers

import (
	"container/list"
	"sync"
	"time"
)

// Signups that reach password hashing, per client address: a signup costs 19 MiB and a core for
// tens of milliseconds, and creates a shop.
const (
	signupsPerAddress = 10
	signupWindow      = time.Hour
	// signupAddresses bounds the memory kept: about 400 bytes an address, 4 MB in all.
	signupAddresses = 10_000
)

// AddressLimiter allows each client address at most limit attempts in any window, counting only the
// attempts it allows. It is kept in memory rather than in the database so that refusing costs no
// write (a flood is refused as cheaply as possible) and it holds at most capacity addresses, the
// one seen least recently making way for a new one, so it cannot grow without bound. The price:
// each process counts on its own, and a restart forgets; both only loosen a limit on signups,
// which sign-in's throttle (in the database) does not depend on.
type AddressLimiter struct {
	limit    int
	window   time.Duration
	capacity int
	now      func() time.Time

	mu    sync.Mutex
	byIP  map[string]*list.Element // of *addressAttempts
	order *list.List               // most recently seen first
}

type addressAttempts struct {
	ip    string
	times []time.Time // the allowed attempts in the window, oldest first
}

// NewAddressLimiter allows limit attempts per address in any window, remembering up to capacity
// addresses; now is the clock.
func NewAddressLimiter(limit int, window time.Duration, capacity int, now func() time.Time) *AddressLimiter {
	return &AddressLimiter{limit: limit, window: window, capacity: capacity, now: now,
		byIP: make(map[string]*list.Element), order: list.New()}
}

// NewSignupLimiter is the limiter of signups: 10 an hour per address.
func NewSignupLimiter(now func() time.Time) *AddressLimiter {
	return NewAddressLimiter(signupsPerAddress, signupWindow, signupAddresses, now)
}

// Take counts an attempt from ip and returns zero, or refuses it, counting nothing, and returns
// how long until ip may try again.
func (l *AddressLimiter) Take(ip string) time.Duration {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.byIP[ip]
	if !ok {
		if l.order.Len() >= l.capacity {
			oldest := l.order.Back()
			delete(l.byIP, oldest.Value.(*addressAttempts).ip)
			l.order.Remove(oldest)
		}
		el = l.order.PushFront(&addressAttempts{ip: ip, times: make([]time.Time, 0, l.limit)})
		l.byIP[ip] = el
	}
	l.order.MoveToFront(el)
	a := el.Value.(*addressAttempts)
	kept := a.times[:0]
	for _, at := range a.times {
		if now.Sub(at) < l.window {
			kept = append(kept, at)
		}
	}
	a.times = kept
	if len(a.times) >= l.limit {
		return a.times[0].Add(l.window).Sub(now)
	}
	a.times = append(a.times, now)
	return 0
}
