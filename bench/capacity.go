package bench

import (
	"errors"
	"fmt"
)

// receiptTargetP99MS is the target for the receipt: p99 within 250 ms.
const receiptTargetP99MS = 250

// capacityRates are the checkout rates tried after the 100/s receipts, in order, until one misses
// the target.
var capacityRates = []int{150, 200, 250, 300, 400, 500, 600, 800}

// Capacity is how far the receipts go on this machine: the checkout rates tried, 10 s each, and
// the highest whose receipts kept p99 within the target. A machine twice as fast holds about twice
// the rate, so it tells what the 100/s figure alone cannot: how much room the design leaves.
type Capacity struct {
	TargetP99MS float64   `json:"target_p99_ms"`
	HeldPerS    int       `json:"held_per_s"`
	Steps       []Journey `json:"steps"`
}

// measureCapacity raises the checkout rate from the 100/s journey (held or not) until the receipts'
// p99 passes the target or some never come.
func (j *journeyRun) measureCapacity(at100 Journey, seconds int, logf func(string, ...any)) (*Capacity, error) {
	c := &Capacity{TargetP99MS: receiptTargetP99MS}
	if !held(at100) {
		return c, nil
	}
	c.HeldPerS = at100.TargetPerSecond
	for _, rate := range capacityRates {
		logf("approval to receipt at a steady %d/s…", rate)
		step, err := j.approvalToReceipt(rate, seconds)
		if err != nil && !errors.Is(err, errUnanswered) {
			return nil, fmt.Errorf("at %d/s: %w", rate, err)
		}
		c.Steps = append(c.Steps, step)
		if !held(step) {
			break
		}
		c.HeldPerS = rate
	}
	return c, nil
}

// held reports whether every receipt came, with p99 within the target.
func held(j Journey) bool { return j.Answered == j.Count && j.P99MS <= receiptTargetP99MS }
