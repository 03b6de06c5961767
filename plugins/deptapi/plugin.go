// Package deptapi is the department system API (/api/dept/v1): a
// department's own IT system, holding a department key, lists its tasks,
// reads one (with the resident's contact data where the department's
// handlers may see it, audited) and performs the handler actions through the
// workflow engine — the same checks, state changes and timeline entries as a
// handler in the workbench, marked as coming from the department's system.
//
// It also registers the administrators' key endpoints
// (/api/integrations/keys) used by the Open311 plugin's keys too.
package deptapi

import (
	"fmt"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/workflow"
)

// Performer runs workflow actions; *workflow.Engine is one.
type Performer interface {
	Perform(app core.App, req workflow.Request) (*workflow.Result, error)
}

// Config configures the department system API.
type Config struct {
	// Actions performs the handler actions (sign, reply, …).
	Actions Performer

	// PerPage is the default page size of the task list; zero means 50.
	PerPage int

	// MaxPerPage caps the page size a caller may ask for; zero means 200.
	MaxPerPage int

	// MaxUploadBytes caps the body of action requests (a reply with 9
	// attachments of up to 10 MB). Zero means 95 MB.
	MaxUploadBytes int64
}

// Via is what the timeline entries of actions through this API carry in
// their data ("via"), so that everyone sees the department's system, not a
// person, performed them.
const Via = "deptapi"

type plugin struct {
	config Config
}

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) {
	if err := Register(app, config); err != nil {
		panic(err)
	}
}

// Register binds the department API and the key administration endpoints.
func Register(app core.App, config Config) error {
	if config.Actions == nil {
		return fmt.Errorf("deptapi: Config.Actions is required")
	}
	if config.PerPage <= 0 {
		config.PerPage = 50
	}
	if config.MaxPerPage <= 0 {
		config.MaxPerPage = 200
	}
	if config.MaxUploadBytes <= 0 {
		config.MaxUploadBytes = 95 << 20
	}
	p := &plugin{config: config}
	bindKeyGuards(app)
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		admin := e.Router.Group("/api/integrations/keys").Bind(workflow.RequireStaff(), requireAdmin())
		admin.POST("", p.handleCreateKey)
		admin.POST("/{id}/rotate", p.handleRotateKey)
		admin.POST("/{id}/revoke", p.handleRevokeKey)

		dept := e.Router.Group("/api/dept/v1").Bind(requireDepartmentKey())
		dept.GET("/tasks", p.handleList)
		dept.GET("/tasks/{id}", p.handleGet)
		dept.POST("/tasks/{id}/actions/{action}", p.handleAction).Bind(apis.BodyLimit(config.MaxUploadBytes))
		return e.Next()
	})
	return nil
}
