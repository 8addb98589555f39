package password

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestHashingSharesAreSeparate fills one share's slots, as a flood would, and checks that the
// other kind of hashing still runs while this kind waits for its own share.
func TestHashingSharesAreSeparate(t *testing.T) {
	ctx := context.Background()
	hash, err := Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	check := func(ctx context.Context) error {
		ok, err := Check(ctx, hash, "correct horse battery")
		if err == nil && !ok {
			err = errors.New("the right password did not match")
		}
		return err
	}
	hashNew := func(ctx context.Context) error {
		_, err := Hash(ctx, "lakeside-canvas-42")
		return err
	}
	for _, tc := range []struct {
		name                string
		full                hashShare
		runs, waits         func(context.Context) error
		runsName, waitsName string
	}{
		{"signups cannot starve sign-in", newPasswordSlots, check, hashNew, "Check", "Hash"},
		{"sign-ins cannot starve signups", signInSlots, hashNew, check, "Hash", "Check"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range cap(tc.full) {
				tc.full <- struct{}{}
			}
			defer func() {
				for range cap(tc.full) {
					<-tc.full
				}
			}()
			// Generous: the other share is free, so this runs at once on an idle machine.
			runCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			if err := tc.runs(runCtx); err != nil {
				t.Fatalf("%s with the other share full: %v", tc.runsName, err)
			}
			// Its own share is full until this test empties it: the wait can only end by the deadline.
			waitCtx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			defer cancel()
			if err := tc.waits(waitCtx); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("%s with its own share full: %v, want it to wait until the deadline", tc.waitsName, err)
			}
		})
	}
}
