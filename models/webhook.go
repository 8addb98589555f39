package models

import (
	"context"
	"time"
)

// Providers of webhooks.
const (
	ProviderPayPal    = "paypal"
	ProviderMessenger = "messenger"
)

// Event processing states. An event moves forward only: pending → processed, or through
// retrying to processed or dead; unmatched and ignored are final for events no shop owns or that
// chatshop does not act on.
const (
	EventPending   = "pending"
	EventProcessed = "processed"
	EventRetrying  = "retrying"
	EventDead      = "dead"
	EventUnmatched = "unmatched"
	EventIgnored   = "ignored"
)

// WebhookDelivery is one HTTP request from a provider, kept as received.
type WebhookDelivery struct {
	ID         int64
	Provider   string
	Headers    string // JSON object of the provider's headers
	Body       []byte
	RemoteAddr string
	Verified   bool
	Rejection  string // why an unverified delivery was refused
	ReceivedAt time.Time
}

// WebhookEvent is one provider event, the unit of deduplication and processing.
type WebhookEvent struct {
	ID          int64
	Provider    string
	EventKey    string // the provider's event id, or what identifies the event across redeliveries
	EventType   string
	AccountRef  string // the Page id or PayPal merchant id the event is for
	ShopID      *int64
	DeliveryID  int64
	Payload     []byte
	Status      string
	Attempts    int
	LastError   string
	ReceivedAt  time.Time
	ProcessedAt *time.Time
	// NextAttemptAt is when a retrying event is due; LockedUntil is a processor's lease on it.
	NextAttemptAt *time.Time
	LockedUntil   *time.Time
}

// WebhookAttempt is one try at processing an event.
type WebhookAttempt struct {
	ID         int64
	EventID    int64
	Attempt    int
	StartedAt  time.Time
	DurationUS int64 `gorm:"column:duration_us"`
	Error      string
}

// QueueDepth counts work waiting: events to process, calls queued, and upkeep jobs available,
// scheduled or retrying.
func (s *Store) QueueDepth(ctx context.Context) (int64, error) {
	var jobs, calls, events int64
	if err := s.r.WithContext(ctx).Table("river_job").Where("state IN ?", []string{"available", "scheduled", "retryable"}).Count(&jobs).Error; err != nil {
		return 0, err
	}
	if err := s.r.WithContext(ctx).Model(&Call{}).Where("state = ?", CallQueued).Count(&calls).Error; err != nil {
		return 0, err
	}
	err := s.r.WithContext(ctx).Model(&WebhookEvent{}).Where("status IN ?", []string{EventPending, EventRetrying}).Count(&events).Error
	return jobs + calls + events, err
}
