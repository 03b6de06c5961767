package open311

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
	"siyang/plugins/deptapi/apikey"
	"siyang/plugins/workflow"
)

// Limits of the Open311 intake beyond the workflow's own.
const (
	maxAttributeLen = 2000
	maxExternalID   = 64
	titleRunes      = 30
)

// noName stands in for a client that sent no name: the intake needs a
// contact name, the phone number is what the call-back uses.
const noName = "未留姓名"

// checkKey answers the client's key (api_key in the body or the query).
func checkKey(e *core.RequestEvent, form url.Values) (*core.Record, error) {
	secret := form.Get("api_key")
	if secret == "" {
		return nil, fail(http.StatusForbidden, "api_key is required")
	}
	key, err := apikey.Check(e.App, secret, apikey.Open311, apikey.UpperPlatform)
	if err != nil {
		return nil, fail(http.StatusForbidden, "Invalid api_key")
	}
	return key, nil
}

// readForm parses a urlencoded or multipart body together with the query.
func readForm(e *core.RequestEvent) (url.Values, error) {
	var err error
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "multipart/") {
		err = e.Request.ParseMultipartForm(1 << 20)
	} else {
		err = e.Request.ParseForm()
	}
	if err != nil {
		return nil, fail(http.StatusBadRequest, "request body could not be parsed (use application/x-www-form-urlencoded)")
	}
	return e.Request.Form, nil
}

// createRequest answers POST requests.{xml,json}.
func (p *plugin) createRequest(e *core.RequestEvent, _, format string) error {
	form, err := readForm(e)
	if err != nil {
		return err
	}
	key, err := checkKey(e, form)
	if err != nil {
		return err
	}
	if j := form.Get("jurisdiction_id"); j != "" && p.config.JurisdictionID != "" && j != p.config.JurisdictionID {
		return fail(http.StatusNotFound, "jurisdiction_id not found")
	}
	code := strings.TrimSpace(form.Get("service_code"))
	if code == "" {
		return fail(http.StatusBadRequest, "service_code was not provided")
	}
	category, err := findService(e.App, code)
	if err != nil {
		return fail(http.StatusBadRequest, "service_code not found: "+code)
	}

	sub := workflow.Submission{
		Kind:          p.config.DefaultKind,
		Category:      category.Id,
		Content:       strings.TrimSpace(form.Get("description")),
		Address:       strings.TrimSpace(form.Get("address_string")),
		ContactPhone:  form.Get("phone"),
		PublicConsent: true,
		Channel:       "open311",
	}
	var problems []string
	if k := form.Get("kind"); k != "" {
		sub.Kind = k
	}
	latS, lonS := strings.TrimSpace(form.Get("lat")), strings.TrimSpace(form.Get("long"))
	switch {
	case latS != "" || lonS != "":
		lat, err1 := strconv.ParseFloat(latS, 64)
		lon, err2 := strconv.ParseFloat(lonS, 64)
		if err1 != nil || err2 != nil {
			problems = append(problems, "lat and long must both be given as decimal degrees (WGS84)")
		} else {
			sub.Lat, sub.Lon = &lat, &lon
		}
	case sub.Address == "":
		problems = append(problems, "lat & long, or address_string, is required")
	}
	if sub.Content == "" {
		problems = append(problems, "description was not provided")
	}
	if strings.TrimSpace(sub.ContactPhone) == "" {
		problems = append(problems, "phone was not provided (the platform calls the resident back)")
	} else if !hooks.ValidPhone(hooks.NormalizePhone(sub.ContactPhone)) {
		problems = append(problems, "phone: "+hooks.ErrInvalidPhone)
	}
	sub.ContactName = contactName(form.Get("last_name"), form.Get("first_name"))
	sub.Title = title(sub.Content, category.GetString("name"))
	if v, ok := boolParam(form, "public_consent"); ok {
		sub.PublicConsent = v
	}
	if v, ok := boolParam(form, "confidential"); ok {
		sub.Confidential = v
	}
	if v, ok := boolParam(form, "anonymous"); ok {
		sub.Anonymous = v
	}
	email := strings.TrimSpace(form.Get("email"))
	if email != "" && (len(email) > 200 || !emailRe.MatchString(email)) {
		problems = append(problems, "email is not a valid address")
	}
	media := strings.TrimSpace(form.Get("media_url"))
	if media != "" {
		if u, err := url.Parse(media); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(media) > 2000 {
			problems = append(problems, "media_url must be an http(s) URL")
		}
	}
	externalID := strings.TrimSpace(form.Get("external_id"))
	if len(externalID) > maxExternalID || hasControl(externalID) {
		problems = append(problems, "external_id must be at most 64 characters")
	}
	attrs, attrProblems := parseAttributes(form, attributesOf(category))
	problems = append(problems, attrProblems...)
	if len(problems) > 0 {
		return fail(http.StatusBadRequest, problems...)
	}

	if externalID != "" {
		if dup, err := e.App.FindFirstRecordByFilter("appeals", "external_source = {:s} && external_id = {:x}",
			dbx.Params{"s": key.Id, "x": externalID}); err == nil {
			return duplicate(externalID, dup)
		}
	}

	var receipt *workflow.Receipt
	err = e.App.RunInTransaction(func(tx core.App) error {
		r, err := p.config.Intake.Submit(tx, sub, workflow.Actor{IsSystem: true, Via: "open311", IP: e.RealIP()})
		if err != nil {
			return err
		}
		receipt = r
		a := r.Appeal
		a.Set("external_source", key.Id)
		a.Set("external_id", externalID)
		a.Set("media_url", media)
		a.Set("contact_email", email)
		if len(attrs) > 0 {
			a.Set("attributes", attrs)
		}
		return tx.Save(a)
	})
	if err != nil {
		// two deliveries of the same upper-level ticket at once: the unique
		// index lets only one through
		if externalID != "" && strings.Contains(err.Error(), "UNIQUE") {
			if dup, ferr := e.App.FindFirstRecordByFilter("appeals", "external_source = {:s} && external_id = {:x}",
				dbx.Params{"s": key.Id, "x": externalID}); ferr == nil {
				return duplicate(externalID, dup)
			}
		}
		return err
	}
	a := receipt.Appeal
	notice := "诉求已提交，受理编号 " + a.GetString("ticket") + "，查询码 " + receipt.QueryCode +
		"。平台将在受理时限内审核并转交承办单位，凭受理编号和查询码可随时查询办理进度。"
	return respond(e, format, http.StatusCreated, "service_requests", list{item: "request", elems: []any{obj{
		{"service_request_id", a.GetString("ticket")},
		{"service_notice", notice},
		{"account_id", form.Get("account_id")},
		{"token", a.Id},
		{"query_code", receipt.QueryCode},
	}}})
}

