// Package dispatch proposes who should handle an appeal: the county's
// ordered dispatch rules (派单目录), a classifier trained on the platform's
// own confirmed cases, urgency and emotion flags, and duplicate candidates.
// An operator confirms; per category, a confident agreement of rule and
// classifier may dispatch automatically, as an undoable timeline entry.
package dispatch

import (
	"context"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"siyang/internal/tablecache"
	"siyang/internal/timer"
	"siyang/plugins/textmine/classify"
	"siyang/plugins/workflow"
)

// Performer runs workflow actions; *workflow.Engine is one.
type Performer interface {
	Perform(app core.App, req workflow.Request) (*workflow.Result, error)
}

// Config configures the dispatch plugin.
type Config struct {
	// Actions performs automatic dispatches as workflow actions.
	Actions Performer

	// DuplicateWindow is how far back open appeals are compared with a new
	// one. Zero means 30 days.
	DuplicateWindow time.Duration

	// DuplicateThreshold is the similarity (0–1) above which an open appeal
	// is offered for 并单. Zero means 0.45.
	DuplicateThreshold float64

	// DefaultAutoConfidence is the classifier confidence auto-dispatch needs
	// when a category sets none. Zero means 0.9.
	DefaultAutoConfidence float64

	// RetrainEvery is how often the classifier retrains on the confirmed
	// history (only when something new was confirmed). Zero means 24 h;
	// negative disables the schedule.
	RetrainEvery time.Duration

	// TrainOptions are the classifier's settings; zero means classify.DefaultOptions().
	TrainOptions classify.Options
}

type plugin struct {
	app    core.App
	config Config
	models *modelStore

	// rules are the active dispatch rules in order; tablecache empties it
	// on any change of a dispatch_rules record.
	rules *tablecache.Cache[[]*core.Record]
}

// Plugin is the registered dispatch helper.
type Plugin struct{ p *plugin }

// Retrain retrains the classifier now (see Config.RetrainEvery).
func (pl *Plugin) Retrain(force bool) (bool, int, error) { return pl.p.Retrain(force) }

// Suggest analyses an appeal without writing anything.
func (pl *Plugin) Suggest(app core.App, a *core.Record) (*Suggestion, error) {
	return pl.p.Suggest(app, a)
}

// MustRegister is Register that panics on error.
func MustRegister(app core.App, rootCmd *cobra.Command, config Config) *Plugin {
	pl, err := Register(app, rootCmd, config)
	if err != nil {
		panic(err)
	}
	return pl
}

// Register binds the intake analysis, the rule flagging, the model
// loading and retraining, the routes, and (when rootCmd is given) the
// `classify train|eval` commands.
func Register(app core.App, rootCmd *cobra.Command, config Config) (*Plugin, error) {
	if config.Actions == nil {
		return nil, fmt.Errorf("dispatch: Config.Actions is required")
	}
	if config.DuplicateWindow == 0 {
		config.DuplicateWindow = 30 * 24 * time.Hour
	}
	if config.DuplicateThreshold == 0 {
		config.DuplicateThreshold = 0.45
	}
	if config.DefaultAutoConfidence == 0 {
		config.DefaultAutoConfidence = 0.9
	}
	if config.RetrainEvery == 0 {
		config.RetrainEvery = 24 * time.Hour
	}
	if config.TrainOptions.Model == "" {
		config.TrainOptions = classify.DefaultOptions()
	}
	p := &plugin{app: app, config: config, models: &modelStore{}}
	p.rules = tablecache.New(app, activeRules, "dispatch_rules")
	bindOpenWindow(app)

	if app.IsBootstrapped() {
		p.loadModel(app)
	}
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		p.loadModel(e.App)
		return nil
	})
	workflow.OnPrepareIntake(app).BindFunc(func(e *workflow.PrepareIntakeEvent) error {
		an, err := p.prepare(e.App, e.Appeal, true)
		if err != nil {
			return fmt.Errorf("dispatch suggestion: %w", err)
		}
		e.Context = context.WithValue(e.Context, preparedKey{}, an)
		return e.Next()
	})
	held := &pendingCandidates{}
	bindCandidateWrite(app, held)
	app.OnRecordCreate("appeals").BindFunc(func(e *core.RecordEvent) error {
		if err := p.analyse(e.App, e.Record, e.Context); err != nil {
			return err
		}
		// the candidates are checked and written after validation
		// (candidates_check.go)
		held.hold(e.Record)
		err := e.Next()
		held.release(e.Record)
		if err != nil {
			return err
		}
		// saved: it has its id and ticket. Should the transaction roll back,
		// the cache keeps facts of an id that never appears, which is harmless.
		remember(e.Record)
		return nil
	})
	app.OnRecordAfterCreateSuccess("appeals").BindFunc(func(e *core.RecordEvent) error {
		p.autoDispatch(e.Record)
		return e.Next()
	})
	flag := func(e *core.RecordEvent) error {
		flagTownshipRouting(e.App, e.Record)
		return e.Next()
	}
	app.OnRecordCreate("dispatch_rules").BindFunc(flag)
	app.OnRecordUpdate("dispatch_rules").BindFunc(flag)

	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		p.bindRoutes(e)
		return e.Next()
	})
	timer.Bind(app, "classifier-retrain", p.config.RetrainEvery, func() {
		if _, _, err := p.Retrain(false); err != nil {
			p.app.Logger().Warn("classifier retrain skipped", "error", err)
		}
	})
	bindCommands(app, rootCmd, p)
	return &Plugin{p: p}, nil
}

// loadModel reads the stored model of the app's data folder.
func (p *plugin) loadModel(app core.App) {
	p.models.dir = app.DataDir()
	if err := p.models.load(); err != nil {
		// a broken model file must not stop the platform: no suggestions until retrained
		app.Logger().Error("classifier model not loaded", "error", err)
	}
}

// preparedKey holds, in the context an intake saves its appeal with, the
// analysis computed before its transaction (workflow.PrepareIntakeEvent).
type preparedKey struct{}

// analyse writes the suggestion on a new appeal, inside its intake
// transaction: from the analysis prepared before it when there is one for
// exactly this text, place and category, else from scratch.
func (p *plugin) analyse(app core.App, a *core.Record, ctx context.Context) error {
	var s *Suggestion
	var err error
	if an, ok := prepared(ctx); ok && an.input == analysisInput(a) {
		s, err = p.complete(app, a, an, true)
	} else {
		s, err = p.Suggest(app, a)
	}
	if err != nil {
		return fmt.Errorf("dispatch suggestion: %w", err)
	}
	s.Apply(a)
	return nil
}

func prepared(ctx context.Context) (*analysis, bool) {
	if ctx == nil {
		return nil, false
	}
	an, ok := ctx.Value(preparedKey{}).(*analysis)
	return an, ok && an != nil
}
