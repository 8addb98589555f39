package worker

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// backoff retries failed jobs exponentially with jitter: about base·2^(attempt-1), capped, each
// delay drawn from ±25% so that many jobs failing together do not retry together.
type backoff struct {
	base, max time.Duration
}

// NextRetry implements river.ClientRetryPolicy.
func (b backoff) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(b.delay(job.Attempt))
}

// delay is how long to wait after the given failed attempt (1 for the first).
func (b backoff) delay(attempt int) time.Duration {
	d := b.base << min(max(attempt-1, 0), 30)
	if d <= 0 || d > b.max {
		d = b.max
	}
	jitter := time.Duration(rand.Int64N(int64(d)/2+1)) - d/4
	return d + jitter
}
