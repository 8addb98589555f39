package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/sandbox"
)

// Journey is one step of the shopper's journey timed end to end through the sandbox, at a steady
// rate: from the moment the shopper acts (open loop: when the action was due) to the moment the
// Page's answer reaches the shopper's Messenger, as the sandbox's Send API recorded it.
type Journey struct {
	Name            string  `json:"name"`
	TargetPerSecond int     `json:"target_per_s"`
	Count           int     `json:"count"`
	Answered        int     `json:"answered"`
	P50MS           float64 `json:"p50_ms"`
	P99MS           float64 `json:"p99_ms"`
}

// measureJourneys starts the server with its worker on the drained data directory and times a
// shopper's message to the bot's reply, and a buyer's PayPal approval to the receipt in the thread
// (the CHECKOUT.ORDER.APPROVED webhook, the capture, and the receipt through the Send API).
// In a full run the receipts then go on at rising rates (measureCapacity).
func measureJourneys(s *server, quick bool, logf func(string, ...any)) ([]Journey, *Capacity, error) {
	seconds := 10
	if quick {
		seconds = 3
	}
	s.terminate()
	if err := s.run("serve"); err != nil {
		return nil, nil, err
	}
	store, err := s.store()
	if err != nil {
		return nil, nil, err
	}
	defer store.Close()
	// Earlier stages may leave events behind (when the worker stage does not drain them): the
	// journeys are timed on a server with nothing else to do.
	for deadline := time.Now().Add(5 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		left, err := pendingEvents(store)
		if err != nil {
			return nil, nil, err
		}
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			return nil, nil, fmt.Errorf("%d events still pending after 5 minutes", left)
		}
	}
	j := journeyRun{sandbox: sandbox.NewControl(s.url, 64), store: store}

	logf("message to reply at a steady 100/s…")
	reply, err := j.messageToReply(100, seconds)
	if err != nil {
		return nil, nil, fmt.Errorf("message to reply: %w", err)
	}
	logf("approval to receipt at a steady 100/s…")
	receipt, err := j.approvalToReceipt(100, seconds)
	if err != nil {
		return nil, nil, fmt.Errorf("approval to receipt: %w", err)
	}
	s.sampleRSS()
	journeys := []Journey{reply, receipt}
	if quick {
		return journeys, nil, nil
	}
	capacity, err := j.measureCapacity(receipt, seconds, logf)
	s.sampleRSS()
	return journeys, capacity, err
}

type journeyRun struct {
	sandbox *sandbox.Control
	store   *models.Store
}

// messageToReply has rate×seconds new shoppers each write "browse" at the given rate, and times
// the first message the Page sends each of them back (the product carousel).
func (j *journeyRun) messageToReply(rate, seconds int) (Journey, error) {
	psids, err := j.shoppers(rate*seconds, "reply")
	if err != nil {
		return Journey{}, err
	}
	due, err := j.steady(rate, psids, func(psid string) error {
		return j.sandbox.Say(context.Background(), demo.PageID, psid, "browse")
	})
	if err != nil {
		return Journey{}, err
	}
	out := Journey{Name: "shopper's message to the bot's reply", TargetPerSecond: rate, Count: len(psids)}
	return out, j.answered(&out, due, `sender = 'page'`)
}

// approvalToReceipt prepares rate×seconds orders the way shoppers place them (Buy in the chat,
// the bot's PayPal button), then has their buyers approve at the given rate and times the receipt.
func (j *journeyRun) approvalToReceipt(rate, seconds int) (Journey, error) {
	n := rate * seconds
	variant, err := j.stockedVariant(n)
	if err != nil {
		return Journey{}, err
	}
	psids, err := j.shoppers(n, "buyer")
	if err != nil {
		return Journey{}, err
	}
	if err := each(n, func(i int) error {
		return j.sandbox.Tap(context.Background(), demo.PageID, psids[i], "Buy", fmt.Sprintf("BUY:%d", variant))
	}); err != nil {
		return Journey{}, err
	}
	orders, err := j.payButtons(psids)
	if err != nil {
		return Journey{}, err
	}
	due, err := j.steady(rate, psids, func(psid string) error {
		return j.sandbox.Approve(context.Background(), orders[psid])
	})
	if err != nil {
		return Journey{}, err
	}
	out := Journey{Name: "buyer's approval to the receipt in the thread", TargetPerSecond: rate, Count: n}
	return out, j.answered(&out, due, `sender = 'page' AND message LIKE '%"template_type":"receipt"%'`)
}

