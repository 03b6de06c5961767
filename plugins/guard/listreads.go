package guard

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"siyang/internal/overload"
)

// listReadsPriority puts the bound inside the middlewares that answer a
// list from memory (the portal's kept public pages, priority 0): a kept
// page never waits for a turn; only a list that reaches PocketBase does.
const listReadsPriority = 100

// listReadsMiddleware lets at most Config.ListReads record lists read the
// database at once; the others wait for a turn, up to Config.ListReadWait,
// then get 503 系统繁忙 with Retry-After. The slots are the channel's
// buffer: taken before PocketBase's list runs, given back when it returns.
func (p *plugin) listReadsMiddleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "siyangListReads",
		Priority: listReadsPriority,
		Func: func(e *core.RequestEvent) error {
			if e.Request.Method != http.MethodGet || !isRecordList(e.Request.URL.Path) {
				return e.Next()
			}
			select {
			case p.listReads <- struct{}{}:
			default:
				wait := time.NewTimer(p.config.ListReadWait)
				defer wait.Stop()
				select {
				case p.listReads <- struct{}{}:
				case <-wait.C:
					return overload.Answer(e, "", nil)
				case <-e.Request.Context().Done():
					// the client left: nobody reads the answer; the log says why
					return overload.Answer(e, "", e.Request.Context().Err())
				}
			}
			defer func() { <-p.listReads }()
			return e.Next()
		},
	}
}

// isRecordList: /api/collections/{collection}/records, the list (not one
// record, not the other collection endpoints).
func isRecordList(path string) bool {
	rest, ok := strings.CutPrefix(path, "/api/collections/")
	if !ok {
		return false
	}
	name, tail, _ := strings.Cut(strings.TrimSuffix(rest, "/"), "/")
	return name != "" && tail == "records"
}
