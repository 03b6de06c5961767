// Package pbpublic embeds the public pages, so that the binary serves them
// from wherever it runs, and registers the route that serves them.
//
// The markup several pages share (the residents' header and footer, the
// case actions of track.html and mine.html, the staff header and sign-in
// form) lives once in partials/ and is written into the pages between
// <!-- shared:… --> markers by go generate (see siyang/internal/pagegen);
// edit the partial, not its copies, then run go generate ./pb_public.
package pbpublic

//go:generate go run siyang/internal/pagegen/cmd/pagegen

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
