package workflow

import (
	"encoding/json"
	"slices"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// Realtime for department handlers, grouped by department.
//
// An open 承办单位工作台 subscribes to appeals/*, appeal_events/* and
// assignments/* (pb_public/workbench.js). PocketBase checks the list rule
// of every such subscription with one SQL query per connected client for
// every saved record, in the saving request: with 1,000 workbenches open, a
// 派单 (one appeal, one task, one timeline row) cost ~3,000 rule queries
// and over a second (docs/performance.md, "Realtime fan-out and memory").
//
// For a handler, whether a record of these collections is visible depends
// on the handler's role and department only (the rules in migrations/
// compare @request.auth.collectionName, .role and .department; the
// resident branch compares .id, which never matches a staff account). So
// these three exact topics of a handler are taken out of PocketBase's
// broadcast at subscription time and served here: for a saved record, the
// departments that can be concerned (the case's lead and assisting
// departments, and a task's own department) are found in Go, the
// collection's own list rule is checked once per department with one of its
// connected handlers, and the one message built for that department goes
// to all of its handlers who subscribed. The rule stays the only
// authority; a department the code does not name gets nothing (fail
// closed). Topics with options (filter, expand, fields) and everyone but
// handlers keep PocketBase's own per-client broadcast.
//
// Record deletes take the same path (realtime_delete.go), and a handler
// whose role or department changes is cut off from it at once
// (realtime_staff.go).

// departmentTopics are the subscriptions served per department.
var departmentTopics = map[string]string{
	"appeals/*":       "appeals",
	"appeal_events/*": "appeal_events",
	"assignments/*":   "assignments",
}

// departmentSubscriptionKey is the realtime client store key holding a
// handler's *departmentSubscription. It is set or removed on each
// subscription request, which replaces the whole set of a client's
// subscriptions.
const departmentSubscriptionKey = "siyang.departmentSubscription"

// departmentSubscription is what a handler's client subscribed to on the
// per-department path, and as whom.
type departmentSubscription struct {
	topics     map[string]bool // of departmentTopics
	staff      string          // the handler's staff id
	department string          // the handler's department when it subscribed
	tokenKey   string          // its token key then (a new one: password changed, sessions end)
}

func bindDepartmentRealtime(app core.App) {
	app.OnRealtimeSubscribeRequest().BindFunc(func(e *core.RealtimeSubscribeRequestEvent) error {
		e.Client.Unset(departmentSubscriptionKey)
		dept := handlerDepartment(e.Auth)
		if dept == "" {
			return e.Next()
		}
		moved := map[string]bool{}
		kept := e.Subscriptions[:0:0]
		for _, s := range e.Subscriptions {
			if _, ok := departmentTopics[s]; ok {
				moved[s] = true
			} else {
				kept = append(kept, s)
			}
		}
		if len(moved) > 0 {
			e.Client.Set(departmentSubscriptionKey, &departmentSubscription{
				topics: moved, staff: e.Auth.Id, department: dept, tokenKey: e.Auth.TokenKey(),
			})
		}
		e.Subscriptions = kept
		return e.Next()
	})
	for _, collection := range []string{"appeals", "appeal_events", "assignments"} {
		app.OnRecordAfterCreateSuccess(collection).BindFunc(func(e *core.RecordEvent) error {
			sendToDepartments(departmentMessages(app, "create", e.Record))
			return e.Next()
		})
		app.OnRecordAfterUpdateSuccess(collection).BindFunc(func(e *core.RecordEvent) error {
			sendToDepartments(departmentMessages(app, "update", e.Record))
			return e.Next()
		})
	}
	bindDepartmentDeletes(app)
	bindStaffChanges(app)
}

// handlerDepartment answers the department of a handler's auth record, or
// "" for anyone else.
func handlerDepartment(auth *core.Record) string {
	if auth == nil || auth.Collection().Name != "staff" || auth.GetString("role") != "handler" {
		return ""
	}
	return auth.GetString("department")
}

// departmentDelivery is one message and the handlers it goes to.
type departmentDelivery struct {
	clients []subscriptions.Client
	msg     subscriptions.Message
}

// subscribedHandlers answers the clients subscribed to topic on the
// per-department path, by department. A client counts only while its
// handler is still a handler of the department it subscribed as (its auth
// record is kept current by PocketBase): a moved clerk gets nothing more
// even before its connection is closed.
func subscribedHandlers(app core.App, topic string) map[string][]subscriptions.Client {
	byDept := map[string][]subscriptions.Client{}
	for _, client := range app.SubscriptionsBroker().Clients() {
		sub, _ := client.Get(departmentSubscriptionKey).(*departmentSubscription)
		if sub == nil || !sub.topics[topic] {
			continue
		}
		auth, _ := client.Get(apis.RealtimeClientAuthKey).(*core.Record)
		if dept := handlerDepartment(auth); dept != "" && dept == sub.department {
			byDept[dept] = append(byDept[dept], client)
		}
	}
	return byDept
}

// departmentMessages builds record's change for the subscribed handlers of
// each department that may see it. app must see the record as committed
// (for a delete: still there); it only reads.
func departmentMessages(app core.App, action string, record *core.Record) []departmentDelivery {
	collection := record.Collection()
	topic := collection.Name + "/*"
	byDept := subscribedHandlers(app, topic)
	if len(byDept) == 0 {
		return nil
	}

	var out []departmentDelivery
	for _, dept := range concernedDepartments(app, record) {
		clients := byDept[dept]
		if len(clients) == 0 {
			continue
		}
		auth, _ := clients[0].Get(apis.RealtimeClientAuthKey).(*core.Record)
		info := &core.RequestInfo{Context: core.RequestInfoContextRealtime, Method: "GET", Auth: auth}
		if ok, _ := app.CanAccessRecord(record, info, collection.ListRule); !ok {
			continue
		}
		clean := record.Fresh()
		event := &core.RecordEnrichEvent{App: app, Record: clean, RequestInfo: info}
		if err := app.OnRecordEnrich().Trigger(event, func(e *core.RecordEnrichEvent) error { return nil }); err != nil {
			continue
		}
		data, err := json.Marshal(map[string]any{"action": action, "record": clean})
		if err != nil {
			continue
		}
		out = append(out, departmentDelivery{clients: clients, msg: subscriptions.Message{Name: topic, Data: data}})
	}
	return out
}

// sendToDepartments sends each message to its handlers. For a create or
// update it runs after the commit (an after-success hook) on the app
// outside any transaction.
func sendToDepartments(deliveries []departmentDelivery) {
	for _, d := range deliveries {
		for _, c := range d.clients {
			// Send blocks while the client's queue is full, as in
			// PocketBase's own broadcast
			go c.Send(d.msg)
		}
	}
}

// concernedDepartments answers the departments whose handlers may see
// record: the case's lead and assisting departments, and for a task also
// its own department (which keeps seeing it after 退单 or 改派).
func concernedDepartments(app core.App, record *core.Record) []string {
	appeal := record
	if record.Collection().Name != "appeals" {
		var err error
		if appeal, err = app.FindRecordById("appeals", record.GetString("appeal")); err != nil {
			appeal = nil
		}
	}
	var depts []string
	if appeal != nil {
		depts = append(depts, appeal.GetString("lead_department"))
		depts = append(depts, appeal.GetStringSlice("assisting_departments")...)
	}
	if record.Collection().Name == "assignments" {
		depts = append(depts, record.GetString("department"))
	}
	slices.Sort(depts)
	return slices.DeleteFunc(slices.Compact(depts), func(d string) bool { return d == "" })
}
