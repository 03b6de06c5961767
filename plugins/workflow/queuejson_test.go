package workflow

import (
	"encoding/json/jsontext"
	jsonv2 "encoding/json/v2"
	"testing"

	"github.com/pocketbase/pocketbase/tools/types"
)

// TestQueueItemJSON: the hand-written row is the JSON of the QueueItem
// the same database row makes, as PocketBase's e.JSON encodes it.
func TestQueueItemJSON(t *testing.T) {
	for _, c := range []queueCase{
		{
			id: "abc123def456ghi", ticket: "SY20261127000001", title: `路灯"不亮" <b>&</b>` + "\n\t\u2028", kind: "complaint",
			category: "cat123456789012", categoryName: "路灯照明", status: "handling", priority: "urgent", urgent: true,
			slaStage: "finish", slaState: "overdue", slaDueAt: "2026-11-27 10:00:00.123Z", dueSign: "2026-11-26 08:00:00.000Z",
			dueFinish: "2026-11-27T10:00:00Z", dueCallback: "", urgeCount: 2, superviseCount: 1, lead: "deptA0000000000",
			assisting: types.JSONArray[string]{"deptB0000000000", "deptC0000000000"},
			created:   "2026-11-20 01:02:03.456Z", updated: "2026-11-27 10:00:00.000Z",
		},
		{id: "x", title: "bad \xff utf-8", dueSign: "2026-11-26 08:00:00Z", created: "not a date"},
	} {
		row := queueRow{TaskID: "task00000000001", TaskRole: "lead", TaskStatus: "signed", TaskKey: c.dueFinish}
		got := appendQueueItem(nil, &c, &row)

		date := func(s string) types.DateTime { d, _ := types.ParseDateTime(s); return d }
		want, err := jsonv2.Marshal(QueueItem{
			ID: c.id, Ticket: c.ticket, Title: c.title, Kind: c.kind, Category: c.category, CategoryName: c.categoryName,
			Status: c.status, Priority: c.priority, UrgentFlag: c.urgent, SLAStage: c.slaStage, SLAState: c.slaState,
			SLADueAt: date(c.slaDueAt), DueSign: date(c.dueSign), DueFinish: date(c.dueFinish), DueCallback: date(c.dueCallback),
			UrgeCount: c.urgeCount, SuperviseCount: c.superviseCount, LeadDepartment: c.lead, AssistingDepartments: c.assisting,
			Created: date(c.created), Updated: date(c.updated),
			Task: QueueTask{ID: row.TaskID, Role: row.TaskRole, Status: row.TaskStatus, Due: row.TaskKey},
		}, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("hand-written\n%s\nencoded\n%s", got, want)
		}
	}
}