// shoppers creates n simulated shoppers on the demo Page.
func (j *journeyRun) shoppers(n int, tag string) ([]string, error) {
	psids := make([]string, n)
	err := each(n, func(i int) error {
		var err error
		psids[i], err = j.sandbox.CreateShopper(context.Background(), demo.PageID, fmt.Sprintf("Bench %s %d", tag, i), "en_US")
		return err
	})
	return psids, err
}

// stockedVariant is an offered variant of the demo shop with stock for n orders.
func (j *journeyRun) stockedVariant(n int) (int64, error) {
	var id int64
	if err := j.store.ReaderDB().QueryRow(`SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id
		WHERE p.offered AND v.inventory_policy = 'deny' ORDER BY v.id LIMIT 1`).Scan(&id); err != nil {
		return 0, fmt.Errorf("the demo shop offers no variant: %w", err)
	}
	_, err := j.store.WriterDB().Exec("UPDATE variants SET inventory_qty = inventory_qty + $1 WHERE id = $2", n, id)
	return id, err
}

// payButtons waits until every shopper's order has its PayPal order and the bot has sent the
// PayPal button, and returns the PayPal order of each.
func (j *journeyRun) payButtons(psids []string) (map[string]string, error) {
	mine := make(map[string]bool, len(psids))
	for _, p := range psids {
		mine[p] = true
	}
	orders := map[string]string{}
	deadline := time.Now().Add(2 * time.Minute)
	for len(orders) < len(psids) {
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%d of %d orders have no PayPal button after 2 minutes", len(psids)-len(orders), len(psids))
		}
		time.Sleep(100 * time.Millisecond)
		rows, err := j.store.ReaderDB().Query(`SELECT s.psid, o.paypal_order_id FROM orders o JOIN shoppers s ON s.id = o.shopper_id
			WHERE o.paypal_order_id <> '' AND EXISTS (SELECT 1 FROM sandbox_messages m WHERE m.psid = s.psid AND m.sender = 'page'
			  AND m.message LIKE '%' || o.paypal_order_id || '%')`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var psid, order string
			if err := rows.Scan(&psid, &order); err != nil {
				rows.Close()
				return nil, err
			}
			if mine[psid] {
				orders[psid] = order
			}
		}
		rows.Close()
	}
	return orders, nil
}

// steady calls act for each shopper at the given rate (open loop) and returns when each was due.
func (j *journeyRun) steady(rate int, psids []string, act func(psid string) error) (map[string]time.Time, error) {
	dues := make([]time.Time, len(psids))
	errs := make([]error, len(psids))
	openLoop(len(psids), rate, func(i int, due time.Time) {
		dues[i], errs[i] = due, act(psids[i])
	})
	due := make(map[string]time.Time, len(psids))
	for i, psid := range psids {
		due[psid] = dues[i]
	}
	return due, errors.Join(errs...)
}

// answered waits (up to a minute) for the Page's first message matching where to each shopper
// after they acted, and fills in the latencies from when each act was due.
func (j *journeyRun) answered(out *Journey, due map[string]time.Time, where string) error {
	deadline := time.Now().Add(time.Minute)
	var lat []time.Duration
	for {
		lat = lat[:0]
		rows, err := j.store.ReaderDB().QueryContext(context.Background(),
			`SELECT psid, min(created_at) FROM sandbox_messages WHERE page_id = $1 AND `+where+` GROUP BY psid`, demo.PageID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var psid string
			var at string
			if err := rows.Scan(&psid, &at); err != nil {
				rows.Close()
				return err
			}
			d, ok := due[psid]
			if !ok {
				continue
			}
			t, err := parseTime(at)
			if err != nil {
				rows.Close()
				return err
			}
			lat = append(lat, max(t.Sub(d), 0))
		}
		rows.Close()
		if len(lat) == len(due) || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	sortDurations(lat)
	out.Answered, out.P50MS, out.P99MS = len(lat), percentile(lat, 0.50), percentile(lat, 0.99)
	if out.Answered < out.Count {
		return fmt.Errorf("%w: %d of %d shoppers after a minute", errUnanswered, out.Count-out.Answered, out.Count)
	}
	return nil
}

// errUnanswered means some shoppers never got the Page's answer they waited for.
var errUnanswered = errors.New("no answer")

// parseTime reads a timestamp as the SQLite driver writes it, or as database/sql writes a time.Time.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

// each runs fn for 0..n-1 with 8 goroutines and returns the first error.
func each(n int, fn func(i int) error) error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 8)
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := fn(i); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}
