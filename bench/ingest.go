package bench

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/messenger"
)

// Load is one ingest measurement: requests acknowledged per second and acknowledgement latency.
type Load struct {
	Provider        string  `json:"provider"`
	Process         string  `json:"process,omitempty"` // "web and worker" or "web only"
	Concurrency     int     `json:"concurrency,omitempty"`
	TargetPerSecond int     `json:"target_per_s,omitempty"`
	Requests        int     `json:"requests"`
	Errors          int     `json:"errors"`
	PerSecond       float64 `json:"acks_per_s"`
	P50MS           float64 `json:"p50_ms"`
	P99MS           float64 `json:"p99_ms"`
}

// delivery is a signed request, prepared before the clock starts so that signing is not measured.
type delivery struct {
	path   string
	body   []byte
	header http.Header
}

var runID = time.Now().UnixNano()

func (s *server) messengerDeliveries(n int, tag string) []delivery {
	out := make([]delivery, n)
	for i := range out {
		body := []byte(fmt.Sprintf(`{"object":"page","entry":[{"id":%q,"time":%d,"messaging":[{"sender":{"id":"2518723049887%03d"},"recipient":{"id":%q},"timestamp":%d,"message":{"mid":"m_bench_%d_%s_%d","text":"Do you have this in blue?"}}]}]}`,
			demo.PageID, time.Now().UnixMilli(), i%1000, demo.PageID, time.Now().UnixMilli(), runID, tag, i))
		h := http.Header{"Content-Type": {"application/json"}}
		h.Set(messenger.SignatureHeader, messenger.SignatureHeaderValue(s.metaSecret, body))
		out[i] = delivery{path: "/webhooks/messenger", body: body, header: h}
	}
	return out
}

func (s *server) paypalDeliveries(n int, tag string) ([]delivery, error) {
	out := make([]delivery, n)
	var wg sync.WaitGroup
	var firstErr atomic.Value
	sem := make(chan struct{}, 4)
	for i := range out {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			id := fmt.Sprintf("WH-BENCH-%d-%s-%d", runID, tag, i)
			body := []byte(fmt.Sprintf(`{"id":%q,"event_version":"1.0","create_time":"2026-11-21T10:00:00.000Z","resource_type":"capture","resource_version":"2.0","event_type":"PAYMENT.CAPTURE.COMPLETED","summary":"Payment completed for $ 24.00 USD","resource":{"id":"CAP%s","status":"COMPLETED","amount":{"currency_code":"USD","value":"24.00"},"payee":{"merchant_id":%q}}}`,
				id, id, demo.MerchantID))
			h, err := s.signer.Headers(body, fmt.Sprintf("bench-%s-%d", tag, i), time.Now())
			if err != nil {
				firstErr.Store(err)
				return
			}
			out[i] = delivery{path: "/webhooks/paypal", body: body, header: h}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return nil, err
	}
	return out, nil
}

func newClient(conns int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
}

func send(c *http.Client, base string, d delivery) (time.Duration, error) {
	req, err := http.NewRequest(http.MethodPost, base+d.path, bytes.NewReader(d.body))
	if err != nil {
		return 0, err
	}
	req.Header = d.header.Clone()
	start := time.Now()
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	// Read to the end, or the client would close the connection and dial a new one for the next.
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("HTTP %d", res.StatusCode)
	}
	return time.Since(start), nil
}

// closedLoop sends every delivery with concurrency workers, each sending as soon as it has an ack,
// to the servers at bases in turn.
func closedLoop(bases []string, ds []delivery, concurrency int) Load {
	c := newClient(concurrency)
	lat := make([]time.Duration, len(ds))
	var next, errs atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ds) {
					return
				}
				d, err := send(c, bases[i%len(bases)], ds[i])
				if err != nil {
					errs.Add(1)
					d = -1
				}
				lat[i] = d
			}
		}()
	}
	wg.Wait()
	return summarize(lat, time.Since(start), int(errs.Load()))
}

func summarize(lat []time.Duration, elapsed time.Duration, errs int) Load {
	ok := lat[:0:0]
	for _, d := range lat {
		if d >= 0 {
			ok = append(ok, d)
		}
	}
	sortDurations(ok)
	return Load{Requests: len(lat), Errors: errs, PerSecond: float64(len(ok)) / elapsed.Seconds(),
		P50MS: percentile(ok, 0.50), P99MS: percentile(ok, 0.99)}
}

