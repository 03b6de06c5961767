package pbpublic_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"siyang/internal/pagegen"
)

// TestSharedPartsUpToDate: every page carries its shared parts exactly as
// the partials make them, so a header edited in one page only (or a
// partial edited without go generate) is caught before it ships.
func TestSharedPartsUpToDate(t *testing.T) {
	stale, err := pagegen.Stale(".")
	if err != nil {
		t.Fatal(err)
	}
	for page := range stale {
		t.Errorf("%s: its shared parts differ from partials/ (edit the partial, then run go generate ./pb_public)", page)
	}
}

// TestPagesUseTheirSharedParts: each family of pages takes its head,
// header, footer and sign-in form from the one partial, not from a copy
// outside the markers.
func TestPagesUseTheirSharedParts(t *testing.T) {
	staff := map[string]bool{"workbench.html": true, "console.html": true, "supervisor.html": true,
		"dashboard.html": true, "report.html": true}
	pages, err := filepath.Glob("*.html")
	if err != nil || len(pages) == 0 {
		t.Fatalf("pages: %v %v", pages, err)
	}
	for _, page := range pages {
		src, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"site-head", "site-header", "site-footer"}
		if staff[page] {
			want = []string{"staff-head", "staff-header", "staff-signin"}
		}
		if page == "track.html" || page == "mine.html" {
			want = append(want, "case-actions")
		}
		for _, part := range want {
			if strings.Count(string(src), "<!-- /shared:"+part+" -->") != 1 {
				t.Errorf("%s: does not take %s from partials/%s.html exactly once", page, part, part)
			}
		}
		if n := strings.Count(string(src), `<header`); n != 1 {
			t.Errorf("%s: %d headers", page, n)
		}
	}
}
