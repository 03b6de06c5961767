package open311

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzDefs is a service definition with every datatype.
var fuzzDefs = []Attribute{
	{Code: "lamp_no", Datatype: "string", Required: true},
	{Code: "count", Datatype: "number"},
	{Code: "when", Datatype: "datetime"},
	{Code: "side", Datatype: "singlevaluelist", Values: []Value{{Key: "n", Name: "北侧"}, {Key: "s", Name: "南侧"}}},
	{Code: "issues", Datatype: "multivaluelist", Values: []Value{{Key: "dark"}, {Key: "flicker"}}},
}

// FuzzParseAttributes: any form body parses without panicking; accepted
// values are exactly of the defined codes, of their type, and within the
// length limit; a refused attribute never also lands in the output.
func FuzzParseAttributes(f *testing.F) {
	for _, s := range []string{
		"attribute[lamp_no]=SY-0231&attribute[side]=n&attribute[issues][]=dark&attribute[issues][]=flicker",
		"attribute[count]=3.5&attribute[when]=2026-11-25T09:00:00%2B08:00&attribute[lamp_no]=x",
		"attribute[unknown]=1", "attribute[side]=x&attribute[side]=n", "attribute[[]]=1&attribute]=2",
		"attribute[lamp_no]=%FF%FE", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		out, problems := parseAttributes(form, fuzzDefs)
		known := map[string]Attribute{}
		for _, d := range fuzzDefs {
			known[d.Code] = d
		}
		for code, v := range out {
			d, ok := known[code]
			if !ok {
				t.Fatalf("undefined attribute %q accepted", code)
			}
			var vals []string
			switch x := v.(type) {
			case string:
				vals = []string{x}
			case []string:
				vals = x
			}
			for _, s := range vals {
				if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxAttributeLen {
					t.Fatalf("attribute %s accepted bad value %q", code, s)
				}
			}
			if err := checkValues(d, vals); err != nil {
				t.Fatalf("attribute %s accepted %q: %v", code, vals, err)
			}
			for _, p := range problems {
				if strings.HasPrefix(p, "attribute["+code+"]:") {
					t.Fatalf("attribute %s both accepted and refused: %v", code, problems)
				}
			}
		}
	})
}

// FuzzParseTime: no panic; what parses round-trips to the same instant.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-11-25", "2026-11-25T09:00:00+08:00", "2026-11-25T01:00Z", "2026-13-45", "", "9999-12-31T23:59:59.999999999Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, ok := parseTime(s)
		if !ok {
			return
		}
		again, ok2 := parseTime(tm.Format("2006-01-02T15:04:05.999999999Z07:00"))
		if !ok2 || !again.Equal(tm) {
			t.Fatalf("%q parsed to %v, which does not round-trip (%v)", s, tm, again)
		}
	})
}

// FuzzBbox: no panic; an accepted box has west <= east and south <= north.
func FuzzBbox(f *testing.F) {
	for _, s := range []string{"118.6,33.7,118.7,33.8", "1,2,3", "NaN,0,1,1", "1,1,0,0", "inf,-inf,inf,inf", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		exp, err := bbox(s)
		if err == nil && exp == nil {
			t.Fatal("no expression and no error")
		}
	})
}

// FuzzTitleAndName: the derived title is valid text of at most 30
// characters (or the service name); the contact name is never empty.
func FuzzTitleAndName(f *testing.F) {
	f.Add("幸福小区北门路灯已经坏了一个月，晚上出行很不安全。", "李", "四")
	f.Add("  a  ", "", "")
	f.Add("\xff\xfe坏", "Smith", "John")
	f.Fuzz(func(t *testing.T, description, last, first string) {
		got := title(description, "路灯")
		if utf8.ValidString(description) && (!utf8.ValidString(got) || utf8.RuneCountInString(got) > titleRunes) {
			t.Fatalf("title(%q) = %q", description, got)
		}
		if contactName(last, first) == "" && (strings.TrimSpace(last) != "" || strings.TrimSpace(first) != "") {
			t.Fatalf("empty name from %q %q", last, first)
		}
	})
}
