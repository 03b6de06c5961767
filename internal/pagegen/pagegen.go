// Package pagegen keeps the markup that several pages share in one place.
//
// A page marks where a shared part goes with a pair of comments:
//
//	<!-- shared:site-header -->
//	…the part, written by pagegen…
//	<!-- /shared:site-header -->
//
// and pagegen rewrites what stands between them from the template
// partials/site-header.html (html/template). The opening comment may carry
// values for the template as attributes: title="督办视图" sets .title, a
// bare name (sound) sets it to true, and a name given more than once
// (link="a.html 甲" link="b.html 乙") becomes a list; the template
// functions list (a value given once or more, as a list) and fields (a
// value split at spaces) read them.
//
// The pages stay complete static files (served as they are, under a CSP
// that allows no inline code, with no script needed to draw a header), and
// everything outside the markers stays the page's own: regenerating never
// touches it.
package pagegen

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// PartialsDir is the folder, beside the pages, that holds one template a
// shared part, named after it.
const PartialsDir = "partials"

var (
	openRe  = regexp.MustCompile(`(?m)^<!-- shared:([a-z0-9-]+)((?:\s+[a-z]+(?:="[^"]*")?)*)\s*-->\n`)
	closeRe = regexp.MustCompile(`(?m)^<!-- /shared:([a-z0-9-]+) -->\n`)
	attrRe  = regexp.MustCompile(`([a-z]+)(?:="([^"]*)")?`)
)

// Partials loads every template of dir/partials, each under its file name
// without the extension.
func Partials(dir string) (*template.Template, error) {
	files, err := filepath.Glob(filepath.Join(dir, PartialsDir, "*.html"))
	if err != nil {
		return nil, err
	}
	root := template.New("").Funcs(template.FuncMap{"fields": strings.Fields, "list": list})
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(filepath.Base(f), ".html")
		if _, err := root.New(name).Parse(string(src)); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	return root, nil
}

// Expand answers page with every marked part written anew from partials.
func Expand(page []byte, partials *template.Template) ([]byte, error) {
	for _, line := range bytes.Split(page, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("<!-- shared:")) && !openRe.Match(append(line, '\n')) {
			return nil, fmt.Errorf("%q: a marker is <!-- shared:name --> or <!-- shared:name key=\"value\" bare -->, keys in a-z", line)
		}
	}
	var out bytes.Buffer
	rest := page
	for {
		open := openRe.FindSubmatchIndex(rest)
		if open == nil {
			if m := closeRe.Find(rest); m != nil {
				return nil, fmt.Errorf("%q without its opening marker", bytes.TrimSpace(m))
			}
			out.Write(rest)
			return out.Bytes(), nil
		}
		name := string(rest[open[2]:open[3]])
		values := attrs(string(rest[open[4]:open[5]]))
		out.Write(rest[:open[1]])
		rest = rest[open[1]:]
		closing := closeRe.FindSubmatchIndex(rest)
		if closing == nil || string(rest[closing[2]:closing[3]]) != name {
			return nil, fmt.Errorf("shared:%s has no closing <!-- /shared:%s --> before the next marker or the end", name, name)
		}
		if next := openRe.FindIndex(rest[:closing[0]]); next != nil {
			return nil, fmt.Errorf("shared:%s: another shared part opens inside it", name)
		}
		tmpl := partials.Lookup(name)
		if tmpl == nil {
			return nil, fmt.Errorf("shared:%s: no template %s/%s.html", name, PartialsDir, name)
		}
		var part bytes.Buffer
		if err := tmpl.Execute(&part, values); err != nil {
			return nil, fmt.Errorf("shared:%s: %w", name, err)
		}
		body := bytes.Trim(part.Bytes(), "\n")
		if len(body) > 0 {
			out.Write(body)
			out.WriteByte('\n')
		}
		out.Write(rest[closing[0]:closing[1]])
		rest = rest[closing[1]:]
	}
}

// attrs reads the values of an opening marker: name="value" pairs, bare
// names as true, repeated names as a list.
func attrs(s string) map[string]any {
	values := map[string]any{}
	for _, m := range attrRe.FindAllStringSubmatch(s, -1) {
		key, value := m[1], any(m[2])
		if !strings.Contains(m[0], "=") {
			value = true
		}
		switch prev := values[key].(type) {
		case nil:
			values[key] = value
		case []any:
			values[key] = append(prev, value)
		default:
			values[key] = []any{prev, value}
		}
	}
	return values
}

// list lets a template range over a value given once or more than once.
func list(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}

// Stale answers the pages of dir (its *.html files) whose shared parts
// differ from what the partials make of them, with their new content.
func Stale(dir string) (map[string][]byte, error) {
	partials, err := Partials(dir)
	if err != nil {
		return nil, err
	}
	pages, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		return nil, err
	}
	sort.Strings(pages)
	stale := map[string][]byte{}
	for _, p := range pages {
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		got, err := Expand(src, partials)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if !bytes.Equal(got, src) {
			stale[p] = got
		}
	}
	return stale, nil
}
