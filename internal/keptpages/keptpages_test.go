package keptpages

import (
	"testing"
	"time"
)

// TestReadersShareOneRead: readers that come while a page is read
// wait for that read; a page read across a change is not kept.
func TestReadersShareOneRead(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	c := New(time.Minute, 1<<20, func() time.Time { return now })
	e, owner := c.Begin("k")
	if !owner {
		t.Fatal("the first reader does not read")
	}
	got := make(chan *Page)
	go func() {
		p, owner := c.Begin("k")
		if owner {
			p = nil
		}
		got <- p
	}()
	time.Sleep(10 * time.Millisecond)
	c.Finish("k", e, []byte(`{"items":[{"id":"a1"}]}`), "application/json")
	if p := <-got; p == nil || string(p.Body) != `{"items":[{"id":"a1"}]}` {
		t.Fatalf("the second reader read again or got %v", p)
	}

	e, owner = c.Begin("j")
	c.Changed()
	c.Finish("j", e, []byte(`{"items":[]}`), "application/json")
	if _, owner := c.Begin("j"); !owner {
		t.Error("a page read across a change was kept")
	}
	if _, owner := c.Begin("k"); !owner {
		t.Error("a change did not empty the cache")
	}
	now = now.Add(2 * time.Minute)
	if _, owner := c.Begin("j"); !owner {
		t.Error("a page older than the safety age was answered")
	}
}

// TestSearchSince: the window starts at the start of the day of the

// TestChangedPrefix: dropping one prefix (one department's pages) leaves
// the other answers kept, and an answer of that prefix read across the
// drop is not kept.
func TestChangedPrefix(t *testing.T) {
	c := New(time.Minute, 1<<20, time.Now)
	for _, key := range []string{"A\x00todo", "C\x00todo"} {
		e, _ := c.Begin(key)
		c.Finish(key, e, []byte(key), "application/json")
	}
	inFlight, _ := c.Begin("A\x00done")
	c.ChangedPrefix("A\x00")
	c.Finish("A\x00done", inFlight, []byte("old"), "application/json")
	if _, owner := c.Begin("A\x00todo"); !owner {
		t.Error("A's page was kept after A changed")
	}
	if _, owner := c.Begin("A\x00done"); !owner {
		t.Error("A's page read across the change was kept")
	}
	if p, owner := c.Begin("C\x00todo"); owner || string(p.Body) != "C\x00todo" {
		t.Error("C's page was dropped by A's change")
	}
}
