package models

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Why a webhook delivery was refused.
const (
	RefusedSignature = "signature" // a bad or missing signature
	RefusedMalformed = "malformed" // signed, but not a delivery chatshop can read
	RefusedTooLarge  = "too_large" // larger than any real delivery
)

// Bounds on what a refusal keeps: anyone can send one, so nothing about it may grow with what the
// sender chooses.
const (
	refusalSamplesKept = 100
	refusalBodyKept    = 2 << 10
	refusalDetailKept  = 300
	// refusalFlushEvery is how often at most the counts and samples are written.
	refusalFlushEvery = time.Second
)

// RefusedDelivery is a sample of a refused webhook delivery, for the event log. Headers are the
// allow-listed ones (JSON), already capped by whoever refused it; Body is cut to 2 KB and BodySize
// says how long it was.
type RefusedDelivery struct {
	ID         int64
	Provider   string
	Reason     string
	Detail     string // the check's own words, for the platform's admins
	Headers    string
	Body       []byte
	BodySize   int
	RemoteAddr string
	ReceivedAt time.Time
}

// TableName is the samples' table.
func (RefusedDelivery) TableName() string { return "webhook_refusals" }

// refusalCount is how many deliveries of a provider were refused for a reason in an hour.
type refusalCount struct {
	Provider string
	Reason   string
	Hour     time.Time
	Count    int64
}

func (refusalCount) TableName() string { return "webhook_refusal_counts" }

type refusalKey struct {
	provider, reason string
	hour             time.Time
}

// RefusalLog counts refused webhook deliveries in memory and keeps the latest few as samples; it
// writes the counts and the samples at most once a second, in one transaction, so a flood of
// forged deliveries costs no write per request and cannot grow the database or the memory:
// the counts are keyed by provider, reason and hour, and the samples are a ring of 100.
type RefusalLog struct {
	s   *Store
	log *slog.Logger
	// flushing is held through a write, so that Flush returns only once everything refused
	// before it was called is written, whichever of the writer and the caller wrote it.
	flushing sync.Mutex
	mu       sync.Mutex
	counts   map[refusalKey]int64
	samples  []RefusedDelivery // the ring, oldest first once full
	next     int               // where the next sample goes once the ring is full
	dirty    chan struct{}
	stop     context.CancelFunc
	done     chan struct{}
}

// NewRefusalLog starts the log's writer; Close writes what is left and stops it.
func (s *Store) NewRefusalLog(log *slog.Logger) *RefusalLog {
	if log == nil {
		log = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &RefusalLog{s: s, log: log, counts: map[refusalKey]int64{}, dirty: make(chan struct{}, 1), stop: cancel, done: make(chan struct{})}
	go l.run(ctx)
	return l
}

// Refuse counts a refused delivery and keeps it as the latest sample, cut to the bounds; it never
// blocks on the database.
func (l *RefusalLog) Refuse(d RefusedDelivery) {
	d.ID, d.BodySize = 0, len(d.Body)
	// A copy, so the sample does not keep the whole request body alive.
	d.Body = append([]byte(nil), d.Body[:min(len(d.Body), refusalBodyKept)]...)
	if len(d.Detail) > refusalDetailKept {
		d.Detail = d.Detail[:refusalDetailKept]
	}
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = l.s.nowUTC()
	}
	key := refusalKey{d.Provider, d.Reason, d.ReceivedAt.UTC().Truncate(time.Hour)}
	l.mu.Lock()
	l.counts[key]++
	if len(l.samples) < refusalSamplesKept {
		l.samples = append(l.samples, d)
	} else {
		l.samples[l.next] = d
		l.next = (l.next + 1) % refusalSamplesKept
	}
	l.mu.Unlock()
	select {
	case l.dirty <- struct{}{}:
	default:
	}
}

// Flush writes the counts and samples gathered so far. When the write fails, the counts are kept
// for the next one (the samples, only a sample, are not).
func (l *RefusalLog) Flush(ctx context.Context) error {
	l.flushing.Lock()
	defer l.flushing.Unlock()
	l.mu.Lock()
	counts, samples := l.counts, slices.Concat(l.samples[l.next:], l.samples[:l.next])
	l.counts, l.samples, l.next = map[refusalKey]int64{}, nil, 0
	l.mu.Unlock()
	if len(counts) == 0 {
		return nil
	}
	err := l.s.recordRefusals(ctx, counts, samples)
	if err != nil {
		l.mu.Lock()
		for k, n := range counts {
			l.counts[k] += n
		}
		l.mu.Unlock()
	}
	return err
}

// Close writes what is left and stops the writer.
func (l *RefusalLog) Close() {
	l.stop()
	<-l.done
}

// run writes at most once a second while refusals come; a write under way when Close is called
// ends before the last one.
func (l *RefusalLog) run(ctx context.Context) {
	defer close(l.done)
	defer l.flush()
	pace := time.NewTimer(0)
	defer pace.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.dirty:
		}
		select {
		case <-ctx.Done():
			return
		case <-pace.C:
		}
		l.flush()
		pace.Reset(refusalFlushEvery)
	}
}

func (l *RefusalLog) flush() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := l.Flush(ctx); err != nil {
		l.log.Warn("refused webhook deliveries not recorded", "err", err)
	}
}

// recordRefusals adds the counts and keeps the newest samples, at most 100 in all.
func (s *Store) recordRefusals(ctx context.Context, counts map[refusalKey]int64, samples []RefusedDelivery) error {
	return s.Transaction(ctx, func(tx *Tx) error {
		for k, n := range counts {
			err := tx.db.Exec(`INSERT INTO webhook_refusal_counts (provider, reason, hour, count) VALUES (?, ?, ?, ?)
				ON CONFLICT (provider, reason, hour) DO UPDATE SET count = webhook_refusal_counts.count + excluded.count`,
				k.provider, k.reason, k.hour, n).Error
			if err != nil {
				return err
			}
		}
		if len(samples) == 0 {
			return nil
		}
		if err := tx.db.Create(&samples).Error; err != nil {
			return err
		}
		return tx.db.Exec(`DELETE FROM webhook_refusals WHERE id NOT IN
			(SELECT id FROM webhook_refusals ORDER BY id DESC LIMIT ?)`, refusalSamplesKept).Error
	})
}

// RefusalTotal is how many deliveries of a provider were refused for a reason: in the current
// hour, in the last 24 hours and in all the counts kept.
type RefusalTotal struct {
	Provider, Reason        string
	ThisHour, LastDay, Kept int64
}

// RefusalTotals adds up the kept counts of refused deliveries by provider and reason.
func (s *Store) RefusalTotals(ctx context.Context, now time.Time) ([]RefusalTotal, error) {
	hour := now.UTC().Truncate(time.Hour)
	var totals []RefusalTotal
	return totals, s.r.WithContext(ctx).Model(&refusalCount{}).
		Select(`provider, reason, sum(count) AS kept,
			sum(CASE WHEN hour > ? THEN count ELSE 0 END) AS last_day,
			sum(CASE WHEN hour >= ? THEN count ELSE 0 END) AS this_hour`, hour.Add(-24*time.Hour), hour).
		Group("provider, reason").Order("provider, reason").Scan(&totals).Error
}

// LatestRefusals lists the kept samples of refused deliveries, newest first.
func (s *Store) LatestRefusals(ctx context.Context, limit int) ([]RefusedDelivery, error) {
	var ds []RefusedDelivery
	return ds, s.r.WithContext(ctx).Order("id DESC").Limit(limit).Find(&ds).Error
}
