// Package webhooks tells other systems about every change of a case. Each
// timeline entry (appeal_events row) writes one outbox row per matching
// active webhook in the same transaction; a background deliverer POSTs the
// rows as signed JSON, in order per appeal and webhook, with exponential
// backoff and a dead-letter state that administrators can replay. Everything
// lives in the database, so a restart loses and repeats nothing.
package webhooks

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/tablecache"
	"siyang/internal/timer"
)

// Config configures the webhooks plugin. Zero values mean the defaults.
type Config struct {
	// Interval is how often the deliverer looks for due rows, besides the
	// nudge right after each commit. Zero means 5 seconds; negative disables
	// the timer (tests call DeliverDue themselves).
	Interval time.Duration

	// NoNudge turns off the immediate delivery attempt after each commit, so
	// that only the timer (or DeliverDue) delivers.
	NoNudge bool

	// BaseDelay is the first retry's upper bound; each further failure
	// doubles it, up to MaxDelay. The real delay is uniformly random below
	// that bound ("full jitter"), so that receivers coming back up are not
	// hit by every sender at once. Zero means 30 s.
	BaseDelay time.Duration

	// MaxDelay caps the retry delay. Zero means 1 hour.
	MaxDelay time.Duration

	// MaxAttempts is how many attempts a row gets before it is dead. Zero
	// means 15 (about four hours on average, eight at most, with the
	// defaults).
	MaxAttempts int

	// Timeout bounds one delivery request. Zero means 10 s.
	Timeout time.Duration

	// Client sends the requests; nil means a client with Timeout.
	Client *http.Client

	// Now is the clock for scheduling and signing; nil means time.Now.
	Now func() time.Time

	// Rand answers a uniformly random duration in [0, d); nil uses
	// math/rand. Tests may make the jitter predictable.
	Rand func(d time.Duration) time.Duration

	// Parallel is how many webhooks are delivered to at once (a slow
	// receiver must not hold up the others). Zero means 4.
	Parallel int
}

type plugin struct {
	app    core.App
	config Config

	// receivers are the active event-stream webhooks; tablecache empties
	// it on any change of a webhooks record.
	receivers *tablecache.Cache[[]*core.Record]

	passMu  sync.Mutex // one delivery pass at a time in this process
	pending sync.Mutex // guards again/running
	again   bool       // a nudge arrived during a pass: run once more
	running bool
	closed  bool
	wg      sync.WaitGroup // nudged passes in flight
}

// Plugin is the registered webhooks plugin.
type Plugin struct{ p *plugin }

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) *Plugin {
	pl, err := Register(app, config)
	if err != nil {
		panic(err)
	}
	return pl
}

// Register binds the outbox writer to the timeline, the deliverer (timer
// started with serve, stopped on terminate, plus a nudge after each
// commit), the replay rules and the replay endpoint.
func Register(app core.App, config Config) (*Plugin, error) {
	if config.Interval == 0 {
		config.Interval = 5 * time.Second
	}
	if config.BaseDelay <= 0 {
		config.BaseDelay = 30 * time.Second
	}
	if config.MaxDelay <= 0 {
		config.MaxDelay = time.Hour
	}
	if config.MaxDelay < config.BaseDelay {
		return nil, fmt.Errorf("webhooks: MaxDelay %s is below BaseDelay %s", config.MaxDelay, config.BaseDelay)
	}
	if config.MaxAttempts <= 0 {
		config.MaxAttempts = 15
	}
	if config.Timeout <= 0 {
		config.Timeout = 10 * time.Second
	}
	if config.Client == nil {
		config.Client = &http.Client{
			Timeout: config.Timeout,
			// a receiver's redirect would re-send the signed body elsewhere
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	if config.Parallel <= 0 {
		config.Parallel = 4
	}
	p := &plugin{app: app, config: config}
	p.receivers = tablecache.New(app, activeReceivers, "webhooks")

	// inside the action's transaction: e.App is the transaction
	app.OnRecordCreate("appeal_events").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return p.enqueue(e.App, e.Record)
	})
	// after the commit: try at once instead of waiting for the timer
	app.OnRecordAfterCreateSuccess("outbox").BindFunc(func(e *core.RecordEvent) error {
		if !p.config.NoNudge {
			p.nudge()
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest("outbox").BindFunc(p.guardReplay)
	bindSecretInput(app)

	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.POST("/api/webhooks/outbox/{id}/replay", p.handleReplay)
		return e.Next()
	})
	timer.Bind(app, "webhooks-deliver", p.config.Interval, p.deliverEvery)
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		p.stop()
		return e.Next()
	})
	return &Plugin{p: p}, nil
}

func (p *plugin) now() time.Time {
	if p.config.Now != nil {
		return p.config.Now().UTC()
	}
	return time.Now().UTC()
}

// stop ends the timer and waits for nudged passes, so that nothing touches
// the database after the app is gone.
func (p *plugin) stop() {
	p.pending.Lock()
	p.closed = true
	p.pending.Unlock()
	p.wg.Wait()
}

// nudge starts a delivery pass in the background, or asks the running one
// to go round once more; bursts of commits coalesce into few passes.
func (p *plugin) nudge() {
	p.pending.Lock()
	defer p.pending.Unlock()
	if p.closed {
		return
	}
	if p.running {
		p.again = true
		return
	}
	p.running = true
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			if _, err := p.deliverDue(); err != nil {
				p.app.Logger().Error("webhooks: delivery pass", "error", err)
			}
			p.pending.Lock()
			if !p.again || p.closed {
				p.running = false
				p.pending.Unlock()
				return
			}
			p.again = false
			p.pending.Unlock()
		}
	}()
}

// deliverEvery is the timer's task; errors are logged, the next run retries.
func (p *plugin) deliverEvery() {
	if _, err := p.deliverDue(); err != nil {
		p.app.Logger().Error("webhooks: delivery pass", "error", err)
	}
}

// DeliverDue runs one delivery pass now (the timer does this every
// Interval) and answers what it did.
func (pl *Plugin) DeliverDue() (Result, error) { return pl.p.deliverDue() }

// Wait blocks until background (nudged) delivery passes have finished.
func (pl *Plugin) Wait() {
	for {
		pl.p.pending.Lock()
		running := pl.p.running
		pl.p.pending.Unlock()
		if !running {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}