// duplicate refuses an upper-level ticket that was already registered.
func duplicate(externalID string, existing *core.Record) error {
	return fail(http.StatusConflict, "external_id "+externalID+" was already submitted as service_request_id "+existing.GetString("ticket"))
}

var emailRe = regexp.MustCompile(`^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$`)

// contactName joins a Chinese name surname first, a Latin one with a space.
func contactName(last, first string) string {
	last, first = strings.TrimSpace(last), strings.TrimSpace(first)
	switch {
	case last == "" && first == "":
		return noName
	case last == "" || first == "":
		return last + first
	case isASCII(last) && isASCII(first):
		return first + " " + last
	}
	return last + first
}

func isASCII(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// title is the first 30 characters of the description on one line, or the
// service's name when the description is too short to be a title.
func title(description, service string) string {
	line := strings.Join(strings.Fields(description), " ")
	if utf8.RuneCountInString(line) < 4 {
		return service
	}
	if r := []rune(line); len(r) > titleRunes {
		line = string(r[:titleRunes])
	}
	return strings.TrimRight(line, "，,。.；;、 ")
}

// boolParam reads an extension flag: true/false, 1/0, yes/no.
func boolParam(form url.Values, name string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(form.Get(name))) {
	case "true", "1", "yes", "on":
		return true, true
	case "false", "0", "no", "off":
		return false, true
	}
	return false, false
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// attrKey matches attribute[code] and attribute[code][].
var attrKey = regexp.MustCompile(`^attribute\[([^\]]+)\](\[\])?$`)

// parseAttributes reads attribute[code]=v and attribute[code][]=v against
// the service definition: unknown codes, missing required ones and values
// of the wrong type are refused, each with its own error.
func parseAttributes(form url.Values, defs []Attribute) (map[string]any, []string) {
	given := map[string][]string{}
	var problems []string
	for k, vs := range form {
		m := attrKey.FindStringSubmatch(k)
		if m == nil {
			continue
		}
		given[m[1]] = append(given[m[1]], vs...)
	}
	out := map[string]any{}
	known := map[string]bool{}
	for _, d := range defs {
		known[d.Code] = true
		var vals []string
		for _, v := range given[d.Code] {
			if v = strings.TrimSpace(v); v != "" {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			if d.Required {
				problems = append(problems, "attribute["+d.Code+"] is required")
			}
			continue
		}
		if err := checkValues(d, vals); err != nil {
			problems = append(problems, "attribute["+d.Code+"]: "+err.Error())
			continue
		}
		if d.Datatype == "multivaluelist" {
			out[d.Code] = vals
		} else {
			out[d.Code] = vals[0]
		}
	}
	var unknown []string
	for code := range given {
		if !known[code] {
			unknown = append(unknown, code)
		}
	}
	slices.Sort(unknown)
	for _, code := range unknown {
		problems = append(problems, "attribute["+code+"] is not defined for this service_code")
	}
	return out, problems
}

// checkValues checks the values of one attribute against its datatype.
func checkValues(d Attribute, vals []string) error {
	if d.Datatype != "multivaluelist" && len(vals) > 1 {
		return errors.New("only one value is allowed")
	}
	for _, v := range vals {
		if utf8.RuneCountInString(v) > maxAttributeLen || !utf8.ValidString(v) {
			return errors.New("value is too long")
		}
		switch d.Datatype {
		case "number":
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				return errors.New("must be a number")
			}
		case "datetime":
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return errors.New("must be an ISO 8601 datetime with time zone")
			}
		case "singlevaluelist", "multivaluelist":
			if !slices.ContainsFunc(d.Values, func(x Value) bool { return x.Key == v }) {
				return errors.New("value " + v + " is not one of the listed keys")
			}
		}
	}
	return nil
}
