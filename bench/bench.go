// Package bench is chatshop's benchmark: the product measured against this machine's own limits
// in one run. `chatshop bench` runs it; figures are compared within a run, never asserted by tests.
package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Options configures a run.
type Options struct {
	Quick bool   // a short run (under a minute) that proves the benchmark works
	Out   string // where results.json goes
	// Binary is the chatshop executable to run as the server under test.
	Binary string
	Log    io.Writer
	// Only names the stages to run (ingest, worker, journeys, dashboard), comma-separated; all
	// when empty. The floor, start-up and the process's figures are always measured.
	Only string
	// Postgres is a PostgreSQL server (PostgresEnv) on which the stages run again, after SQLite,
	// with ingest also through two web processes; empty runs SQLite only.
	Postgres string
}

// Stages are the parts of a run that Options.Only can pick.
var Stages = []string{"ingest", "worker", "journeys", "dashboard"}

func (o Options) stages() map[string]bool {
	want := map[string]bool{}
	for _, st := range Stages {
		want[st] = o.Only == ""
	}
	for _, st := range strings.Split(o.Only, ",") {
		if st = strings.TrimSpace(st); st != "" {
			want[st] = true
		}
	}
	return want
}

// CheckStages reports a stage name Options.Only does not know.
func CheckStages(only string) error {
	for _, st := range strings.Split(only, ",") {
		if st = strings.TrimSpace(st); st != "" && !slices.Contains(Stages, st) {
			return fmt.Errorf("unknown bench stage %q (the stages: %s)", st, strings.Join(Stages, ", "))
		}
	}
	return nil
}

// Results is everything one run measured; it is written as results.json.
type Results struct {
	StartedAt time.Time `json:"started_at"`
	Quick     bool      `json:"quick"`
	Machine   Machine   `json:"machine"`
	Floor     Floor     `json:"sqlite_floor"`
	Ingest    []Load    `json:"ingest"`
	Steady    *Load     `json:"ingest_steady_1000_per_s,omitempty"`
	// IngestToFloor is the best ingest rate over the batched durable insert rate.
	IngestToFloor float64 `json:"ingest_to_floor_ratio"`
	// IngestPeers are the peers' loads (see PeerCeiling, PeerDurable); IngestCeiling and
	// IngestNaiveDurable the best of each, and the ratios chatshop's best Messenger ingest, web
	// only and with its worker, over the ceiling's.
	IngestPeers         []Load    `json:"ingest_peers,omitempty"`
	IngestCeiling       *Load     `json:"ingest_ceiling,omitempty"`
	IngestNaiveDurable  *Load     `json:"ingest_naive_durable,omitempty"`
	WebOnlyToCeiling    float64   `json:"web_only_to_ceiling_ratio,omitempty"`
	WithWorkerToCeiling float64   `json:"with_worker_to_ceiling_ratio,omitempty"`
	Worker              Worker    `json:"worker"`
	Journeys            []Journey `json:"journeys"`
	// ReceiptCapacity is the receipts at rising rates (full runs only).
	ReceiptCapacity *Capacity `json:"receipt_capacity,omitempty"`
	Dashboard       Dashboard `json:"dashboard"`
	Process         Process   `json:"process"`
	// Postgres holds the same stages run on PostgreSQL (no floor there), when they were.
	Postgres *Results `json:"postgres,omitempty"`
}

