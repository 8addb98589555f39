// Package live tells the browsers of a shop that something changed: the store publishes a change
// after the transaction that made it commits, and each open dashboard page (a server-sent events
// stream) hears the changes of its own shop and reloads the parts of the page they touch.
package live

import "sync"

// Kinds of change a page can listen for.
const (
	Chat         = "chat"         // a message in a conversation, or a conversation read or assigned
	Notification = "notification" // a payment notification
	Dispute      = "dispute"      // a dispute reported by PayPal, or its notes, files and actions
)

// Platform is the admins' channel, numbered like a shop's: the changes of every shop that the
// admin console shows (disputes).
const Platform int64 = 0

// Change is one kind of thing that changed in a shop.
type Change struct {
	ShopID int64
	Kind   string
}

// Event is a change as a subscriber hears it: its kind and the shop's change number.
type Event struct {
	Kind string
	Seq  uint64
}

// Hub fans changes out to subscribers by shop. Each shop's changes are numbered, so that a page
// rendered at number N and subscribing afterwards still hears of what changed in between.
// Publishing never blocks: a subscriber that has not read its last changes yet misses nothing that
// matters, since a change only says "look again".
type Hub struct {
	mu     sync.Mutex
	subs   map[int64]map[chan Event]struct{}
	seq    map[int64]uint64            // the shop's latest change number
	last   map[int64]map[string]uint64 // the number of each kind's latest change
	closed bool
}

// NewHub returns an empty hub.
func NewHub() *Hub {
	return &Hub{subs: map[int64]map[chan Event]struct{}{}, seq: map[int64]uint64{}, last: map[int64]map[string]uint64{}}
}

// Seq is the shop's latest change number: a page read after it has seen every change up to it.
func (h *Hub) Seq(shopID int64) uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seq[shopID]
}

// Subscribe returns the changes of a shop after the change number since (at once, one event per
// kind changed since then), until cancel is called or the hub is closed (then the channel closes).
func (h *Hub) Subscribe(shopID int64, since uint64) (events <-chan Event, cancel func()) {
	ch := make(chan Event, 16)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(ch)
		return ch, func() {}
	}
	for kind, seq := range h.last[shopID] {
		if seq > since {
			ch <- Event{Kind: kind, Seq: h.seq[shopID]}
		}
	}
	if h.subs[shopID] == nil {
		h.subs[shopID] = map[chan Event]struct{}{}
	}
	h.subs[shopID][ch] = struct{}{}
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, ok := h.subs[shopID][ch]; ok {
			close(ch)
			delete(h.subs[shopID], ch)
		}
		if len(h.subs[shopID]) == 0 {
			delete(h.subs, shopID)
		}
	}
}

// Publish numbers a change and tells the shop's subscribers.
func (h *Hub) Publish(c Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq[c.ShopID]++
	seq := h.seq[c.ShopID]
	if h.last[c.ShopID] == nil {
		h.last[c.ShopID] = map[string]uint64{}
	}
	h.last[c.ShopID][c.Kind] = seq
	for ch := range h.subs[c.ShopID] {
		select {
		case ch <- Event{Kind: c.Kind, Seq: seq}:
		default: // a full buffer already holds changes that make the page look again
		}
	}
}

// Close ends every subscription, so that open streams finish and the server can shut down.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, s := range h.subs {
		for ch := range s {
			close(ch)
		}
	}
	h.subs = map[int64]map[chan Event]struct{}{}
}

// Subscribers counts the open subscriptions, for tests and metrics.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, s := range h.subs {
		n += len(s)
	}
	return n
}
