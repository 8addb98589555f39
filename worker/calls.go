package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/chatshop/chatshop/models"
)

// CallArgs are the arguments of a call to PayPal or Meta; Kind names the code that makes it.
type CallArgs interface {
	Kind() string
	policy() callPolicy
}

// callPolicy is how a kind of call is queued and retried.
type callPolicy struct {
	attempts int // at most, the first included
	// once queues a call once for the same arguments, however often the change asking for it runs.
	once bool
}

// Job is one attempt at a call.
type Job[T CallArgs] struct {
	ID          int64
	Args        T
	Attempt     int // 1 for the first
	MaxAttempts int
}

// caller makes the calls of one kind. An error asks for another attempt after a backoff, unless
// it is permanent or the attempts are spent.
type caller[T CallArgs] interface {
	Work(ctx context.Context, job *Job[T]) error
}

// callKind makes a claimed call of one kind: it reads the arguments and hands them to its caller.
type callKind func(ctx context.Context, c models.ClaimedCall) error

// addCaller registers the code that makes calls of T's kind.
func addCaller[T CallArgs](kinds map[string]callKind, c caller[T]) {
	var zero T
	kinds[zero.Kind()] = func(ctx context.Context, claimed models.ClaimedCall) error {
		var args T
		if err := json.Unmarshal([]byte(claimed.Args), &args); err != nil {
			return permanent(fmt.Errorf("%s arguments: %w", claimed.Kind, err))
		}
		return c.Work(ctx, &Job[T]{ID: claimed.ID, Args: args, Attempt: claimed.Attempts, MaxAttempts: claimed.MaxAttempts})
	}
}

// permanentError is a call's failure that another attempt would not mend.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return "permanent: " + e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// permanent marks err as a failure no retry mends: the call fails at once.
func permanent(err error) error { return &permanentError{err} }

// isPermanent reports whether err was marked permanent.
func isPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// call queues a call in tx, due now: it exists only if tx commits.
func (w *Worker) call(tx *models.Tx, args CallArgs) error {
	_, err := w.callAt(tx, args, time.Time{})
	return err
}

// callAt queues a call in tx, due at at (now when zero), and returns its id; a kind made once for
// the same arguments is not queued again (id 0).
func (w *Worker) callAt(tx *models.Tx, args CallArgs, at time.Time) (id int64, err error) {
	body, err := json.Marshal(args)
	if err != nil {
		return 0, fmt.Errorf("worker: %s arguments: %w", args.Kind(), err)
	}
	policy := args.policy()
	c := &models.Call{Kind: args.Kind(), Args: string(body), MaxAttempts: policy.attempts, RunAt: at}
	if policy.once {
		key := args.Kind() + " " + string(body)
		c.UniqueKey = &key
	}
	var lease time.Duration
	if w.calls != nil {
		lease = w.calls.lease // this process makes it: claimed as it is queued
	}
	queued, err := tx.QueueCall(c, lease)
	if err != nil || !queued {
		return 0, err
	}
	return c.ID, nil
}

// callOutside queues a call in a transaction of its own, due at at (now when zero).
func (w *Worker) callOutside(ctx context.Context, args CallArgs, at time.Time) error {
	return w.store.Transaction(ctx, func(tx *models.Tx) error {
		_, err := w.callAt(tx, args, at)
		return err
	})
}
