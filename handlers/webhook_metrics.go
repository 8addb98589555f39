package handlers

import "github.com/prometheus/client_golang/prometheus"

// WebhookMetrics counts deliveries at the door.
type WebhookMetrics struct {
	received, events, duplicates *prometheus.CounterVec
	rejected                     *prometheus.CounterVec
	ackLatency                   *prometheus.HistogramVec
}

// NewWebhookMetrics registers the intake metrics.
func NewWebhookMetrics(reg prometheus.Registerer) *WebhookMetrics {
	m := &WebhookMetrics{
		received: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chatshop_webhook_deliveries_received_total", Help: "Verified deliveries stored and acknowledged.",
		}, []string{"provider"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chatshop_webhook_events_received_total", Help: "New events stored for processing.",
		}, []string{"provider"}),
		duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chatshop_webhook_events_duplicate_total", Help: "Events delivered again and not processed again.",
		}, []string{"provider"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chatshop_webhook_deliveries_rejected_total", Help: "Deliveries refused: bad or missing signature, or unreadable.",
		}, []string{"provider", "reason"}),
		ackLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "chatshop_webhook_ack_seconds",
			Help:    "Time from a delivery's arrival to its durable acknowledgement.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}, []string{"provider"}),
	}
	reg.MustRegister(m.received, m.events, m.duplicates, m.rejected, m.ackLatency)
	return m
}
