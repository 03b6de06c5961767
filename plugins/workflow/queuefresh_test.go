package workflow_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// computations counts the computations of the departments' 待办 first
// pages (workflow.SetQueueComputed); the first one of dept can be held
// after it has read the database and before its page is kept.
type computations struct {
	dept    string
	n       atomic.Int64 // dept's
	others  sync.Map     // another department → *atomic.Int64
	hold    bool
	held    chan struct{} // closed when the first computation is held
	release chan struct{} // close to let it go on
	once    sync.Once
}

func countComputations(t *testing.T, dept string, hold bool) *computations {
	c := &computations{dept: dept, hold: hold, held: make(chan struct{}), release: make(chan struct{})}
	restore := workflow.SetQueueComputed(func(d, view string) {
		if view != "todo" {
			return
		}
		if d != dept {
			n, _ := c.others.LoadOrStore(d, &atomic.Int64{})
			n.(*atomic.Int64).Add(1)
			return
		}
		if c.n.Add(1) == 1 && c.hold {
			close(c.held)
			<-c.release
		}
	})
	t.Cleanup(func() {
		c.let()
		restore()
	})
	return c
}

// of answers the computations counted for another department.
func (c *computations) of(dept string) int64 {
	if n, ok := c.others.Load(dept); ok {
		return n.(*atomic.Int64).Load()
	}
	return 0
}

// let releases the held computation (once).
func (c *computations) let() { c.once.Do(func() { close(c.release) }) }

// waitFor waits until at least n computations were counted.
func (c *computations) waitFor(t *testing.T, n int64) bool {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if c.n.Load() >= n {
			return true
		}
	}
	return false
}

// TestQueueReadAfterChangeIsNotAnOlderComputation: a reader arriving
// after a change is never handed the page of a computation that started
// before it (even one still running), and that older page is not kept.
func TestQueueReadAfterChangeIsNotAnOlderComputation(t *testing.T) {
	env := testenv.New(t)
	q := queueReader{t, env}
	x := env.Reach(t, workflow.Accepted)
	c := countComputations(t, env.DeptA.Id, true)

	// R1 computes A's page before the change and is held with it
	r1 := make(chan map[string]workflow.QueueItem, 1)
	go func() { _, items := q.page("todo", env.HandlerA); r1 <- items }()
	<-c.held

	// the change, then R2
	x = env.Do(t, x, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	r2 := make(chan map[string]workflow.QueueItem, 1)
	go func() { _, items := q.page("todo", env.HandlerA); r2 <- items }()
	var items map[string]workflow.QueueItem
	select {
	case items = <-r2:
	case <-time.After(5 * time.Second):
		t.Error("the reader after the change waited for the computation started before it")
		c.let()
		items = <-r2
	}
	if _, ok := items[x.Id]; !ok {
		t.Error("the first read after 派单 does not show the case")
	}

	c.let()
	if old := <-r1; len(old) != 0 {
		t.Errorf("R1 read after the change? %d rows", len(old))
	}
	if _, items := q.page("todo", env.HandlerA); items[x.Id].ID == "" {
		t.Error("the page computed before the change was kept")
	}
}

// TestQueueReadersShareOneComputation: readers arriving while a page is
// computed wait for that one computation instead of each computing.
func TestQueueReadersShareOneComputation(t *testing.T) {
	env := testenv.New(t)
	q := queueReader{t, env}
	x := env.Reach(t, workflow.Dispatched)
	c := countComputations(t, env.DeptA.Id, true)

	var readers sync.WaitGroup
	got := make(chan bool, 9)
	read := func() {
		defer readers.Done()
		_, items := q.page("todo", env.HandlerA)
		_, ok := items[x.Id]
		got <- ok
	}
	readers.Add(1)
	go read()
	<-c.held
	for range 8 {
		readers.Add(1)
		go read()
	}
	time.Sleep(100 * time.Millisecond) // the 8 readers arrive (later ones find the page kept)
	c.let()
	readers.Wait()
	close(got)
	for ok := range got {
		if !ok {
			t.Error("a reader's page lacks the dispatched case")
		}
	}
	if n := c.n.Load(); n != 1 {
		t.Errorf("9 readers computed the page %d times, want once", n)
	}
}

// TestQueueRefreshAhead: after a change, a page readers were asking for
// is computed again in the background, so the next read finds it kept
// and shows the change; a page nobody asked for since its last refresh,
// or never, is left dropped.
func TestQueueRefreshAhead(t *testing.T) {
	env := testenv.New(t)
	q := queueReader{t, env}
	q.page("todo", env.HandlerA)
	c := countComputations(t, env.DeptA.Id, false)

	x := env.Reach(t, workflow.Accepted)
	x = env.Do(t, x, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	if !c.waitFor(t, 1) {
		t.Fatal("A's page, read before the change, was not computed again after it")
	}
	if _, items := q.page("todo", env.HandlerA); items[x.Id].ID == "" {
		t.Fatal("the refreshed page lacks the dispatched case")
	}
	if n := c.n.Load(); n != 1 {
		t.Errorf("the read after the refresh computed the page again (%d computations)", n)
	}

	// refreshed again after the next change (it was read since) ...
	x = env.Do(t, x, "urge", env.Supervisor, workflow.Input{Note: "请加快办理"})
	if !c.waitFor(t, 2) {
		t.Fatal("the page read since its refresh was not refreshed after the next change")
	}
	// ... but not after a third: nobody read the second refresh
	env.Do(t, x, "urge", env.Supervisor, workflow.Input{Note: "请加快办理"})
	// C's page was never read: a change of C computes nothing
	y := env.Reach(t, workflow.Accepted)
	env.Do(t, y, "dispatch", env.Operator, workflow.Input{Department: env.DeptC.Id})
	time.Sleep(200 * time.Millisecond)
	if n := c.n.Load(); n != 2 {
		t.Errorf("A's page was refreshed although nobody read it since (%d computations)", n)
	}
	if n := c.of(env.DeptC.Id); n != 0 {
		t.Errorf("C's page, never read, was computed %d times", n)
	}
	if it, ok := q.find("todo", env.HandlerA, x); !ok || it.UrgeCount != 2 {
		t.Errorf("after two 催办: %v %+v", ok, it)
	}
}
