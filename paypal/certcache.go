package paypal

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"sync"
	"time"
)

// The certificate cache's limits. PayPal signs with one certificate at a time, so a few entries
// hold every real one, and a flood of distinct URLs can neither grow memory nor keep more than
// that many fetches in flight. Certificates are read again daily; a failure is remembered for a
// minute, so a bad URL is not fetched again for every delivery that names it.
const (
	certCacheSize    = 16
	certTTL          = 24 * time.Hour
	certFailureTTL   = time.Minute
	certFetchTimeout = 10 * time.Second
)

// errFetchAborted is what waiters see when the fetch they waited for panicked.
var errFetchAborted = errors.New("certificate fetch did not return")

// certCache holds certificates, and failures to get them, by canonical URL. At most one fetch
// per URL runs at a time: later callers wait for its result.
type certCache struct {
	mu      sync.Mutex
	entries map[string]*certEntry
	tick    uint64 // counts uses, for least-recently-used eviction
}

type certEntry struct {
	done    chan struct{} // closed when the fetch has finished
	ready   bool          // under mu: the fetch has finished, cert, err and expires are set
	cert    *x509.Certificate
	err     error
	expires time.Time
	used    uint64
}

// get returns the certificate at url: a fresh cached result (a certificate or a failure), the
// result of the fetch already running, or that of calling load. now is the clock for expiry.
func (c *certCache) get(ctx context.Context, url string, now func() time.Time, load func() (*x509.Certificate, error)) (*x509.Certificate, error) {
	c.mu.Lock()
	e := c.entries[url]
	if e != nil && e.ready && !now().Before(e.expires) {
		delete(c.entries, url)
		e = nil
	}
	if e == nil {
		if !c.makeRoom(now()) {
			c.mu.Unlock()
			return nil, fmt.Errorf("%w: too many certificates being fetched", ErrCertInvalid)
		}
		if c.entries == nil {
			c.entries = map[string]*certEntry{}
		}
		e = &certEntry{done: make(chan struct{})}
		c.entries[url] = e
		c.touch(e)
		c.mu.Unlock()
		return c.fetch(e, now, load)
	}
	c.touch(e)
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.cert, e.err
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %v", ErrCertInvalid, ctx.Err())
	}
}

// fetch runs load for entry e and publishes its result to e's waiters, even if load panics.
func (c *certCache) fetch(e *certEntry, now func() time.Time, load func() (*x509.Certificate, error)) (cert *x509.Certificate, err error) {
	err = fmt.Errorf("%w: %w", ErrCertInvalid, errFetchAborted)
	defer func() {
		ttl := certTTL
		if err != nil {
			ttl = certFailureTTL
		}
		c.mu.Lock()
		e.cert, e.err, e.expires, e.ready = cert, err, now().Add(ttl), true
		close(e.done)
		c.mu.Unlock()
	}()
	return load()
}

func (c *certCache) touch(e *certEntry) {
	c.tick++
	e.used = c.tick
}

// makeRoom evicts an entry if the cache is full, and reports whether there is room. It evicts
// an expired entry first, then the least recently used failure, then the least recently used
// certificate, so forged URLs that fail do not push out the certificate PayPal signs with. An
// entry being fetched is never evicted: if all are, there is no room.
func (c *certCache) makeRoom(now time.Time) bool {
	if len(c.entries) < certCacheSize {
		return true
	}
	var victim string
	var best *certEntry
	for url, e := range c.entries {
		if e.ready && (best == nil || e.evictBefore(best, now)) {
			victim, best = url, e
		}
	}
	if best == nil {
		return false
	}
	delete(c.entries, victim)
	return true
}

// evictBefore orders finished entries for eviction: expired, then failed, then by last use.
func (e *certEntry) evictBefore(o *certEntry, now time.Time) bool {
	rank := func(x *certEntry) int {
		switch {
		case !now.Before(x.expires):
			return 0
		case x.err != nil:
			return 1
		}
		return 2
	}
	if re, ro := rank(e), rank(o); re != ro {
		return re < ro
	}
	return e.used < o.used
}

// size is the number of entries, finished or being fetched.
func (c *certCache) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
