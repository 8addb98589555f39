package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/chatshop/chatshop/models"
)

// Worker is the background worker's throughput on a backlog.
type Worker struct {
	Events    int     `json:"events"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"events_per_s"`
}

// measureWorker builds a backlog with a web-only process, then times a worker-only process
// draining it: the worker's rate without the web server competing for the machine.
func measureWorker(s *server, quick bool) (Worker, error) {
	n := 6000
	if quick {
		n = 1500
	}
	s.terminate()
	if err := s.run("serve", "--no-worker"); err != nil {
		return Worker{}, err
	}
	backlog := closedLoop([]string{s.url}, s.messengerDeliveries(n, "backlog"), 16)
	if backlog.Errors > 0 {
		return Worker{}, fmt.Errorf("%d backlog deliveries failed", backlog.Errors)
	}
	s.terminate()

	store, err := s.store()
	if err != nil {
		return Worker{}, err
	}
	defer store.Close()
	before, err := pendingEvents(store)
	if err != nil {
		return Worker{}, err
	}
	start := time.Now()
	if err := s.run("worker", "--worker-poll-interval", "20ms"); err != nil {
		return Worker{}, err
	}
	deadline := start.Add(5 * time.Minute)
	for {
		left, err := pendingEvents(store)
		if err != nil {
			return Worker{}, err
		}
		s.sampleRSS()
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			return Worker{}, fmt.Errorf("%d events still pending after 5 minutes", left)
		}
		time.Sleep(20 * time.Millisecond)
	}
	elapsed := time.Since(start)
	s.terminate()
	return Worker{Events: before, Seconds: elapsed.Seconds(), PerSecond: float64(before) / elapsed.Seconds()}, nil
}

// pendingEvents counts the events waiting to be processed.
func pendingEvents(store *models.Store) (int, error) {
	var c int
	err := store.ReaderDB().QueryRowContext(context.Background(),
		"SELECT count(*) FROM webhook_events WHERE status IN ('pending', 'retrying')").Scan(&c)
	return c, err
}
