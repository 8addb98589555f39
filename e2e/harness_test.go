package e2e

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"

	"github.com/chatshop/chatshop/models/modelstest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// chatshopBinary builds the real binary once per test run.
func chatshopBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "chatshop-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "chatshop")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/chatshop").CombinedOutput()
		if err != nil {
			buildErr = err
			binPath = string(out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build chatshop: %v\n%s", buildErr, binPath)
	}
	return binPath
}

// server is a running chatshop process.
type server struct {
	URL     string
	DataDir string
	cmd     *exec.Cmd
	output  *lockedBuffer
	ready   chan string   // the first line matching the process's ready pattern, or its submatch
	exited  chan struct{} // closed when its output ends
}

var listeningLine = regexp.MustCompile(`listening on\s+(http://\S+)`)

// startServer starts chatshop serve on a free loopback port with dataDir (a new one if empty),
// waits for it to listen, and stops it (SIGTERM) when the test ends.
func startServer(t *testing.T, dataDir string, extraArgs ...string) *server {
	t.Helper()
	s := launch(t, dataDir, listeningLine, append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, extraArgs...)...)
	s.URL = s.wait(t)
	return s
}

// launch starts the chatshop command args with dataDir (a new one if empty) in sandbox mode, on
// the test's database, and stops it when the test ends; wait waits for a line matching ready.
func launch(t *testing.T, dataDir string, ready *regexp.Regexp, args ...string) *server {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	cmd := exec.Command(chatshopBinary(t), append(args, "--data-dir", dataDir)...)
	// The journeys start from the demo shop as it is seeded, without the shoppers a new demo
	// shop's first start plays through the sandbox, unless the test asks for them.
	cmd.Env = append(os.Environ(), "CHATSHOP_MODE=sandbox")
	if os.Getenv("CHATSHOP_DEMO_ACTIVITY") == "" {
		cmd.Env = append(cmd.Env, "CHATSHOP_DEMO_ACTIVITY=false")
	}
	if url := modelstest.DatabaseURL(t, filepath.Join(dataDir, "chatshop.db")); url != "" {
		cmd.Env = append(cmd.Env, "CHATSHOP_DATABASE_URL="+url)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := &lockedBuffer{}
	cmd.Stderr = out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{DataDir: dataDir, cmd: cmd, output: out, ready: make(chan string, 1), exited: make(chan struct{})}
	t.Cleanup(func() { s.Stop(t) })
	go func() {
		defer close(s.exited)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			out.WriteString(line + "\n")
			if m := ready.FindStringSubmatch(line); m != nil {
				select {
				case s.ready <- m[len(m)-1]:
				default:
				}
			}
		}
	}()
	return s
}

// wait waits for the process to say it is ready, and returns what it said (a server's URL).
func (s *server) wait(t *testing.T) string {
	t.Helper()
	select {
	case said := <-s.ready:
		return said
	case <-s.exited:
		t.Fatalf("chatshop exited before it was ready; output:\n%s", s.output.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("chatshop was not ready within 60s; output:\n%s", s.output.String())
	}
	return ""
}

// Stop ends the process gracefully and waits for it; calling it twice is harmless.
func (s *server) Stop(t *testing.T) {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("chatshop exited with %v; output:\n%s", err, s.output.String())
		}
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		t.Errorf("chatshop did not stop within 30s of SIGINT")
	}
}

// newBrowser launches headless Chromium from Debian's package. Without it the test is skipped,
// except under CI, where a missing browser is a failure.
func newBrowser(t *testing.T) *rod.Browser {
	t.Helper()
	const bin = "/usr/bin/chromium"
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs %s for the browser tests: %v", bin, err)
		}
		t.Skipf("%s not installed; skipping browser test", bin)
	}
	l := launcher.New().Bin(bin).NoSandbox(true).Headless(true).Leakless(false).
		UserDataDir(t.TempDir()).
		Set("disable-gpu").Set("disable-background-networking").Set("disable-component-update").
		Set("disable-sync").Set("no-first-run").Set("disable-quic")
	u, err := l.Launch()
	if err != nil {
		t.Fatalf("launch chromium: %v", err)
	}
	b := rod.New().ControlURL(u)
	if err := b.Connect(); err != nil {
		t.Fatalf("connect to chromium: %v", err)
	}
	t.Cleanup(func() {
		_ = b.Close()
		l.Kill()
	})
	// The budget of a whole journey on this browser (every call shares it), not of one step.
	return b.Timeout(90 * time.Second)
}

// clickAndWait clicks the element and waits until the page it opens has loaded. The old page is
// marked first, so the wait cannot mistake it for the new one (waiting for "load" right after a
// click may ask the page that is going away, and fail with "target navigated or closed").
func clickAndWait(p *rod.Page, testID string) {
	el := p.MustElement(`[data-testid="` + testID + `"]`)
	p.MustEval(`() => { window.beforeTap = true }`)
	el.MustClick()
	if !navigated(p, 30*time.Second) {
		panic("clicking " + testID + " opened no new page within 30 s")
	}
}

// navigated waits for the page marked with window.beforeTap to be replaced by a loaded one.
func navigated(p *rod.Page, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		old, err := p.Eval(`() => window.beforeTap === true || document.readyState !== "complete"`)
		if err == nil && !old.Value.Bool() {
			return true
		}
	}
	return false
}

// screenshot keeps a picture of the page when CHATSHOP_SCREENSHOTS names a directory.
func screenshot(t *testing.T, p *rod.Page, name string) {
	dir := os.Getenv("CHATSHOP_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p.MustWaitStable().MustScreenshotFullPage(filepath.Join(dir, name+".png"))
}

// lockedBuffer collects process output from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) WriteString(s string) { _, _ = l.Write([]byte(s)) }

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var _ io.Writer = (*lockedBuffer)(nil)

// stream has clients goroutines each call send(client, i) for i = 0, 1, … until the returned stop
// is called; stop returns once every one has returned.
func stream(clients int, send func(client, i int)) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for g := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				send(g, i)
			}
		}()
	}
	return func() {
		close(done)
		wg.Wait()
	}
}
