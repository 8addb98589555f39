package models

import (
	"sync"
	"time"
)

// memo keeps values that are costly to read and may be a little late (a page's filter choices,
// the overview's figures), each for a while: until it is older than fresh or, for a value read
// with its shop's version, until the shop changes.
type memo[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]memoEntry[V]
}

type memoEntry[V any] struct {
	v       V
	at      time.Time
	version uint64
}

// get returns the value kept for key if it is still good, or reads, keeps and returns it.
func (c *memo[K, V]) get(key K, now time.Time, fresh time.Duration, version uint64, read func() (V, error)) (V, error) {
	c.mu.Lock()
	hit, ok := c.m[key]
	c.mu.Unlock()
	if ok && hit.version == version && now.Sub(hit.at) < fresh {
		return hit.v, nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[K]memoEntry[V]{}
	}
	c.m[key] = memoEntry[V]{v: v, at: now, version: version}
	c.mu.Unlock()
	return v, nil
}

// shopVersions counts, per shop, the transactions that told live pages of a change: a value read
// at one version is stale at the next. Changes committed by another process are counted when heard
// of (on PostgreSQL); the epoch counts the times every shop may have changed unheard.
type shopVersions struct {
	mu    sync.Mutex
	m     map[int64]uint64
	epoch uint64
}

// bumpAll makes every value kept stale.
func (sv *shopVersions) bumpAll() {
	sv.mu.Lock()
	sv.epoch++
	sv.mu.Unlock()
}

func (sv *shopVersions) bump(shopID int64) {
	sv.mu.Lock()
	if sv.m == nil {
		sv.m = map[int64]uint64{}
	}
	sv.m[shopID]++
	sv.mu.Unlock()
}

func (sv *shopVersions) of(shopID int64) uint64 {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return sv.m[shopID] + sv.epoch
}
