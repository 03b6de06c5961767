package open311

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strconv"

	"github.com/pocketbase/pocketbase/core"
)

// obj is a response object with its fields in the order the spec lists
// them, rendered the same way as a JSON object and as XML child elements.
type obj []field

type field struct {
	k string
	v any // string, int, float64, bool, nil, obj, list
}

// list is a repeated element: a JSON array, or in XML a wrapper element
// (the field's or root's name) holding one <item> per element.
type list struct {
	item  string
	elems []any
}

// apiErr is an answer in the spec's error format: [{code, description}]
// with the same HTTP status.
type apiErr struct {
	status int
	desc   []string
}

func (e *apiErr) Error() string { return e.desc[0] }

func fail(status int, desc ...string) *apiErr { return &apiErr{status: status, desc: desc} }

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(jsonValue(f.v))
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func jsonValue(v any) any {
	if l, ok := v.(list); ok {
		out := make([]any, len(l.elems))
		for i, x := range l.elems {
			out[i] = jsonValue(x)
		}
		return out
	}
	return v
}

// writeXML renders v inside <name>.
func writeXML(b *bytes.Buffer, name string, v any) {
	b.WriteString("<" + name + ">")
	switch x := v.(type) {
	case nil:
	case obj:
		for _, f := range x {
			writeXML(b, f.k, f.v)
		}
	case list:
		for _, el := range x.elems {
			writeXML(b, x.item, el)
		}
	case string:
		_ = xml.EscapeText(b, []byte(x))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int:
		b.WriteString(strconv.Itoa(x))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
	}
	b.WriteString("</" + name + ">")
}

// respond writes payload as JSON or as XML under root.
func respond(e *core.RequestEvent, format string, status int, root string, payload any) error {
	if format == "json" {
		data, err := json.Marshal(jsonValue(payload))
		if err != nil {
			return err
		}
		e.Response.Header().Set("Content-Type", "application/json; charset=utf-8")
		e.Response.WriteHeader(status)
		_, err = e.Response.Write(data)
		return err
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	writeXML(&b, root, payload)
	e.Response.Header().Set("Content-Type", "text/xml; charset=utf-8")
	e.Response.WriteHeader(status)
	_, err := e.Response.Write(b.Bytes())
	return err
}

// respondError writes an apiErr in the spec's format.
func respondError(e *core.RequestEvent, format string, ae *apiErr) error {
	items := make([]any, len(ae.desc))
	for i, d := range ae.desc {
		items[i] = obj{{"code", ae.status}, {"description", d}}
	}
	return respond(e, format, ae.status, "errors", list{item: "error", elems: items})
}
