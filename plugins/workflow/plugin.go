// Package workflow is the closed loop of an appeal: intake, the declared
// table of actions (table.go), their effects and the HTTP endpoints that run
// them. Every change of a case goes through Engine.Perform.
package workflow

import (
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/keptpages"
)

// Config configures the workflow plugin.
type Config struct {
	// Clock turns time limits into deadlines. Nil counts wall-clock hours;
	// the SLA plugin supplies the working-day calendar.
	Clock Clock

	// Now is the platform's clock; nil means time.Now. Tests inject one.
	Now func() time.Time

	// MaxUploadBytes caps the body of intake and action requests (9 photos
	// of up to 10 MB each plus the form). Zero means 95 MB.
	MaxUploadBytes int64
}

type plugin struct {
	app    core.App
	config Config
	engine *Engine
	// queuePages keeps the first pages of the departments' queues
	// (queuepages.go; emptied by queuechanges.go).
	queuePages *keptpages.Cache
	// queueRefresh computes again the dropped pages readers were asking
	// for (queuerefresh.go).
	queueRefresh *queueRefresh
	// queueAuth keeps the staff record of a queue request's token
	// (queueauth.go, emptied there).
	queueAuth *queueAuth
}

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) *Engine {
	engine, err := Register(app, config)
	if err != nil {
		panic(err)
	}
	return engine
}

// Register binds the workflow endpoints to app and answers the engine other
// plugins use to perform actions (e.g. the SLA timers' 催办).
func Register(app core.App, config Config) (*Engine, error) {
	if config.MaxUploadBytes <= 0 {
		config.MaxUploadBytes = 95 << 20
	}
	p := &plugin{app: app, config: config, engine: NewEngine(config.Clock)}
	if config.Now != nil {
		p.engine.now = config.Now
	}
	// wall-clock: the page age bounds writes the hooks do not see, which
	// happen on the real clock whatever the platform's (tests move it)
	p.queuePages = keptpages.New(queuePageMaxAge, queuePageMaxBytes, time.Now)
	p.queueRefresh = newQueueRefresh(p.refreshQueuePage)
	bindQueueCategoryNames(app)
	p.bindQueueChanges(app)
	p.queueAuth = newQueueAuth()
	p.bindQueueAuthChanges(app)
	bindPolicyCache(app)
	bindDepartmentRealtime(app)
	bindIntakeInsert(app)
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		limit := apis.BodyLimit(p.config.MaxUploadBytes)
		e.Router.Bind(p.queueAuthMiddleware())
		e.Router.GET("/api/workflow", p.handleTable)
		e.Router.POST("/api/appeals", p.handleIntake).Bind(limit)
		e.Router.POST("/api/appeals/{id}/actions/{action}", p.handleAction).Bind(limit)
		e.Router.GET("/api/appeals/{id}/contact", p.handleContact).Bind(RequireStaff())
		e.Router.GET("/api/workbench/queue", p.handleQueue).Bind(RequireStaff())
		e.Router.POST("/api/track", p.handleTrack)
		e.Router.GET("/api/track/files/{token}", p.handleFile)
		return e.Next()
	})
	return p.engine, nil
}
