package pagegen

import (
	"html/template"
	"strings"
	"testing"
)

func testPartials(t *testing.T) *template.Template {
	t.Helper()
	root := template.New("").Funcs(template.FuncMap{"fields": strings.Fields, "list": list})
	template.Must(root.New("nav").Parse(`<nav>{{.title}}{{if .live}} live{{end}}{{range list .link}}{{$f := fields .}} <a href="{{index $f 0}}">{{index $f 1}}</a>{{end}}</nav>` + "\n"))
	template.Must(root.New("foot").Parse("<footer>县政府</footer>\n"))
	return root
}

// TestExpandRewritesOnlyTheMarkedParts: the text between markers is made
// anew from the partial and its values; the page's own text is kept.
func TestExpandRewritesOnlyTheMarkedParts(t *testing.T) {
	page := "<p>own</p>\n" +
		`<!-- shared:nav title="督办视图" live link="a.html 甲" link="b.html 乙" -->` + "\n" +
		"<nav>old copy</nav>\n<nav>edited by hand</nav>\n" +
		"<!-- /shared:nav -->\n" +
		"<main>own</main>\n" +
		"<!-- shared:foot -->\n<!-- /shared:foot -->\n"
	got, err := Expand([]byte(page), testPartials(t))
	if err != nil {
		t.Fatal(err)
	}
	want := "<p>own</p>\n" +
		`<!-- shared:nav title="督办视图" live link="a.html 甲" link="b.html 乙" -->` + "\n" +
		`<nav>督办视图 live <a href="a.html">甲</a> <a href="b.html">乙</a></nav>` + "\n" +
		"<!-- /shared:nav -->\n" +
		"<main>own</main>\n" +
		"<!-- shared:foot -->\n<footer>县政府</footer>\n<!-- /shared:foot -->\n"
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	again, err := Expand(got, testPartials(t))
	if err != nil || string(again) != want {
		t.Errorf("not stable: %v\n%s", err, again)
	}
	// one link is still a list of one
	one, err := Expand([]byte("<!-- shared:nav title=\"x\" link=\"c.html 丙\" -->\n<!-- /shared:nav -->\n"), testPartials(t))
	if err != nil || !strings.Contains(string(one), `<nav>x <a href="c.html">丙</a></nav>`) {
		t.Errorf("one link: %v\n%s", err, one)
	}
}

// TestExpandRefusesBrokenMarkers: a marker left open, closed without
// opening, nested, or naming no partial is an error naming it, not a
// page silently cut short.
func TestExpandRefusesBrokenMarkers(t *testing.T) {
	for page, want := range map[string]string{
		"<!-- shared:nav -->\n<nav></nav>\n":                                                       "shared:nav has no closing",
		"<nav></nav>\n<!-- /shared:nav -->\n":                                                      "without its opening marker",
		"<!-- shared:nav -->\n<!-- shared:foot -->\n<!-- /shared:foot -->\n<!-- /shared:nav -->\n": "shared:nav has no closing",
		"<!-- shared:nav -->\n<!-- shared:foot -->\n<!-- /shared:nav -->\n":                        "opens inside it",
		"<!-- shared:menu -->\n<!-- /shared:menu -->\n":                                            "no template partials/menu.html",
		"<!-- shared:nav skip-label=\"x\" -->\n<!-- /shared:nav -->\n":                             "a marker is",
	} {
		_, err := Expand([]byte(page), testPartials(t))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", page, err, want)
		}
	}
}
