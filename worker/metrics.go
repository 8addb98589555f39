package worker

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chatshop/chatshop/models"
)

// Metrics counts what the worker does with webhook events and calls.
type Metrics struct {
	processed   *prometheus.CounterVec
	failed      *prometheus.CounterVec
	latency     prometheus.Histogram
	calls       *prometheus.CounterVec
	callSeconds prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer, store *models.Store) *Metrics {
	m := &Metrics{
		processed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chatshop_webhook_events_processed_total", Help: "Events processed, by provider and outcome.",
		}, []string{"provider", "status"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chatshop_webhook_events_failed_total", Help: "Processing attempts that failed and will be retried or dead-lettered.",
		}, []string{"provider"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "chatshop_webhook_processing_seconds",
			Help:    "Time to process one event.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 5},
		}),
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chatshop_calls_total", Help: "Calls to PayPal and Meta made, by kind and outcome (done, retry, failed).",
		}, []string{"kind", "outcome"}),
		callSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "chatshop_call_seconds",
			Help:    "Time to make one call, the records it changes included.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 5, 30},
		}),
	}
	depth := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "chatshop_jobs_queued", Help: "Background work waiting: events to process, calls queued, upkeep jobs available, scheduled or retrying.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, err := store.QueueDepth(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	reg.MustRegister(m.processed, m.failed, m.latency, m.calls, m.callSeconds, depth)
	return m
}
