package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// phaseResult is one load phase's latencies and the server's memory.
type phaseResult struct {
	Name     string
	Requests int
	P50, P95 time.Duration
	PerSec   float64
	Failed   int64
	FirstErr string
	// Peak is the server's VmHWM over the phase (reset before it) and
	// PeakShared whether the reset failed (then it is the peak so far).
	Peak       int64
	PeakShared bool
	RSSEnd     int64
	// Split is /proc/PID/smaps at the highest RSS sampled during the phase.
	Split memSplit
	// GoHeap is the largest Go heap in MB the server's collections logged
	// during the phase (gctrace); -1: unknown.
	GoHeap int64
}

// loadRunner sends requests from concurrent clients to one server.
type loadRunner struct {
	base    string
	http    *http.Client
	clients int
	mem     *procMem // nil: the server's memory is not readable
	gc      *gcTrace // nil: no gctrace log of the server
	seq     atomic.Int64
	acked   *receipts // nil: intakes' receipts are not kept
}

func newLoadRunner(base string, clients int, mem *procMem) *loadRunner {
	return &loadRunner{base: base, clients: clients, mem: mem,
		http: &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: clients * 2}}}
}

// run sends n requests, taking the kinds in turn (one kind: a phase of
// that request; several: the mixed load), from r.clients clients.
func (r *loadRunner) run(ctx context.Context, name string, kinds []request, n int) phaseResult {
	res := phaseResult{Name: name, Requests: n}
	if r.mem != nil {
		res.PeakShared = r.mem.resetPeak() != nil
	}
	res.GoHeap = -1
	if r.gc != nil {
		r.gc.peakSince() // skip what was logged before the phase
	}
	stop := make(chan struct{})
	sampled := make(chan memSplit, 1)
	go r.sample(stop, sampled)

	var (
		mu        sync.Mutex
		latencies = make([]time.Duration, 0, n)
		next      atomic.Int64
		wg        sync.WaitGroup
	)
	started := time.Now()
	for c := 0; c < r.clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for {
				k := next.Add(1) - 1
				if k >= int64(n) || ctx.Err() != nil {
					break
				}
				q := kinds[k%int64(len(kinds))]
				t0 := time.Now()
				err := r.do(q, r.seq.Add(1))
				mine = append(mine, time.Since(t0))
				if err != nil {
					mu.Lock()
					if res.Failed == 0 {
						res.FirstErr = err.Error()
					}
					res.Failed++
					mu.Unlock()
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(started)
	close(stop)
	res.Split = <-sampled
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	if len(latencies) > 0 {
		pct := func(p float64) time.Duration { return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))] }
		res.P50, res.P95 = pct(0.50), pct(0.95)
	}
	res.PerSec = float64(n) / elapsed.Seconds()
	if r.mem != nil {
		res.Peak, res.RSSEnd, _ = r.mem.status()
	}
	if r.gc != nil {
		res.GoHeap = r.gc.peakSince()
	}
	return res
}

// sample reads the server's smaps every half second and answers the
// reading with the highest resident total.
func (r *loadRunner) sample(stop <-chan struct{}, out chan<- memSplit) {
	var best memSplit
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for r.mem != nil {
		if m, err := r.mem.split(); err == nil && m.LargeAnon+m.SmallAnon+m.File > best.LargeAnon+best.SmallAnon+best.File {
			best = m
		}
		select {
		case <-stop:
			out <- best
			return
		case <-tick.C:
		}
	}
	<-stop
	out <- best
}

func (r *loadRunner) do(q request, i int64) error {
	var body io.Reader
	if q.Body != nil {
		body = bytes.NewReader(q.Body(i))
	}
	path := q.Path(i)
	req, err := http.NewRequest(q.Method, r.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if q.Token != "" {
		req.Header.Set("Authorization", q.Token)
	}
	res, err := r.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	_, _ = io.Copy(io.Discard, res.Body)
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", q.Method, path, res.StatusCode, msg[:min(len(msg), 300)])
	}
	if res.StatusCode == http.StatusCreated && r.acked != nil {
		r.acked.add(msg)
	}
	return nil
}
