package hooks

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// WorkflowCollections are written only by the workflow's actions, never by
// the plain record API (not even by superusers in the dashboard), so every
// change of a case has its timeline entry.
var WorkflowCollections = []string{
	"appeals", "assignments", "appeal_events", "replies", "extensions",
	"callbacks", "audit_log", "ticket_counters",
}

// appendOnlyCollections may only ever grow.
var appendOnlyCollections = []string{"appeal_events", "audit_log"}

// ErrAppendOnly is returned for any attempt to change or delete a timeline or audit row.
var ErrAppendOnly = errors.New("流转记录和审计日志只能追加，不能修改或删除")

func bindAppendOnly(app core.App) {
	refuse := func(e *core.RecordEvent) error { return ErrAppendOnly }
	app.OnRecordUpdate(appendOnlyCollections...).BindFunc(refuse)
	app.OnRecordDelete(appendOnlyCollections...).BindFunc(refuse)

	const msg = "工单数据只能通过业务操作接口修改，以保证每次变更都有流转记录"
	app.OnRecordCreateRequest(WorkflowCollections...).BindFunc(func(e *core.RecordRequestEvent) error {
		return &router.ApiError{Status: http.StatusForbidden, Message: msg, Data: map[string]any{}}
	})
	app.OnRecordUpdateRequest(WorkflowCollections...).BindFunc(func(e *core.RecordRequestEvent) error {
		return &router.ApiError{Status: http.StatusForbidden, Message: msg, Data: map[string]any{}}
	})
	app.OnRecordDeleteRequest(WorkflowCollections...).BindFunc(func(e *core.RecordRequestEvent) error {
		return &router.ApiError{Status: http.StatusForbidden, Message: msg, Data: map[string]any{}}
	})
}
