package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/input"
	"github.com/go-rod/rod/lib/proto"
)

// Every page a retailer, an admin or a sandbox user can reach, at desktop and at phone width:
// axe-core finds no WCAG 2.1 A or AA violation, nothing is wider than a 390 px screen, and the
// first Tab stop is the skip link to the content. The
// pages are found by following the links from /app, /admin and the sandbox's start pages on a demo
// shop that has played its shoppers (orders, a conversation, a dispute), one page per route.
func TestEveryPageIsAccessibleAndFitsAPhone(t *testing.T) {
	t.Setenv("CHATSHOP_DEMO_ACTIVITY", "true")
	srv := startServer(t, "", "--log-level", "info")
	srv.waitFor(t, "demo activity done", 2*time.Minute)
	axe, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	c := &pageCheck{t: t, base: srv.URL, axe: string(axe), seen: map[string]bool{}}
	b := newBrowser(t).CancelTimeout() // each page has its own budget (check)

	owner := b.MustIncognito().MustPage("")
	signIn(t, owner, srv.URL, "demo@chatshop.test", "demo-password")
	c.crawl(owner, "/app", "/account", "/sandbox/messenger", "/sandbox/paypal/resolutioncenter")

	admin := b.MustIncognito().MustPage("")
	signIn(t, admin, srv.URL, "admin@chatshop.test", "admin-password")
	c.crawl(admin, "/admin")

	signedOut := b.MustIncognito().MustPage("")
	c.crawl(signedOut, "/login", "/signup")

	if len(c.seen) < 30 {
		t.Errorf("checked %d pages, want every page of the dashboard, the admin and the sandbox (30 or more)", len(c.seen))
	}
	t.Logf("checked %d pages at 1440 and 390 px: %s", len(c.seen), strings.Join(slices.Sorted(maps.Keys(c.seen)), " "))
	for _, f := range c.failures {
		t.Error(f)
	}
}

// waitFor waits until the process has printed a line containing text.
func (s *server) waitFor(t *testing.T, text string, d time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(d); !strings.Contains(s.output.String(), text); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("chatshop did not print %q within %s; output:\n%s", text, d, s.output.String())
		}
	}
}

type pageCheck struct {
	t        *testing.T
	base     string
	axe      string
	seen     map[string]bool // routes checked, ids as :id
	failures []string
}

// notPages are links that are not pages to check: downloads, event streams, and steps that change
// what they visit (connecting PayPal starts a sign-up).
var notPages = regexp.MustCompile(`/export|/files/|/live|/packing-slip|/settings/paypal/(connect|return)|^/sandbox/(api|paypal/v\d|graph)|^/static/|^/images/`)

// idSegment is a path segment that names one record: one page stands for all its kind.
var idSegment = regexp.MustCompile(`/[A-Z0-9-]*\d[A-Za-z0-9-]*`)

// crawl checks the start pages and every page their links lead to, breadth first.
func (c *pageCheck) crawl(p *rod.Page, start ...string) {
	queue := slices.Clone(start)
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		u, _ := url.Parse(path)
		route := idSegment.ReplaceAllString(u.Path, "/:id") + "?" + strings.Join(slices.Sorted(maps.Keys(u.Query())), "&")
		if c.seen[route] || notPages.MatchString(u.Path) {
			continue
		}
		c.seen[route] = true
		queue = append(queue, c.check(p, path)...)
	}
}

// check loads the page at desktop and at phone width, records what is wrong, and returns its
// links within the site.
func (c *pageCheck) check(p *rod.Page, path string) (links []string) {
	p = p.Timeout(time.Minute)
	defer p.CancelTimeout()
	p.MustSetViewport(1440, 900, 1, false)
	if err := p.Navigate(c.base + path); err != nil {
		c.failf("%s: %v", path, err)
		return nil
	}
	p.MustWaitLoad()
	c.audit(p, path, "desktop")
	screenshot(c.t, p, shotName(path)+"-desktop")
	// A page that puts the focus in its content itself (the sandbox chat's composer) needs no skip.
	if p.MustEval(`() => document.activeElement === document.body`).Bool() {
		p.Keyboard.MustType(input.Tab)
		if first := p.MustEval(`() => document.activeElement.dataset.testid || document.activeElement.tagName`).String(); first != "skip-link" {
			c.failf("%s: the first Tab stop is %s, not the skip link", path, first)
		}
		p.MustEval(`() => document.activeElement.blur()`)
	}
	p.MustSetViewport(390, 844, 2, true)
	p.MustWaitLoad()
	c.audit(p, path, "phone")
	screenshot(c.t, p, shotName(path)+"-phone")
	if w := p.MustEval(`() => document.documentElement.scrollWidth`).Int(); w > 390 {
		c.failf("%s at 390 px is %d px wide: %s", path, w, p.MustEval(wideElements).String())
	}
	for _, href := range p.MustEval(`() => [...document.querySelectorAll("a[href]")].map(a => a.href)`).Arr() {
		u, err := url.Parse(href.String())
		// The sandbox writes some of its links for localhost: the same server by another name.
		if err != nil || strings.Replace(u.Host, "localhost:", "127.0.0.1:", 1) != strings.TrimPrefix(c.base, "http://") {
			continue
		}
		links = append(links, u.RequestURI())
	}
	return links
}

// audit runs axe-core's WCAG 2.1 A and AA rules on the page as it is.
func (c *pageCheck) audit(p *rod.Page, path, width string) {
	if _, err := (proto.RuntimeEvaluate{Expression: c.axe}).Call(p); err != nil {
		c.failf("%s: inject axe-core: %v", path, err)
		return
	}
	res, err := p.Eval(`async () => {
		const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
		return JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + (n.failureSummary || "").split("\n").slice(1, 2).join(""))})));
	}`)
	if err != nil {
		c.failf("%s: axe-core: %v", path, err)
		return
	}
	var violations []struct {
		ID, Help string
		Nodes    []string
	}
	if err := json.Unmarshal([]byte(res.Value.String()), &violations); err != nil {
		c.failf("%s: axe-core's answer: %v", path, err)
		return
	}
	for _, v := range violations {
		c.failf("%s (%s): %s — %s: %s", path, width, v.ID, v.Help, strings.Join(v.Nodes, "; "))
	}
}

// wideElements names the elements that reach past the screen's right edge, outside any box that
// scrolls sideways on its own.
const wideElements = `() => {
	const scrolls = el => { for (let e = el.parentElement; e; e = e.parentElement) { const o = getComputedStyle(e).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true } return false };
	return [...document.body.querySelectorAll("*")].filter(e => e.getBoundingClientRect().right > 391 && !scrolls(e))
		.slice(0, 4).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).slice(0, 3).join(".") : "") + " (" + Math.round(e.getBoundingClientRect().right) + ")").join(", ");
}`

// shotName is a file name for a screenshot of the page at path.
func shotName(path string) string {
	u, _ := url.Parse(path)
	return strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(u.Path), "-"), "-")
}

func (c *pageCheck) failf(format string, args ...any) {
	c.failures = append(c.failures, fmt.Sprintf(format, args...))
}
