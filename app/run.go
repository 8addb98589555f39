package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/chatshop/chatshop/web"
)

// Start runs what New built: the worker, the change listener (PostgreSQL: what other processes
// commit reaches open pages and caches), the web server, the metrics listener (--metrics-addr),
// and the demo activity when the demo shop is new. Everything it starts is the app's until Stop,
// whatever becomes of ctx; Failed reports a server that stopped on its own.
func (a *App) Start(ctx context.Context) error {
	if a.running != nil {
		return errors.New("app: started twice")
	}
	// Jobs run with jobsCtx, cancelled only after the worker has stopped (and let them finish);
	// the change listener and the demo activity with bgCtx, cancelled once the servers are down.
	jobsCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	bgCtx, cancelBackground := context.WithCancel(jobsCtx)
	r := &running{cancelJobs: cancelJobs, cancelBackground: cancelBackground, failed: make(chan error, 2)}
	a.running = r
	if a.Jobs != nil {
		if err := a.Jobs.Start(jobsCtx); err != nil {
			return err
		}
		a.goBackground(func() { a.Store.ListenForChanges(bgCtx, a.Logger) })
	}
	if a.Handler == nil {
		return nil
	}
	r.web = newHTTPServer(a.Handler, a.Logger)
	if a.Live != nil {
		r.web.RegisterOnShutdown(a.Live.Close) // live streams end, or Shutdown would wait for them
	}
	a.serve(r.web, a.listener, "http server")
	if a.Config.MetricsAddr != "" && a.role == Serve {
		ln, err := net.Listen("tcp", a.Config.MetricsAddr)
		if err != nil {
			return fmt.Errorf("listen on %s (--metrics-addr): %w", a.Config.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", web.MetricsHandler(a.Metrics, a.Config.MetricsToken))
		r.metric, r.metricsAddr = newHTTPServer(mux, a.Logger), ln.Addr()
		a.serve(r.metric, ln, "metrics server")
	}
	if a.PlaysDemo() {
		a.goBackground(func() { playDemo(bgCtx, a.Config.BaseURL, a.Store, a.Jobs, a.Logger) })
	}
	return nil
}

// PlaysDemo says Start plays a few shoppers through a new demo shop: in sandbox mode, with
// --demo-activity, when this start created the demo shop and a worker answers them.
func (a *App) PlaysDemo() bool {
	return a.NewDemo && a.role == Serve && a.Config.DemoActivity && !a.Config.NoWorker
}

// MetricsAddr is the metrics listener's address once started (nil without --metrics-addr).
func (a *App) MetricsAddr() net.Addr {
	if a.running == nil {
		return nil
	}
	return a.running.metricsAddr
}

// Failed reports a server that stopped serving by itself; a started app's channel only.
func (a *App) Failed() <-chan error { return a.running.failed }

// Stop stops everything in the reverse order of New: the servers finish their requests (for up
// to --shutdown-timeout), the change listener and the demo activity end, the emulators stop
// redelivering, the refusal log and the intake write what they hold, the worker lets running jobs
// finish, and the database closes last. An app never started is only closed.
func (a *App) Stop() {
	if r := a.running; r != nil {
		ctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
		defer cancel()
		for _, srv := range []*http.Server{r.web, r.metric} {
			if srv == nil {
				continue
			}
			if err := srv.Shutdown(ctx); err != nil {
				a.Logger.Warn("http shutdown", "err", err)
			}
		}
		r.cancelBackground()
		r.background.Wait()
		a.closeAll()
		r.cancelJobs()
		return
	}
	a.closeAll()
}

func (a *App) serve(srv *http.Server, ln net.Listener, what string) {
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			a.running.failed <- fmt.Errorf("%s: %w", what, err)
		}
	}()
}

func (a *App) goBackground(fn func()) {
	a.running.background.Add(1)
	go func() {
		defer a.running.background.Done()
		fn()
	}()
}

// maxHeaderBytes bounds a request's headers: a browser's or a provider's are a few KB, and
// anything larger is refused before a handler runs.
const maxHeaderBytes = 64 << 10

// newHTTPServer is the server every listener of the process uses, with its timeouts and bounds.
func newHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: maxHeaderBytes,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
}
