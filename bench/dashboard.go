package bench

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Dashboard is the retailer's pages at the seeded scale, under concurrent clients.
type Dashboard struct {
	Products      int        `json:"seeded_products"`
	Shoppers      int        `json:"seeded_shoppers"`
	Orders        int        `json:"seeded_orders"`
	Notifications int        `json:"seeded_notifications"`
	SeedSeconds   float64    `json:"seed_seconds"`
	Clients       int        `json:"clients"`
	Pages         []PageLoad `json:"pages"`
}

// PageLoad is one page's times and size. The server time is the server's own (its Server-Timing
// header: from the request's arrival in the app to the response's first byte, with any wait for a
// page turn); the client's adds reading the request, compressing and sending the page over
// loopback, and the load generator's own waits for the cores it shares with the server.
type PageLoad struct {
	Name        string  `json:"name"`
	Path        string  `json:"path"`
	Requests    int     `json:"requests"`
	ServerP50MS float64 `json:"server_p50_ms"`
	ServerP95MS float64 `json:"server_p95_ms"`
	P50MS       float64 `json:"p50_ms"`
	P95MS       float64 `json:"p95_ms"`
	// Bytes is the HTML's size; GzipBytes what is sent, gzipped.
	Bytes     int `json:"bytes"`
	GzipBytes int `json:"gzip_bytes"`
}

// dashboardPages are the pages measured: the catalog with search and filters, orders, shoppers,
// the notifications feed, the inbox, disputes and the overview.
var dashboardPages = []struct{ name, path string }{
	{"products, newest", "/app/products"},
	{"products, search a word", "/app/products?q=merino"},
	{"products, search two words", "/app/products?q=waxed+tote"},
	{"products, search a SKU", "/app/products?q={sku}"},
	{"products, vendor filter", "/app/products?vendor=Fieldcraft"},
	{"products, tag filter", "/app/products?tag=gift"},
	{"products, low stock", "/app/products?low=1"},
	{"products, by title", "/app/products?sort=title"},
	{"products, drafts by price", "/app/products?status=draft&sort=price-desc"},
	{"product edit page", "/app/products/1"},
	{"orders, newest", "/app/orders"},
	{"orders, paid", "/app/orders?status=paid"},
	{"orders, search a shopper", "/app/orders?q=Aisha"},
	{"order page", "/app/orders/{order}"},
	{"shoppers", "/app/shoppers"},
	{"notifications feed", "/app/notifications"},
	{"inbox", "/app/inbox?view=all"},
	{"disputes", "/app/disputes"},
	{"overview", "/app"},
}

// measureDashboard seeds the catalog, restarts the server on it, signs in as the demo owner and
// times each page with clients concurrent requests.
func measureDashboard(s *server, quick bool, logf func(string, ...any)) (Dashboard, error) {
	d := Dashboard{Products: 100_000, Shoppers: 50_000, Orders: 200_000, Notifications: 1_000_000, Clients: 16}
	perPage := 400
	if quick {
		d.Products, d.Shoppers, d.Orders, d.Notifications, perPage = 2_000, 1_000, 4_000, 20_000, 48
	}
	s.terminate()
	logf("seeding %d products, %d shoppers, %d orders, %d notifications…", d.Products, d.Shoppers, d.Orders, d.Notifications)
	start := time.Now()
	if err := s.runToEnd("seed", "--products", fmt.Sprint(d.Products), "--shoppers", fmt.Sprint(d.Shoppers),
		"--orders", fmt.Sprint(d.Orders), "--notifications", fmt.Sprint(d.Notifications)); err != nil {
		return d, fmt.Errorf("seed: %w", err)
	}
	d.SeedSeconds = time.Since(start).Seconds()
	sku, order, err := s.seededSamples()
	if err != nil {
		return d, err
	}
	if err := s.run("serve"); err != nil {
		return d, err
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: d.Clients, MaxConnsPerHost: d.Clients}}
	res, err := c.PostForm(s.url+"/login", url.Values{"email": {"demo@chatshop.test"}, "password": {"demo-password"}})
	if err != nil {
		return d, err
	}
	res.Body.Close()
	for _, page := range dashboardPages {
		path := strings.NewReplacer("{sku}", url.QueryEscape(sku), "{order}", fmt.Sprint(order)).Replace(page.path)
		// A round of requests first, untimed: the figures are the page's steady state, not the
		// first reads of a just-started server's caches.
		if _, err := timePage(c, s.url, path, d.Clients, d.Clients); err != nil {
			return d, fmt.Errorf("%s: %w", page.name, err)
		}
		load, err := timePage(c, s.url, path, perPage, d.Clients)
		if err != nil {
			return d, fmt.Errorf("%s: %w", page.name, err)
		}
		load.Name = page.name
		d.Pages = append(d.Pages, load)
		s.sampleRSS()
	}
	return d, nil
}