// measureIngest sends at rising concurrency to the server as it runs by default (its worker
// processing what arrives), then at a steady 1,000/s, then again at rising concurrency to a
// web-only process, and on PostgreSQL to two web-only processes sharing the database.
func measureIngest(s *server, quick bool, logf func(string, ...any)) (levelLoads []Load, steady *Load, peers []Load, err error) {
	// Meta and PayPal deliver from many machines at once: 256 deliveries in flight is a burst.
	levels, perLevel := []int{1, 4, 16, 64, 256}, 3000
	if quick {
		levels, perLevel = []int{1, 16}, 600
	}
	processes := []string{"web and worker", "web only"}
	if s.databaseURL != "" {
		processes = append(processes, "2 web processes")
	}
	var out []Load
	for _, process := range processes {
		bases := []string{s.url}
		switch process {
		case "web only":
			// What acknowledging costs alone: the events wait for a worker process.
			s.terminate()
			if err := s.run("serve", "--no-worker"); err != nil {
				return nil, nil, nil, err
			}
			bases = []string{s.url}
		case "2 web processes":
			other := s.sibling()
			if err := other.run("serve", "--no-worker"); err != nil {
				return nil, nil, nil, err
			}
			defer other.terminate()
			bases = []string{s.url, other.url}
		}
		loads, err := ingestLevels(s, bases, levels, perLevel, process, logf)
		if err != nil {
			return nil, nil, nil, err
		}
		out = append(out, loads...)
		if process == "web and worker" {
			if steady, err = measureSteady(s, 1000, quick); err != nil {
				return nil, nil, nil, fmt.Errorf("steady: %w", err)
			}
		}
	}
	if s.databaseURL == "" {
		logf("the same deliveries to the peers: a receiver that stores nothing, and a naive durable one…")
		if peers, err = measurePeers(s, levels, perLevel, logf); err != nil {
			return nil, nil, nil, fmt.Errorf("peers: %w", err)
		}
	}
	return out, steady, peers, nil
}

// ingestLevels sends signed deliveries of each provider at each concurrency, to bases in turn.
func ingestLevels(s *server, bases []string, levels []int, perLevel int, process string, logf func(string, ...any)) ([]Load, error) {
	var out []Load
	for _, provider := range []string{"messenger", "paypal"} {
		for _, c := range levels {
			tag := fmt.Sprintf("%s-c%d-%s", provider, c, strings.ReplaceAll(process, " ", "-"))
			n := max(perLevel, 25*c) // long enough for every client to send a few dozen
			var ds []delivery
			if provider == "messenger" {
				ds = s.messengerDeliveries(n, tag)
			} else {
				var err error
				if ds, err = s.paypalDeliveries(n/2, tag); err != nil {
					return nil, err
				}
			}
			l := closedLoop(bases, ds, c)
			l.Provider, l.Concurrency, l.Process = provider, c, process
			logf("  %-9s %-15s concurrency %2d: %6.0f acks/s, p50 %6.2f ms, p99 %6.2f ms", provider, process, c, l.PerSecond, l.P50MS, l.P99MS)
			out = append(out, l)
			s.sampleRSS()
		}
	}
	return out, nil
}

// openLoop calls act(i, due) for i in 0..n-1 at the given rate, each when it is due and in its
// own goroutine (up to 256 at once) whether or not earlier calls have returned, so that a stalled
// server cannot slow the arrivals and hide its queue; it returns when every call has.
func openLoop(n, rate int, act func(i int, due time.Time)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 256)
	start := time.Now()
	for i := range n {
		due := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		time.Sleep(time.Until(due))
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			act(i, due)
		}()
	}
	wg.Wait()
}

// measureSteady sends at a fixed rate (open loop): latency counts from when each request was due,
// so a stalled server cannot hide its queue.
func measureSteady(s *server, rate int, quick bool) (*Load, error) {
	seconds := 10
	if quick {
		seconds = 3
	}
	ds := s.messengerDeliveries(rate*seconds, "steady")
	c := newClient(256)
	lat := make([]time.Duration, len(ds))
	var errs atomic.Int64
	start := time.Now()
	openLoop(len(ds), rate, func(i int, due time.Time) {
		if _, err := send(c, s.url, ds[i]); err != nil {
			errs.Add(1)
			lat[i] = -1
			return
		}
		lat[i] = time.Since(due)
	})
	l := summarize(lat, time.Since(start), int(errs.Load()))
	l.Provider, l.TargetPerSecond = "messenger", rate
	s.sampleRSS()
	return &l, nil
}
