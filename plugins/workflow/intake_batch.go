package workflow

import (
	"context"
	"fmt"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// maxIntakeBatch bounds how many submissions share one write transaction.
const maxIntakeBatch = 32

// intakeBatcher commits concurrent submissions together (group commit).
// SQLite has one writer: each intake used to wait for the others, then pay
// its own BEGIN and COMMIT, and the commit — writing every page the
// appeal, its timeline entry and their many indexes touched to the WAL —
// was the largest single part of its time inside the transaction. When
// intakes queue up, the ones waiting run one after the other in one
// transaction, so the pages they share (the newest leaf of each index, the
// day's ticket counter) are written once.
//
// Each intake is still all or nothing: when one fails, the transaction is
// rolled back and the others run again without it (their records are
// built afresh), so a bad submission never takes others down; nobody gets
// an answer before the transaction that holds their appeal has committed.
// Alone, an intake runs in its own transaction as before.
type intakeBatcher struct {
	mu      sync.Mutex
	pending []*intakeJob
	busy    bool // a goroutine is running batches
}

type intakeJob struct {
	app  core.App
	run  func(tx core.App) error
	err  error
	done chan struct{}
}

// do runs run in a write transaction of app, possibly shared with other
// intakes, and answers once it has committed (or failed).
func (b *intakeBatcher) do(app core.App, run func(tx core.App) error) error {
	if app.IsTransactional() {
		// the caller's transaction decides; nothing to share
		return app.RunInTransaction(run)
	}
	j := &intakeJob{app: app, run: run, done: make(chan struct{})}
	b.mu.Lock()
	b.pending = append(b.pending, j)
	if !b.busy {
		b.busy = true
		go b.drain()
	}
	b.mu.Unlock()
	<-j.done
	return j.err
}

// drain takes the waiting jobs (one app, at most maxIntakeBatch) and runs
// them as one batch. As soon as the batch's transaction has ended, before
// PocketBase's after-commit hooks of its records run (realtime broadcasts,
// notices, automatic dispatch), the next batch starts on a new goroutine:
// the single writer does not wait for them, as it did not when each
// request ran its own transaction.
func (b *intakeBatcher) drain() {
	b.mu.Lock()
	if len(b.pending) == 0 {
		b.busy = false
		b.mu.Unlock()
		return
	}
	// one batch per app (tests run several apps in one process)
	app := b.pending[0].app
	var batch, rest []*intakeJob
	for _, j := range b.pending {
		if j.app == app && len(batch) < maxIntakeBatch {
			batch = append(batch, j)
		} else {
			rest = append(rest, j)
		}
	}
	b.pending = rest
	b.mu.Unlock()

	var next sync.Once
	handOff := func() { next.Do(func() { go b.drain() }) }
	commitBatch(app, batch, handOff)
	handOff() // if no transaction ever started
}

// commitBatch runs the jobs in one transaction; a failing job gets its
// error and the others run again without it. ended is called when a
// transaction of the batch has committed or rolled back.
func commitBatch(app core.App, batch []*intakeJob, ended func()) {
	for len(batch) > 0 {
		failed := -1
		t0 := time.Now()
		err := app.RunInTransaction(func(tx core.App) error {
			failed = -1 // PocketBase may retry the whole function on a busy database
			// registered first, so it runs before the records' after-commit hooks
			tx.TxInfo().OnComplete(func(error) error {
				writerTime.held.Add(int64(time.Since(t0)))
				writerTime.batches.Add(1)
				ended()
				return nil
			})
			for i, j := range batch {
				t0 := time.Now()
				var err error
				if labelWriter {
					pprof.Do(context.Background(), pprof.Labels("intake", "serial"), func(context.Context) { err = safeRun(j.run, tx) })
				} else {
					err = safeRun(j.run, tx)
				}
				writerTime.runs.Add(int64(time.Since(t0)))
				if err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		writerTime.txs.Add(int64(time.Since(t0)))
		if err == nil || failed < 0 {
			// committed; or the commit itself (or an after-commit hook)
			// failed, which concerns every job alike, as it would alone
			for _, j := range batch {
				j.finish(err)
			}
			return
		}
		batch[failed].finish(err)
		batch = append(batch[:failed:failed], batch[failed+1:]...)
	}
}

// writerTime sums, in nanoseconds, the time the single writer spends on
// intakes: runs is the time inside the jobs' run functions, held the
// time from BEGIN to the end of the transaction (the writer's serial
// part: runs, BEGIN and COMMIT), txs that to the end of the after-commit
// hooks (after which the jobs are answered); batches counts transactions. Never reset; BenchmarkIntakeHTTP reports the
// difference per intake.
var writerTime struct{ runs, txs, held, batches atomic.Int64 }

// labelWriter marks the CPU profile's samples of the jobs' run functions
// with the label intake=serial (set by tests; the hook chains of a save
// are deeper than the profile keeps, so the stack alone cannot tell).
var labelWriter bool

func (j *intakeJob) finish(err error) {
	j.err = err
	close(j.done)
}

// safeRun turns a panic of one intake into its error: the batch runs on a
// goroutine of its own, outside the HTTP handler's panic recovery.
func safeRun(run func(tx core.App) error, tx core.App) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("intake panicked: %v", r)
		}
	}()
	return run(tx)
}
