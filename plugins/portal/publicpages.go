package portal

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// The public list (appeals.html, the home page) and the keyword search
// (search.html, appeals.html?q=) ask
// PocketBase's record list of the public_appeals view for the same few
// pages again and again: the newest ten, the newest of a category, a
// township, a period. Each costs PocketBase a filter parse, a query over
// the view, building ten records and expanding their category and township
// (about 1.6 ms of work at 1M appeals, several times bare PocketBase's
// list of a plain collection). The middleware below keeps the JSON PocketBase
// answered for such a page and answers it again, byte for byte, until
// something the page shows changes.
//
// What empties the cache (publicchanges.go): any saved or deleted appeal
// that is or was public whose shown columns or publicity changed (so a
// case made 保密 or withdrawn from publication disappears at once), any
// change of a reply, category, township or department. Changes that
// bypass the record hooks (plain SQL) are seen after publicPageMaxAge.
//
// Only guests' requests are kept: a signed-in request may see more of an
// expanded category or township through their view rules, so it always
// goes to PocketBase (the pages ask for public lists without their token).
// A page answered from memory is not counted by PocketBase's per-collection
// rate limiter, which runs inside the record list handler; it costs less
// than the limiter's own check.

// publicPageMaxAge bounds how long a page is answered without any change
// seen by the hooks.
const publicPageMaxAge = time.Minute

// publicPageMaxBytes bounds the memory of the kept pages: past it the
// cache starts empty. publicPageMaxBody: a larger answer is not kept.
const (
	publicPageMaxBytes = 8 << 20
	publicPageMaxBody  = 256 << 10
)

// publicPageHot is the deepest page kept: people read the first pages.
const publicPageHot = 3

// publicPagesPath is the record list of the public view.
const publicPagesPath = "/api/collections/public_appeals/records"

// latestRepliesPath is the home page's 最新答复 (latestreplies.go): the
// page every visitor opens first, emptied by the same changes (a reply,
// or a case's replied_at or publicity).
const latestRepliesPath = "/api/portal/latest-replies"

// publicSearchPath is the keyword search of the public appeals
// (search.go): its first pages are kept the same way, in a cache of their
// own (plugin.searchPages), emptied by the same changes (every change of
// the keyword index is one of them) and after each backfill batch, which
// leaves the public list's kept pages alone.
const publicSearchPath = "/api/portal/public-appeals/search"

// publicPageParams are, per kept path, the query parameters a kept page
// may have; a request with any other goes to PocketBase.
var publicPageParams = map[string]map[string]bool{
	publicPagesPath: {
		"page": true, "perPage": true, "sort": true, "filter": true, "expand": true, "fields": true, "skipTotal": true,
	},
	latestRepliesPath: {"perPage": true, "expand": true, "fields": true},
	publicSearchPath: {
		"q": true, "page": true, "perPage": true, "expand": true, "fields": true,
		"category": true, "region": true, "status": true, "since": true,
	},
}

// publicPageExpand are the relations a kept page may expand: their
// collections' changes empty the cache.
var publicPageExpand = map[string]bool{"category": true, "region": true, "lead_department": true}

// publicPageKey answers the cache key of a request for the public list, or
// false when the request is not one that is kept.
func publicPageKey(r *http.Request) (string, bool) {
	params := publicPageParams[r.URL.Path]
	if r.Method != http.MethodGet || params == nil || r.Header.Get("Authorization") != "" {
		return "", false
	}
	q := r.URL.Query()
	for name, values := range q {
		if !params[name] || len(values) != 1 {
			return "", false
		}
	}
	if page := q.Get("page"); page != "" {
		if n, err := strconv.Atoi(page); err != nil || n < 1 || n > publicPageHot {
			return "", false
		}
	}
	if expand := q.Get("expand"); expand != "" {
		for _, rel := range strings.Split(expand, ",") {
			if !publicPageExpand[strings.TrimSpace(rel)] {
				return "", false
			}
		}
	}
	// @now, @request and @collection make a page depend on the clock, the
	// requester or other collections; _via_ on other collections' rows.
	if f := q.Get("filter") + q.Get("sort"); strings.Contains(f, "@") || strings.Contains(f, "_via_") {
		return "", false
	}
	return r.URL.Path + "?" + url.Values(q).Encode(), true
}

// publicPagesMiddleware answers a kept page of the public list, or lets
// PocketBase answer it and keeps the answer.
func (p *plugin) publicPagesMiddleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "siyangPublicPages",
		Func: func(e *core.RequestEvent) error {
			key, ok := publicPageKey(e.Request)
			if !ok {
				return e.Next()
			}
			pages := p.publicPages
			if e.Request.URL.Path == publicSearchPath {
				pages = p.searchPages
			}
			page, owner := pages.Begin(key)
			if !owner {
				if page.Body == nil {
					return e.Next()
				}
				return e.Blob(http.StatusOK, page.ContentType, page.Body)
			}
			tee := &teeWriter{ResponseWriter: e.Response}
			e.Response = tee
			var body []byte
			// deferred: a panic further down (recovered by PocketBase
			// outside this middleware) must still wake the waiting readers
			defer func() {
				e.Response = tee.ResponseWriter
				pages.Finish(key, page, body, tee.Header().Get("Content-Type"))
			}()
			err := e.Next()
			if err == nil && tee.status == http.StatusOK && !tee.over {
				body = tee.buf.Bytes()
			}
			return err
		},
	}
}

// teeWriter passes an answer on and keeps a copy of it.
type teeWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
	over   bool // larger than publicPageMaxBody: not kept
}

func (w *teeWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *teeWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if !w.over {
		if w.buf.Len()+len(b) > publicPageMaxBody {
			w.over = true
			w.buf = bytes.Buffer{}
		} else {
			w.buf.Write(b)
		}
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets PocketBase find its own writer (status, flush).
func (w *teeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
