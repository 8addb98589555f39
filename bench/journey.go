package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/chatshop/chatshop/models"
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
func measureJourneys(s *server, quick bool, logf func(string, ...any)) ([]Journey, error) {
	seconds := 10
	if quick {
		seconds = 3
	}
	s.terminate()
	if err := s.run("serve"); err != nil {
		return nil, err
	}
	store, err := s.store()
	if err != nil {
		return nil, err
	}
	defer store.Close()
	j := journeyRun{s: s, store: store, c: newClient(64)}

	logf("message to reply at a steady 100/s…")
	reply, err := j.messageToReply(100, seconds)
	if err != nil {
		return nil, fmt.Errorf("message to reply: %w", err)
	}
	logf("approval to receipt at a steady 100/s…")
	receipt, err := j.approvalToReceipt(100, seconds)
	if err != nil {
		return nil, fmt.Errorf("approval to receipt: %w", err)
	}
	s.sampleRSS()
	return []Journey{reply, receipt}, nil
}

type journeyRun struct {
	s     *server
	store *models.Store
	c     *http.Client
}

// messageToReply has rate×seconds new shoppers each write "browse" at the given rate, and times
// the first message the Page sends each of them back (the product carousel).
func (j *journeyRun) messageToReply(rate, seconds int) (Journey, error) {
	psids, err := j.shoppers(rate*seconds, "reply")
	if err != nil {
		return Journey{}, err
	}
	due, err := j.steady(rate, psids, func(psid string) error {
		return j.sandbox("/sandbox/messenger/api/send", fmt.Sprintf(`{"page_id":%q,"psid":%q,"text":"browse"}`, models.DemoPageID, psid), nil)
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
	if err := j.each(psids, func(psid string) error {
		return j.sandbox("/sandbox/messenger/api/send", fmt.Sprintf(`{"page_id":%q,"psid":%q,"postback":{"title":"Buy","payload":"BUY:%d"}}`, models.DemoPageID, psid, variant), nil)
	}); err != nil {
		return Journey{}, err
	}
	orders, err := j.payButtons(psids)
	if err != nil {
		return Journey{}, err
	}
	due, err := j.steady(rate, psids, func(psid string) error {
		return j.sandbox("/sandbox/paypal/api/approve", fmt.Sprintf(`{"order_id":%q}`, orders[psid]), nil)
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
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%d", i)
	}
	var mu sync.Mutex
	next := 0
	err := j.each(names, func(name string) error {
		var out struct{ PSID string }
		if err := j.sandbox("/sandbox/messenger/api/shoppers", fmt.Sprintf(`{"page_id":%q,"name":"Bench %s %s","locale":"en_US"}`, models.DemoPageID, tag, name), &out); err != nil {
			return err
		}
		mu.Lock()
		psids[next] = out.PSID
		next++
		mu.Unlock()
		return nil
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
	_, err := j.store.WriterDB().Exec("UPDATE variants SET inventory_qty = inventory_qty + ? WHERE id = ?", n, id)
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
	due := make(map[string]time.Time, len(psids))
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for i, psid := range psids {
		at := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		time.Sleep(time.Until(at))
		due[psid] = at
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := act(psid); err != nil {
				mu.Lock()
				firstErr = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return due, firstErr
}

// answered waits (up to a minute) for the Page's first message matching where to each shopper
// after they acted, and fills in the latencies from when each act was due.
func (j *journeyRun) answered(out *Journey, due map[string]time.Time, where string) error {
	deadline := time.Now().Add(time.Minute)
	var lat []time.Duration
	for {
		lat = lat[:0]
		rows, err := j.store.ReaderDB().QueryContext(context.Background(),
			`SELECT psid, min(created_at) FROM sandbox_messages WHERE page_id = ? AND `+where+` GROUP BY psid`, models.DemoPageID)
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
			t, err := parseSQLiteTime(at)
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
		return fmt.Errorf("%d of %d shoppers had no answer after a minute", out.Count-out.Answered, out.Count)
	}
	return nil
}

// parseSQLiteTime reads a DATETIME as the SQLite driver writes it.
func parseSQLiteTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

// each runs fn over items with 8 goroutines, stopping at the first error.
func (j *journeyRun) each(items []string, fn func(string) error) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(items))
	sem := make(chan struct{}, 8)
	for _, it := range items {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := fn(it); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// sandbox posts JSON to the sandbox's control API and decodes the answer into out.
func (j *journeyRun) sandbox(path, body string, out any) error {
	res, err := j.c.Post(j.s.url+path, "application/json", bytes.NewReader([]byte(body)))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s: HTTP %d", path, res.StatusCode)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(res.Body).Decode(out)
}
