package models

import (
	"context"
	"sync"
	"testing"
	"time"
)

// waitQueued waits until the turns have n waiters.
func waitQueued(t *testing.T, w *writerTurns, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		w.mu.Lock()
		queued := len(w.intake) + len(w.others)
		w.mu.Unlock()
		if queued == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d waiting, want %d", queued, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// The intake's commit, queued last, writes before the transactions that queued before it; the
// others keep their order.
func TestWriterTurnsInboxFirst(t *testing.T) {
	var w writerTurns
	ctx := context.Background()
	if err := w.take(ctx, false); err != nil {
		t.Fatal(err)
	}
	order := make(chan string, 3)
	var done sync.WaitGroup
	queue := func(name string, urgent bool, queued int) {
		done.Add(1)
		go func() {
			defer done.Done()
			if err := w.take(ctx, urgent); err != nil {
				t.Error(err)
				return
			}
			order <- name
			w.give()
		}()
		waitQueued(t, &w, queued)
	}
	queue("worker 1", false, 1)
	queue("worker 2", false, 2)
	queue("intake", true, 3)
	w.give()
	for _, want := range []string{"intake", "worker 1", "worker 2"} {
		if got := <-order; got != want {
			t.Fatalf("turn went to %s, want %s", got, want)
		}
	}
	done.Wait() // each waiter gives its turn back after saying it had it
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.held {
		t.Fatal("the writer is still held after every turn was given back")
	}
}

// A waiter whose context ends leaves the queue and does not hold up the next one.
func TestWriterTurnsCancelled(t *testing.T) {
	var w writerTurns
	if err := w.take(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() { gaveUp <- w.take(ctx, true) }()
	waitQueued(t, &w, 1)
	cancel()
	if err := <-gaveUp; err == nil {
		t.Fatal("take returned nil after its context ended")
	}
	waitQueued(t, &w, 0)
	next := make(chan struct{})
	go func() {
		if err := w.take(context.Background(), false); err == nil {
			close(next)
		}
	}()
	waitQueued(t, &w, 1)
	w.give()
	select {
	case <-next:
	case <-time.After(5 * time.Second):
		t.Fatal("the turn did not reach the waiter after the cancelled one")
	}
}
