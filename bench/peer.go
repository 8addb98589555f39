package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// The peers chatshop's ingest is measured against, each a receiver of signed Messenger
// deliveries run as a process of its own on loopback, under the same load generator.
const (
	// PeerCeiling checks the signature and answers 200, storing nothing: what HTTP and HMAC
	// alone allow on this machine.
	PeerCeiling = "ceiling"
	// PeerDurable checks the signature, then commits one row per request to SQLite with
	// synchronous=FULL before answering: the naive durable receiver.
	PeerDurable = "durable"
)

// ServePeer runs a peer receiver of the kind on addr until ctx ends, checking signatures with
// appSecret; it prints the line the benchmark waits for, "listening on http://…". The durable
// peer keeps its rows in dataDir.
func ServePeer(ctx context.Context, kind, addr, dataDir, appSecret string, stdout io.Writer) error {
	var store func(body []byte) error
	switch kind {
	case PeerCeiling:
		store = func([]byte) error { return nil }
	case PeerDurable:
		db, err := models.OpenSQLite(ctx, filepath.Join(dataDir, "peer.db"), models.OpenOptions{})
		if err != nil {
			return err
		}
		defer db.Close()
		w := db.WriterDB()
		w.SetMaxOpenConns(1)
		if _, err := w.Exec(`PRAGMA synchronous = FULL`); err != nil {
			return err
		}
		if _, err := w.Exec(`CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY, body BLOB NOT NULL, received_at DATETIME NOT NULL)`); err != nil {
			return err
		}
		store = func(body []byte) error {
			_, err := w.Exec(`INSERT INTO deliveries (body, received_at) VALUES (?, ?)`, body, time.Now().UTC())
			return err
		}
	default:
		return fmt.Errorf("no peer %q: %s or %s", kind, PeerCeiling, PeerDurable)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, "unreadable", http.StatusBadRequest)
			return
		}
		if err := messenger.VerifySignature(appSecret, body, r.Header.Get(messenger.SignatureHeader)); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if err := store(body); err != nil {
			http.Error(w, "not stored", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "EVENT_RECEIVED")
	})}
	fmt.Fprintf(stdout, "bench %s peer listening on http://%s\n", kind, ln.Addr())
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// peer is a running peer process.
type peer struct {
	cmd      *exec.Cmd
	url, dir string
}

// startPeer runs `chatshop bench-peer` of the kind with binary and waits for it to listen.
func startPeer(binary, kind, appSecret string) (*peer, error) {
	dir, err := os.MkdirTemp("", "chatshop-peer-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(binary, "bench-peer", "--kind", kind, "--addr", "127.0.0.1:0", "--data-dir", dir, "--secret", appSecret)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			go drain(out)
			return &peer{cmd: cmd, url: m[1], dir: dir}, nil
		}
	}
	err = cmd.Wait()
	os.RemoveAll(dir)
	return nil, fmt.Errorf("bench-peer %s exited before listening: %v", kind, err)
}

func (p *peer) stop() {
	p.cmd.Process.Signal(os.Interrupt)
	p.cmd.Wait()
	os.RemoveAll(p.dir)
}

// measurePeers sends signed Messenger deliveries to each peer at each concurrency, as ingest
// sends them to chatshop.
func measurePeers(s *server, levels []int, perLevel int, logf func(string, ...any)) ([]Load, error) {
	var out []Load
	for _, kind := range []string{PeerCeiling, PeerDurable} {
		p, err := startPeer(s.binary, kind, s.metaSecret)
		if err != nil {
			return nil, err
		}
		for _, c := range levels {
			l := closedLoop([]string{p.url}, s.messengerDeliveries(max(perLevel, 25*c), fmt.Sprintf("peer-%s-c%d", kind, c)), c)
			l.Provider, l.Concurrency, l.Process = "messenger", c, "peer: "+kind
			logf("  %-9s %-15s concurrency %2d: %6.0f acks/s, p50 %6.2f ms, p99 %6.2f ms", l.Provider, l.Process, c, l.PerSecond, l.P50MS, l.P99MS)
			out = append(out, l)
		}
		p.stop()
	}
	return out, nil
}

// best is the load of the given provider and process with the most acks a second, or nil.
func best(loads []Load, provider, process string) *Load {
	var b *Load
	for i, l := range loads {
		if l.Provider == provider && l.Process == process && l.Errors == 0 && (b == nil || l.PerSecond > b.PerSecond) {
			b = &loads[i]
		}
	}
	return b
}
