package keptpages

import (
	"errors"
	"testing"
	"time"
)

// readOnce reads key with a read that answers body (or err) and counts
// its calls.
func readOnce(t *testing.T, c *Cache, key, body string, keep bool, err error, calls *int) (*Page, error) {
	t.Helper()
	return c.Get(key, func(time.Time) (Answer, bool, error) {
		*calls++
		return Answer{Body: []byte(body), ContentType: "application/json"}, keep, err
	})
}

// TestGetHandsTheErrorToWaitersAndKeepsNone: readers waiting for a read
// that fails get its error; the next reader reads again.
func TestGetHandsTheErrorToWaitersAndKeepsNone(t *testing.T) {
	c := New(time.Minute, 1<<20, time.Now)
	started, release := make(chan struct{}), make(chan struct{})
	boom := errors.New("database is locked")
	waited := make(chan error)
	go func() {
		_, err := c.Get("board", func(time.Time) (Answer, bool, error) {
			close(started)
			<-release
			return Answer{}, true, boom
		})
		waited <- err
	}()
	<-started
	go func() {
		_, err := c.Get("board", func(time.Time) (Answer, bool, error) {
			t.Error("a reader read again while the first read was running")
			return Answer{}, false, nil
		})
		waited <- err
	}()
	time.Sleep(10 * time.Millisecond) // the second reader waits
	close(release)
	for i := 0; i < 2; i++ {
		if err := <-waited; !errors.Is(err, boom) {
			t.Errorf("reader %d got %v, want the read's error", i, err)
		}
	}
	calls := 0
	if p, err := readOnce(t, c, "board", `{"ok":1}`, true, nil, &calls); err != nil || calls != 1 || string(p.Body) != `{"ok":1}` {
		t.Errorf("after an error: %v, %d reads; want a fresh read", err, calls)
	}
}

// TestGetPanicWakesTheWaiters: a read that panics still wakes the readers
// waiting for it (with an error), and nothing is kept.
func TestGetPanicWakesTheWaiters(t *testing.T) {
	c := New(time.Minute, 1<<20, time.Now)
	started := make(chan struct{})
	waited := make(chan error)
	go func() {
		defer func() { _ = recover() }()
		_, _ = c.Get("k", func(time.Time) (Answer, bool, error) {
			close(started)
			time.Sleep(20 * time.Millisecond)
			panic("boom")
		})
	}()
	<-started
	go func() {
		_, err := c.Get("k", func(time.Time) (Answer, bool, error) { return Answer{}, false, nil })
		waited <- err
	}()
	if err := <-waited; err == nil {
		t.Error("a reader waiting for a read that panicked got no error")
	}
	calls := 0
	if _, err := readOnce(t, c, "k", "{}", true, nil, &calls); err != nil || calls != 1 {
		t.Errorf("after a panic: %v, %d reads; want a fresh read", err, calls)
	}
}

// TestGetAgeOnTheInjectedClock: an answer is given again until it is
// maxAge old on the cache's clock, as of the time it was read (At); a
// clock set back reads again; maxAge 0 keeps until a change; a read that
// may not be kept is read again.
func TestGetAgeOnTheInjectedClock(t *testing.T) {
	start := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC)
	now := start
	c := New(30*time.Second, 1<<20, func() time.Time { return now })
	calls := 0
	p, _ := readOnce(t, c, "county", "a", true, nil, &calls)
	if !p.At().Equal(start) {
		t.Errorf("At %v, want %v", p.At(), start)
	}
	now = start.Add(20 * time.Second)
	if p, _ := readOnce(t, c, "county", "b", true, nil, &calls); calls != 1 || string(p.Body) != "a" {
		t.Errorf("20 s later: %d reads, body %q; want the kept answer", calls, p.Body)
	}
	now = start.Add(31 * time.Second)
	if p, _ := readOnce(t, c, "county", "c", true, nil, &calls); calls != 2 || !p.At().Equal(now) {
		t.Errorf("31 s later: %d reads, At %v; want a read as of %v", calls, p.At(), now)
	}
	now = start
	if readOnce(t, c, "county", "d", true, nil, &calls); calls != 3 {
		t.Error("with the clock set back the answer read later was given again")
	}
	if readOnce(t, c, "live", "e", false, nil, &calls); calls != 4 {
		t.Fatal("no read")
	}
	if readOnce(t, c, "live", "f", false, nil, &calls); calls != 5 {
		t.Error("an answer that may not be kept was kept")
	}

	forever := New(0, 1<<20, func() time.Time { return now })
	readOnce(t, forever, "report", "r1", true, nil, &calls)
	now = now.Add(24 * time.Hour)
	if p, _ := readOnce(t, forever, "report", "r2", true, nil, &calls); string(p.Body) != "r1" {
		t.Error("with no age bound an answer was dropped by age")
	}
	forever.Changed()
	if p, _ := readOnce(t, forever, "report", "r3", true, nil, &calls); string(p.Body) != "r3" {
		t.Error("a change did not empty a cache with no age bound")
	}
}

// TestGetValue: the value beside the body is handed to the readers.
func TestGetValue(t *testing.T) {
	c := New(0, 1<<20, time.Now)
	type report struct{ Title string }
	for i := 0; i < 2; i++ {
		p, err := c.Get("m", func(time.Time) (Answer, bool, error) {
			if i > 0 {
				t.Error("read again")
			}
			return Answer{Body: []byte(`{"Title":"月报"}`), Value: &report{"月报"}}, true, nil
		})
		if err != nil || p.Value.(*report).Title != "月报" {
			t.Errorf("value %v, %v", p.Value, err)
		}
	}
}
