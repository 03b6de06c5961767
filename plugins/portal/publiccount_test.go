package portal

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A slow count is not redone in the request after a change: the kept
// figure is answered as approximate while one recount runs, then the new
// figure is exact; concurrent first readers share one count.
func TestPublicCountsKeepsSlowCounts(t *testing.T) {
	c := newPublicCounts()
	c.syncBelow = 0 // every count is "slow"
	var value, calls atomic.Int64
	value.Store(10)
	count := func() (int, error) { calls.Add(1); return int(value.Load()), nil }

	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if n, exact, err := c.get("f", count); n != 10 || !exact || err != nil {
				t.Errorf("first count: %d %v %v", n, exact, err)
			}
		}()
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Errorf("8 first readers counted %d times", calls.Load())
	}
	if n, exact, _ := c.get("f", count); n != 10 || !exact || calls.Load() != 1 {
		t.Errorf("kept count: %d %v (%d counts)", n, exact, calls.Load())
	}

	value.Store(11)
	c.changed()
	if n, exact, _ := c.get("f", count); n != 10 || exact {
		t.Errorf("right after a change: %d exact=%v, want the kept 10 as approximate", n, exact)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, exact, _ := c.get("f", count)
		if n == 11 && exact {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the recount never arrived: %d %v", n, exact)
		}
		time.Sleep(time.Millisecond)
	}
	if calls.Load() != 2 {
		t.Errorf("one change, %d recounts", calls.Load()-1)
	}
}
