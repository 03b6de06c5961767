package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// slowReadPath is the slow read sent beside a phase by --slow-reads: the
// public list searched for a word found nowhere, over every public appeal,
// with PocketBase's total — as search.js asked before the search window (a
// scan of the whole view, seconds at 1M; a new word each time, so no kept
// page answers). The read whose 400s were found in the 1M benchmark.
func slowReadPath(i int64) string {
	w := fmt.Sprintf("无此词慢读%d", i)
	f := url.QueryEscape(fmt.Sprintf(`(title ~ "%s" || content ~ "%s")`, w, w))
	return "/api/collections/public_appeals/records?perPage=10&sort=-created&expand=category,region&filter=" + f
}

// slowReaders send slow reads from n clients until stopped, and count the
// answers by status (0: no answer).
type slowReaders struct {
	mu     sync.Mutex
	counts map[int]int
	stop   chan struct{}
	wg     sync.WaitGroup
}

func (r *loadRunner) startSlowReads(ctx context.Context, n int) *slowReaders {
	s := &slowReaders{counts: map[int]int{}, stop: make(chan struct{})}
	for c := 0; c < n; c++ {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for ctx.Err() == nil {
				select {
				case <-s.stop:
					return
				default:
				}
				status := 0
				if res, err := r.http.Get(r.base + slowReadPath(r.seq.Add(1))); err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					status = res.StatusCode
				}
				s.mu.Lock()
				s.counts[status]++
				s.mu.Unlock()
			}
		}()
	}
	return s
}

// finish stops the readers once their reads in flight are answered (so
// that the next phase starts on a quiet server) and describes the answers.
func (s *slowReaders) finish() string {
	close(s.stop)
	s.wg.Wait()
	var parts []string
	for status, n := range s.counts {
		label := fmt.Sprint(status)
		switch status {
		case 0:
			label = "no answer"
		case http.StatusServiceUnavailable:
			label = "503 系统繁忙"
		}
		parts = append(parts, fmt.Sprintf("%s ×%d", label, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// receipts keeps what intakes were acknowledged (201) with, to look each
// one up afterwards: an acknowledged appeal must exist.
type receipts struct {
	mu   sync.Mutex
	list []receipt
}

type receipt struct {
	Ticket    string `json:"ticket"`
	QueryCode string `json:"query_code"`
}

func (k *receipts) add(body []byte) {
	var r receipt
	if json.Unmarshal(body, &r) == nil && r.Ticket != "" {
		k.mu.Lock()
		k.list = append(k.list, r)
		k.mu.Unlock()
	}
}

// check looks every acknowledged ticket up with its query code (POST
// /api/track) and answers how many were found.
func (k *receipts) check(ctx context.Context, r *loadRunner) (found, total int) {
	var n atomic.Int64
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for c := 0; c < r.clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(len(k.list)) {
					return
				}
				body, _ := json.Marshal(map[string]string{"ticket": k.list[i].Ticket, "query_code": k.list[i].QueryCode})
				res, err := r.http.Post(r.base+"/api/track", "application/json", bytes.NewReader(body))
				if err != nil {
					continue
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == http.StatusOK {
					n.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return int(n.Load()), len(k.list)
}
