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
