// Package pbpublic embeds the public pages, so that the binary serves them
// from wherever it runs.
package pbpublic

import "embed"

// FS holds every page and asset of this folder.
//
//go:embed *.html *.css *.js
var FS embed.FS
