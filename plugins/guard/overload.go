package guard

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"siyang/internal/overload"
)

// busyMiddleware answers a request the database could not serve in time
// (PocketBase's query deadline passed, a statement was interrupted, a lock
// outlived the retries) with 503 系统繁忙 and Retry-After instead of the
// 400 "Something went wrong while processing your request." PocketBase and
// its router give any such failure (internal/overload says where). It
// covers every route: PocketBase's record API and the platform's own
// endpoints, whose handlers return database errors as they come. It runs
// inside the activity logger, so the request log shows the 503 with the
// database error as its details.
func (p *plugin) busyMiddleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "siyangBusyAnswers",
		Priority: apis.DefaultSecurityHeadersMiddlewarePriority + 6,
		Func: func(e *core.RequestEvent) error {
			err := e.Next()
			if err == nil || e.Written() || !overload.Is(err) {
				return err
			}
			return overload.Answer(e, "", err)
		},
	}
}
