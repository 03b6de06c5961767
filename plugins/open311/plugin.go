// Package open311 serves the Open311 GeoReport v2 API at /open311/v2/:
// discovery, services and their definitions (from the public categories),
// service requests (POST registers an appeal in the same closed loop, with
// channel "open311"; GET shows only public, masked cases), tokens, and the
// FixMyStreet-style update history (servicerequestupdates). The upper-level
// 12345 platform uses the same endpoint with its own ticket id
// (external_id), which is refused when sent twice.
package open311

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"siyang/plugins/workflow"
)

// Submitter registers appeals; *workflow.Engine is one.
type Submitter interface {
	Submit(app core.App, f workflow.Submission, actor workflow.Actor) (*workflow.Receipt, error)
}

// Config configures the Open311 server.
type Config struct {
	// Intake registers the appeals posted by Open311 clients.
	Intake Submitter

	// BaseURL is the endpoint's public address as given in discovery, e.g.
	// https://12345.siyang.gov.cn/open311/v2. Empty: taken from the request.
	BaseURL string

	// JurisdictionID, when set, is the only jurisdiction_id accepted
	// (clients may leave it out: the server has one jurisdiction).
	JurisdictionID string

	// Contact is discovery's contact line for client developers.
	Contact string

	// KeyService tells client developers how to get an api_key.
	KeyService string

	// Changeset is when the API last changed, for discovery; zero means the
	// date of this implementation.
	Changeset time.Time

	// Window is the longest start_date..end_date span of GET requests and
	// updates, and the default span; zero means 90 days (the spec's).
	Window time.Duration

	// MaxResults caps the results of one GET; zero means 1000 (the spec's).
	MaxResults int

	// DefaultKind is the kind of appeal an Open311 request becomes unless the
	// client sends the extension "kind"; empty means "help" (求助).
	DefaultKind string

	// Now is the platform's clock (default windows); nil means time.Now.
	Now func() time.Time
}

// Prefix is where the API is mounted.
const Prefix = "/open311/v2"

type plugin struct {
	config Config
}

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) {
	if err := Register(app, config); err != nil {
		panic(err)
	}
}

// Register binds the Open311 routes.
func Register(app core.App, config Config) error {
	if config.Intake == nil {
		return fmt.Errorf("open311: Config.Intake is required")
	}
	if config.Changeset.IsZero() {
		config.Changeset = time.Date(2026, 11, 27, 0, 0, 0, 0, china)
	}
	if config.Window <= 0 {
		config.Window = 90 * 24 * time.Hour
	}
	if config.MaxResults <= 0 {
		config.MaxResults = 1000
	}
	if config.DefaultKind == "" {
		config.DefaultKind = "help"
	}
	if config.Now == nil {
		config.Now = time.Now
	}
	if config.Contact == "" {
		config.Contact = "泗阳网络直通车平台（12345）"
	}
	if config.KeyService == "" {
		config.KeyService = "api_key 由平台系统管理员签发（POST /api/integrations/keys）"
	}
	p := &plugin{config: config}
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.GET(Prefix+"/{file}", p.serve(map[string]handler{
			"discovery": p.discovery, "services": p.services, "requests": p.listRequests,
			"servicerequestupdates": p.updates,
		}))
		e.Router.POST(Prefix+"/{file}", p.serve(map[string]handler{"requests": p.createRequest})).
			Bind(apis.BodyLimit(1 << 20))
		e.Router.GET(Prefix+"/services/{file}", p.serve(map[string]handler{"*": p.serviceDefinition}))
		e.Router.GET(Prefix+"/requests/{file}", p.serve(map[string]handler{"*": p.oneRequest}))
		e.Router.GET(Prefix+"/tokens/{file}", p.serve(map[string]handler{"*": p.token}))
		return e.Next()
	})
	return nil
}

// handler answers one resource; name is the path segment before the format
// (a service code, request id or token for the "*" routes).
type handler func(e *core.RequestEvent, name, format string) error

// serve splits "{name}.{xml|json}", picks the handler and writes any error
// in the spec's format (XML unless the client asked for JSON).
func (p *plugin) serve(routes map[string]handler) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		file := e.Request.PathValue("file")
		dot := strings.LastIndex(file, ".")
		if dot < 0 {
			return respondError(e, "xml", fail(http.StatusNotFound, "format (.xml or .json) is required"))
		}
		name, format := file[:dot], file[dot+1:]
		if format != "xml" && format != "json" {
			return respondError(e, "xml", fail(http.StatusNotFound, "format not supported: use .xml or .json"))
		}
		h, ok := routes[name]
		if !ok {
			h, ok = routes["*"]
		}
		if !ok || name == "" {
			return respondError(e, format, fail(http.StatusNotFound, "resource not found"))
		}
		err := h(e, name, format)
		var ae *apiErr
		var re *router.ApiError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &ae):
			return respondError(e, format, ae)
		case errors.As(err, &re):
			return respondError(e, format, fromRouterError(re))
		default:
			e.App.Logger().Error("open311", "error", err)
			return respondError(e, format, fail(http.StatusInternalServerError, "internal error"))
		}
	}
}

// fromRouterError turns the workflow's answers (Chinese, by field) into
// the spec's list, naming the Open311 parameter each one is about.
func fromRouterError(re *router.ApiError) *apiErr {
	if len(re.Data) == 0 {
		return fail(re.Status, re.Message)
	}
	var out []string
	for _, f := range []string{"kind", "title", "content", "category", "contact_name", "contact_phone", "address", "lat", "region", "channel", "attachments", "body"} {
		d, ok := re.Data[f]
		if !ok {
			continue
		}
		msg := re.Message
		switch m := d.(type) {
		case map[string]string:
			msg = m["message"]
		case map[string]any:
			msg, _ = m["message"].(string)
		}
		out = append(out, paramNames[f]+": "+msg)
	}
	if len(out) == 0 {
		out = []string{re.Message}
	}
	return fail(re.Status, out...)
}

// paramNames are the Open311 parameters behind the intake's fields.
var paramNames = map[string]string{
	"kind": "kind", "title": "description", "content": "description", "category": "service_code",
	"contact_name": "last_name", "contact_phone": "phone", "address": "address_string", "lat": "lat",
	"region": "address_string", "channel": "service_code", "attachments": "media_url", "body": "body",
}

var china = time.FixedZone("CST", 8*3600)

// isoTime is an Open311 datetime: ISO 8601 with the +08:00 offset.
func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(china).Format(time.RFC3339)
}

// baseURL is the endpoint address for discovery.
func (p *plugin) baseURL(e *core.RequestEvent) string {
	if p.config.BaseURL != "" {
		return strings.TrimRight(p.config.BaseURL, "/")
	}
	scheme := "http"
	if e.Request.TLS != nil || e.Request.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + e.Request.Host + Prefix
}