// Machine describes where the figures come from.
type Machine struct {
	CPUs      int    `json:"cpus"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
	CPUModel  string `json:"cpu_model"`
}

// Process holds the server process's own figures.
type Process struct {
	StartupMS    float64 `json:"startup_ms"`
	PeakRSSMB    float64 `json:"peak_rss_mb"`
	BinarySizeMB float64 `json:"binary_size_mb"`
}

func machine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// measure runs the stages against a server on SQLite, or on the PostgreSQL database at databaseURL.
func (r *Results) measure(opts Options, databaseURL string, logf func(string, ...any)) error {
	on := "SQLite"
	if databaseURL != "" {
		on = "PostgreSQL"
	}
	logf("starting the server under test, on %s…", on)
	srv, err := startServer(opts.Binary, databaseURL)
	if err != nil {
		return err
	}
	defer srv.stop()
	r.Process.StartupMS = ms(srv.startup)
	if st, err := os.Stat(opts.Binary); err == nil {
		r.Process.BinarySizeMB = float64(st.Size()) / (1 << 20)
	}

	// On PostgreSQL the worker drains slower than ingest fills (see docs/benchmarks.md): the
	// stages that wait for an empty queue run before ingest leaves its events behind.
	order := Stages
	if databaseURL != "" {
		order = []string{"worker", "journeys", "ingest", "dashboard"}
	}
	want := opts.stages()
	for _, stage := range order {
		if !want[stage] {
			continue
		}
		if err := r.stage(srv, stage, opts.Quick, logf); err != nil {
			return fmt.Errorf("%s: %w", stage, err)
		}
	}
	srv.terminate()
	r.Process.PeakRSSMB = srv.peakRSSMB()
	return nil
}

// stage measures one stage against srv.
func (r *Results) stage(srv *server, stage string, quick bool, logf func(string, ...any)) (err error) {
	switch stage {
	case "ingest":
		logf("ingest at rising concurrency…")
		if r.Ingest, r.Steady, r.IngestPeers, err = measureIngest(srv, quick, logf); err != nil {
			return err
		}
		r.IngestCeiling, r.IngestNaiveDurable = best(r.IngestPeers, "messenger", "peer: "+PeerCeiling), best(r.IngestPeers, "messenger", "peer: "+PeerDurable)
		if c := r.IngestCeiling; c != nil && c.PerSecond > 0 {
			if l := best(r.Ingest, "messenger", "web only"); l != nil {
				r.WebOnlyToCeiling = l.PerSecond / c.PerSecond
			}
			if l := best(r.Ingest, "messenger", "web and worker"); l != nil {
				r.WithWorkerToCeiling = l.PerSecond / c.PerSecond
			}
		}
		best := 0.0
		for _, l := range r.Ingest {
			best = max(best, l.PerSecond)
		}
		if r.Floor.BatchedPerSecond > 0 {
			r.IngestToFloor = best / r.Floor.BatchedPerSecond
		}
	case "worker":
		logf("worker drain…")
		r.Worker, err = measureWorker(srv, quick)
	case "journeys":
		r.Journeys, r.ReceiptCapacity, err = measureJourneys(srv, quick, logf)
	case "dashboard":
		r.Dashboard, err = measureDashboard(srv, quick, logf)
	}
	return err
}

// Run performs the benchmark and writes the table to opts.Log and results.json to opts.Out.
func Run(opts Options) (*Results, error) {
	r := &Results{StartedAt: time.Now().UTC(), Quick: opts.Quick, Machine: machine()}
	logf := func(format string, args ...any) { fmt.Fprintf(opts.Log, format+"\n", args...) }

	logf("measuring the SQLite durable-insert floor…")
	floor, err := measureFloor(opts.Quick)
	if err != nil {
		return nil, fmt.Errorf("floor: %w", err)
	}
	r.Floor = floor

	if err := r.measure(opts, "", logf); err != nil {
		return nil, err
	}
	if opts.Postgres != "" {
		dbURL, drop, err := benchDatabase(opts.Postgres)
		if err != nil {
			return nil, err
		}
		defer drop()
		r.Postgres = &Results{}
		if err := r.Postgres.measure(opts, dbURL, logf); err != nil {
			return nil, fmt.Errorf("on PostgreSQL: %w", err)
		}
	}

	if err := r.write(opts.Out); err != nil {
		return nil, err
	}
	r.table(opts.Log)
	return r, nil
}

func (r *Results) write(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func (r *Results) table(w io.Writer) {
	fmt.Fprintf(w, "\nchatshop bench (%s, %d CPUs, %s)\n\n", map[bool]string{true: "quick", false: "full"}[r.Quick], r.Machine.CPUs, r.Machine.CPUModel)
	r.rows(w, "SQLite")
	if r.Postgres != nil {
		r.Postgres.rows(w, "PostgreSQL")
	}
}

// rows prints one database's figures.
func (r *Results) rows(w io.Writer, database string) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "on %s\tvalue\tp50 ms\tp99 (p95) ms\t\n", database)
	if r.Floor.SinglePerSecond > 0 {
		fmt.Fprintf(tw, "SQLite floor, single-row durable inserts/s\t%.0f\t\t\t\n", r.Floor.SinglePerSecond)
		fmt.Fprintf(tw, "SQLite floor, batched (%d per tx) rows/s\t%.0f\t\t\t\n", r.Floor.BatchSize, r.Floor.BatchedPerSecond)
	}
	for _, l := range r.Ingest {
		fmt.Fprintf(tw, "ingest %s (%s), concurrency %d, acks/s\t%.0f\t%.2f\t%.2f\t\n", l.Provider, l.Process, l.Concurrency, l.PerSecond, l.P50MS, l.P99MS)
	}
	if r.Steady != nil {
		fmt.Fprintf(tw, "ingest at a steady %d/s, acks/s\t%.0f\t%.2f\t%.2f\t\n", r.Steady.TargetPerSecond, r.Steady.PerSecond, r.Steady.P50MS, r.Steady.P99MS)
	}
	if r.IngestToFloor > 0 {
		fmt.Fprintf(tw, "best ingest / batched floor\t%.2f\t\t\t\n", r.IngestToFloor)
	}
	for _, l := range r.IngestPeers {
		fmt.Fprintf(tw, "%s, concurrency %d, acks/s\t%.0f\t%.2f\t%.2f\t\n", l.Process, l.Concurrency, l.PerSecond, l.P50MS, l.P99MS)
	}
	if r.IngestCeiling != nil {
		fmt.Fprintf(tw, "best Messenger ingest / ceiling, web only\t%.2f\t\t\t\n", r.WebOnlyToCeiling)
		fmt.Fprintf(tw, "best Messenger ingest / ceiling, with the worker\t%.2f\t\t\t\n", r.WithWorkerToCeiling)
	}
	if r.Worker.Events > 0 {
		fmt.Fprintf(tw, "worker, events processed/s\t%.0f\t\t\t\n", r.Worker.PerSecond)
	}
	for _, j := range r.Journeys {
		fmt.Fprintf(tw, "%s at %d/s, answered\t%d/%d\t%.2f\t%.2f\t\n", j.Name, j.TargetPerSecond, j.Answered, j.Count, j.P50MS, j.P99MS)
	}
	if c := r.ReceiptCapacity; c != nil {
		for _, j := range c.Steps {
			fmt.Fprintf(tw, "  the receipt at %d/s, answered\t%d/%d\t%.2f\t%.2f\t\n", j.TargetPerSecond, j.Answered, j.Count, j.P50MS, j.P99MS)
		}
		fmt.Fprintf(tw, "checkouts/s whose receipts keep p99 within %.0f ms\t%d\t\t\t\n", c.TargetP99MS, c.HeldPerS)
	}
	if d := r.Dashboard; d.SeedSeconds > 0 {
		fmt.Fprintf(tw, "seed %d products, %d shoppers, %d orders, %d notifications, s\t%.1f\t\t\t\n", d.Products, d.Shoppers, d.Orders, d.Notifications, d.SeedSeconds)
	}
	for _, p := range r.Dashboard.Pages {
		fmt.Fprintf(tw, "%s (%d clients, %d KB, %d gzipped), p50/p95, server / at the client\t\t%.1f / %.1f\t%.1f / %.1f\t\n",
			p.Name, r.Dashboard.Clients, p.Bytes/1024, p.GzipBytes/1024, p.ServerP50MS, p.P50MS, p.ServerP95MS, p.P95MS)
	}
	fmt.Fprintf(tw, "server start-up, ms\t%.0f\t\t\t\n", r.Process.StartupMS)
	fmt.Fprintf(tw, "server peak RSS, MB\t%.1f\t\t\t\n", r.Process.PeakRSSMB)
	fmt.Fprintf(tw, "binary size, MB\t%.1f\t\t\t\n", r.Process.BinarySizeMB)
	tw.Flush()
	fmt.Fprintln(w)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// percentile of sorted durations, in ms.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return ms(sorted[i])
}

func sortDurations(d []time.Duration) { sort.Slice(d, func(i, j int) bool { return d[i] < d[j] }) }
