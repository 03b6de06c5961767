package workflow

import (
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/security"
)

// Before every request PocketBase turns the Authorization token into the
// signed-in record: a read of the record by id and two parses of the JWT
// with its HMAC (about 0.1–0.3 ms). A queue page answered from memory
// (queuepages.go) costs less than that, so for GET /api/workbench/queue
// the staff record a token was found to belong to is kept by token and
// handed to PocketBase's auth loader, which then skips its own lookup.
//
// What empties it: any staff record saved or deleted (a clerk moved to
// another department or role, a password change that renews the token
// key, an account removed), and any collection saved or deleted (the
// staff collection's token secret). A kept token is used only until the
// expiry written in it; a token that does not verify is never kept. Only
// staff records are kept (a superuser's token is looked up as before).

// queueAuthMax bounds the kept tokens: past it the cache starts empty.
const queueAuthMax = 10_000

type queueAuth struct {
	mu      sync.Mutex
	gen     uint64 // bumped by every change that can alter a kept answer
	entries map[string]queueAuthEntry
}

type queueAuthEntry struct {
	record  *core.Record
	expires time.Time
}

func newQueueAuth() *queueAuth {
	return &queueAuth{entries: map[string]queueAuthEntry{}}
}

func (c *queueAuth) changed() {
	c.mu.Lock()
	c.gen++
	c.entries = map[string]queueAuthEntry{}
	c.mu.Unlock()
}

// get answers the staff record kept for token, if it has not expired, and
// the generation to keep a new one under.
func (c *queueAuth) get(token string) (*core.Record, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[token]
	if ok && time.Now().Before(e.expires) {
		return e.record, c.gen
	}
	return nil, c.gen
}

// put keeps record for token unless something changed since gen.
func (c *queueAuth) put(token string, gen uint64, e queueAuthEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.entries) >= queueAuthMax {
		c.entries = map[string]queueAuthEntry{}
	}
	c.entries[token] = e
}

// queueAuthMiddleware loads the signed-in staff record of a queue request
// from the kept tokens, before PocketBase's own auth loader.
func (p *plugin) queueAuthMiddleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "siyangQueueAuth",
		Priority: apis.DefaultLoadAuthTokenMiddlewarePriority - 1,
		Func: func(e *core.RequestEvent) error {
			if e.Auth != nil || e.Request.Method != "GET" || e.Request.URL.Path != "/api/workbench/queue" {
				return e.Next()
			}
			token := e.Request.Header.Get("Authorization")
			if len(token) > 7 && strings.EqualFold(token[:7], "Bearer ") {
				token = token[7:] // as PocketBase reads it
			}
			if token == "" {
				return e.Next()
			}
			record, gen := p.queueAuth.get(token)
			if record != nil {
				e.Auth = record
				return e.Next()
			}
			record, err := e.App.FindAuthRecordByToken(token, core.TokenTypeAuth)
			if err != nil || record == nil {
				return e.Next() // PocketBase's loader tries and logs it
			}
			e.Auth = record
			if record.Collection().Name == "staff" {
				claims, _ := security.ParseUnverifiedJWT(token)
				if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
					p.queueAuth.put(token, gen, queueAuthEntry{record: record, expires: exp.Time})
				}
			}
			return e.Next()
		},
	}
}

// bindQueueAuthChanges empties the kept tokens on the changes listed
// above.
func (p *plugin) bindQueueAuthChanges(app core.App) {
	record := func(e *core.RecordEvent) error {
		p.queueAuth.changed()
		return e.Next()
	}
	app.OnRecordAfterUpdateSuccess("staff").BindFunc(record)
	app.OnRecordAfterDeleteSuccess("staff").BindFunc(record)
	collection := func(e *core.CollectionEvent) error {
		p.queueAuth.changed()
		return e.Next()
	}
	app.OnCollectionAfterUpdateSuccess().BindFunc(collection)
	app.OnCollectionAfterDeleteSuccess().BindFunc(collection)
}