// timePage requests the page n times from clients goroutines. Like a browser it accepts gzip; it
// decompresses only each client's first page, to check it is whole, since the load generator
// shares the machine's cores with the server it measures.
func timePage(c *http.Client, base, path string, n, clients int) (PageLoad, error) {
	lat, server := make([]time.Duration, n), make([]time.Duration, n)
	var next atomic.Int64
	var size, wire atomic.Int64
	var failure atomic.Value
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for first := true; ; first = false {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				req, _ := http.NewRequest(http.MethodGet, base+path, nil)
				req.Header.Set("Accept-Encoding", "gzip") // set by hand, so the client does not decompress
				start := time.Now()
				res, err := c.Do(req)
				if err != nil {
					failure.Store(err.Error())
					return
				}
				body, err := io.ReadAll(res.Body)
				res.Body.Close()
				lat[i] = time.Since(start)
				if err != nil || res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
					failure.Store(fmt.Sprintf("HTTP %d, encoding %q, %v", res.StatusCode, res.Header.Get("Content-Encoding"), err))
					return
				}
				if server[i], err = serverTime(res.Header); err != nil {
					failure.Store(err.Error())
					return
				}
				wire.Store(int64(len(body)))
				if first {
					html, err := gunzip(body)
					if err != nil || !strings.Contains(html, "</html>") {
						failure.Store(fmt.Sprintf("not a whole page: %v", err))
						return
					}
					size.Store(int64(len(html)))
				}
			}
		}()
	}
	wg.Wait()
	if f := failure.Load(); f != nil {
		return PageLoad{}, fmt.Errorf("%s", f)
	}
	sortDurations(lat)
	sortDurations(server)
	return PageLoad{Path: path, Requests: n, ServerP50MS: percentile(server, 0.50), ServerP95MS: percentile(server, 0.95),
		P50MS: percentile(lat, 0.50), P95MS: percentile(lat, 0.95), Bytes: int(size.Load()), GzipBytes: int(wire.Load())}, nil
}

// serverTime reads the server's own time from its Server-Timing header ("app;dur=12.34", in ms).
func serverTime(h http.Header) (time.Duration, error) {
	ms, err := strconv.ParseFloat(strings.TrimPrefix(h.Get("Server-Timing"), "app;dur="), 64)
	if err != nil {
		return 0, fmt.Errorf("no server time in Server-Timing %q", h.Get("Server-Timing"))
	}
	return time.Duration(ms * float64(time.Millisecond)), nil
}

func gunzip(body []byte) (string, error) {
	r, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	html, err := io.ReadAll(r)
	return string(html), err
}

// seededSamples are the SKU of a seeded variant in the middle of the catalog, for the SKU
// search, and an order in the middle of the orders, for the order page.
func (s *server) seededSamples() (sku string, order int64, err error) {
	store, err := s.store()
	if err != nil {
		return "", 0, err
	}
	defer store.Close()
	err = store.ReaderDB().QueryRow(`SELECT sku FROM variants WHERE sku LIKE 'SD%'
		ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM variants WHERE sku LIKE 'SD%')`).Scan(&sku)
	if err != nil {
		return "", 0, fmt.Errorf("a seeded SKU: %w", err)
	}
	err = store.ReaderDB().QueryRow(`SELECT id FROM orders ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM orders)`).Scan(&order)
	if err != nil {
		return "", 0, fmt.Errorf("a seeded order: %w", err)
	}
	return sku, order, nil
}
