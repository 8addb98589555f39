package bench

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// server is a chatshop process under test, with what signs deliveries it trusts.
type server struct {
	url, dataDir, binary string
	databaseURL          string // PostgreSQL's, or empty for SQLite in dataDir
	certs                *httptest.Server
	signer               *paypal.Signer
	cmd                  *exec.Cmd
	startup              time.Duration
	metaSecret           string
	peakKB               int64
}

var listening = regexp.MustCompile(`listening on\s+(http://\S+)`)

const benchWebhookID = "WH-BENCH"

func startServer(binary, databaseURL string) (*server, error) {
	dir, err := os.MkdirTemp("", "chatshop-bench-")
	if err != nil {
		return nil, err
	}
	key, certPEM, err := paypal.NewSigningCert("messageverificationcerts.bench.test", time.Now())
	if err != nil {
		return nil, err
	}
	certs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(certPEM) }))
	s := &server{dataDir: dir, binary: binary, databaseURL: databaseURL, certs: certs, metaSecret: "sandbox-meta-app-secret",
		signer: &paypal.Signer{Key: key, CertURL: certs.URL + "/certs/CERT-bench", WebhookID: benchWebhookID}}
	return s, s.run("serve")
}

// run starts the binary with the given command on the server's data directory.
func (s *server) run(command string, extra ...string) error {
	args := append([]string{command, "--addr", "127.0.0.1:0", "--data-dir", s.dataDir, "--log-level", "error",
		"--paypal-cert-urls", s.certs.URL + "/certs/", "--paypal-webhook-id", benchWebhookID}, extra...)
	s.cmd = exec.Command(s.binary, args...)
	s.cmd.Env = s.env()
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return err
	}
	s.cmd.Stderr = os.Stderr
	start := time.Now()
	if err := s.cmd.Start(); err != nil {
		return err
	}
	if command != "serve" {
		go drain(out)
		return nil
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			s.url, s.startup = m[1], time.Since(start)
			go drain(out)
			return nil
		}
	}
	return fmt.Errorf("chatshop serve exited before listening: %v", s.cmd.Wait())
}

// runToEnd runs a command of the binary on the server's data directory and waits for it.
func (s *server) runToEnd(command string, extra ...string) error {
	cmd := exec.Command(s.binary, append([]string{command, "--data-dir", s.dataDir, "--log-level", "error"}, extra...)...)
	cmd.Env = s.env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

// env is the processes' environment: sandbox mode, on the server's database. The demo shop's
// first-start shoppers would add their own load to what is measured.
func (s *server) env() []string {
	env := append(os.Environ(), "CHATSHOP_MODE=sandbox", "CHATSHOP_DEMO_ACTIVITY=false")
	if s.databaseURL != "" {
		env = append(env, "CHATSHOP_DATABASE_URL="+s.databaseURL)
	}
	return env
}

// sibling is another process of the server's kind, on its data directory and database.
func (s *server) sibling() *server {
	other := *s
	other.cmd, other.url, other.peakKB = nil, "", 0
	return &other
}

func drain(r interface{ Read([]byte) (int, error) }) {
	buf := make([]byte, 4096)
	for {
		if _, err := r.Read(buf); err != nil {
			return
		}
	}
}

// sampleRSS remembers the process's peak resident memory (VmHWM) before it ends.
func (s *server) sampleRSS() {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			s.peakKB = max(s.peakKB, kb)
		}
	}
}

func (s *server) peakRSSMB() float64 { return float64(s.peakKB) / 1024 }

// terminate stops the running process gracefully.
func (s *server) terminate() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.sampleRSS()
	s.cmd.Process.Signal(syscall.SIGTERM)
	s.cmd.Wait()
	s.cmd = nil
}

func (s *server) stop() {
	s.terminate()
	s.certs.Close()
	if os.Getenv("CHATSHOP_BENCH_KEEP_DATA") == "" {
		os.RemoveAll(s.dataDir)
	} else {
		fmt.Fprintf(os.Stderr, "bench: the server's data directory is kept in %s\n", s.dataDir)
	}
}

// store opens the server's database beside it, to count events.
func (s *server) store() (*models.Store, error) {
	if s.databaseURL != "" {
		return models.OpenPostgres(context.Background(), s.databaseURL, models.OpenOptions{Readers: 1, Writers: 1})
	}
	return models.OpenSQLite(context.Background(), filepath.Join(s.dataDir, "chatshop.db"), models.OpenOptions{Readers: 1})
}
