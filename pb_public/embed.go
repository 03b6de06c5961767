// Package pbpublic embeds the public pages, so that the binary serves them
// from wherever it runs, and registers the route that serves them.
package pbpublic

import (
	"embed"
	"io/fs"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// files holds every page and asset of this folder, and the vendored
// front-end libraries under vendor/ (each with its licence and version).
//
//go:embed *.html *.css *.js vendor
var files embed.FS

// FS is the embedded pages as a file system.
var FS fs.FS = files

// Register serves the pages at / (index.html for folders), after every
// API route.
func Register(app core.App) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		if !e.Router.HasRoute("GET", "/{path...}") {
			e.Router.GET("/{path...}", apis.Static(FS, true))
		}
		return e.Next()
	})
}
