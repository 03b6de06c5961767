package open311

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// specURL names the specification in discovery.
const specURL = "http://wiki.open311.org/GeoReport_v2"

// discovery answers discovery.{xml,json}.
func (p *plugin) discovery(e *core.RequestEvent, _, format string) error {
	changeset := isoTime(p.config.Changeset)
	return respond(e, format, http.StatusOK, "discovery", obj{
		{"changeset", changeset},
		{"contact", p.config.Contact},
		{"key_service", p.config.KeyService},
		{"endpoints", list{item: "endpoint", elems: []any{obj{
			{"specification", specURL},
			{"url", p.baseURL(e)},
			{"changeset", changeset},
			{"type", "production"},
			{"formats", list{item: "format", elems: []any{"text/xml", "application/json"}}},
		}}}},
	})
}

// Attribute is one extra form item of a category (categories.attributes),
// which is also an Open311 service definition attribute.
type Attribute struct {
	Code        string  `json:"code"`
	Datatype    string  `json:"datatype"` // string, number, datetime, text, singlevaluelist, multivaluelist
	Required    bool    `json:"required"`
	Description string  `json:"description"`
	Order       int     `json:"order"`
	Values      []Value `json:"values"`
}

// Value is one choice of a list attribute.
type Value struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// datatypes are the spec's attribute types.
var datatypes = map[string]bool{
	"string": true, "number": true, "datetime": true, "text": true, "singlevaluelist": true, "multivaluelist": true,
}

// attributesOf reads a category's attributes in order, skipping malformed
// entries (an administrator's typo must not take the whole service down).
func attributesOf(category *core.Record) []Attribute {
	var raw []Attribute
	if err := json.Unmarshal([]byte(category.GetString("attributes")), &raw); err != nil {
		return nil
	}
	out := raw[:0]
	for _, a := range raw {
		a.Code = strings.TrimSpace(a.Code)
		if a.Code == "" || !datatypes[a.Datatype] {
			continue
		}
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out
}

// publicCategories lists the categories residents may choose, in order.
func publicCategories(app core.App) ([]*core.Record, error) {
	return app.FindRecordsByFilter("categories", "public = true", "sort,name", 0, 0)
}

// findService answers the public category with the service code, or 404.
func findService(app core.App, code string) (*core.Record, error) {
	c, err := app.FindFirstRecordByFilter("categories", "code = {:c} && public = true", dbx.Params{"c": code})
	if err != nil {
		return nil, fail(http.StatusNotFound, "service_code not found: "+code)
	}
	return c, nil
}

// services answers services.{xml,json}: one service per public category.
func (p *plugin) services(e *core.RequestEvent, _, format string) error {
	cats, err := publicCategories(e.App)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, c := range cats {
		names[c.Id] = c.GetString("name")
	}
	items := make([]any, 0, len(cats))
	for _, c := range cats {
		group := names[c.GetString("parent")]
		if group == "" && c.GetString("parent") != "" {
			if parent, err := e.App.FindRecordById("categories", c.GetString("parent")); err == nil {
				group = parent.GetString("name")
			}
		}
		items = append(items, obj{
			{"service_code", c.GetString("code")},
			{"service_name", c.GetString("name")},
			{"description", c.GetString("name")},
			{"metadata", len(attributesOf(c)) > 0},
			{"type", "realtime"},
			{"keywords", keywords(c.GetString("keywords"))},
			{"group", group},
		})
	}
	return respond(e, format, http.StatusOK, "services", list{item: "service", elems: items})
}

// keywords turns "a b,c，d" into the spec's "a, b, c, d".
func keywords(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ' ' || r == '\n' || r == '\t'
	})
	return strings.Join(parts, ", ")
}

// serviceDefinition answers services/{code}.{xml,json}.
func (p *plugin) serviceDefinition(e *core.RequestEvent, code, format string) error {
	c, err := findService(e.App, code)
	if err != nil {
		return err
	}
	attrs := attributesOf(c)
	items := make([]any, len(attrs))
	for i, a := range attrs {
		values := make([]any, len(a.Values))
		for j, v := range a.Values {
			values[j] = obj{{"key", v.Key}, {"name", v.Name}}
		}
		order := a.Order
		if order == 0 {
			order = i + 1
		}
		items[i] = obj{
			{"variable", true},
			{"code", a.Code},
			{"datatype", a.Datatype},
			{"required", a.Required},
			{"datatype_description", datatypeDescriptions[a.Datatype]},
			{"order", order},
			{"description", a.Description},
			{"values", list{item: "value", elems: values}},
		}
	}
	return respond(e, format, http.StatusOK, "service_definition", obj{
		{"service_code", c.GetString("code")},
		{"attributes", list{item: "attribute", elems: items}},
	})
}

// datatypeDescriptions tell client developers what a value must look like.
var datatypeDescriptions = map[string]string{
	"number":   "数字",
	"datetime": "日期时间，ISO 8601，如 2026-11-25T09:00:00+08:00",
}
