package workflow

import (
	"encoding/json/jsontext"
	"strconv"

	"github.com/pocketbase/pocketbase/tools/types"
)

// The queue's answer is written by hand: encoding/json spent a quarter of
// a page read on reflection and on formatting seven dates per row that it
// had first parsed from the database's text (third-round profile). The
// bytes are the same as encoding a QueueItem (queuejson_test.go holds the
// two together).

// queueCase is a page's case as read: the dates as the database's text.
type queueCase struct {
	id, ticket, title, kind, category, categoryName, status, priority string
	urgent                                                            bool
	slaStage, slaState                                                string
	slaDueAt, dueSign, dueFinish, dueCallback                         string
	urgeCount, superviseCount                                         int
	lead                                                              string
	assisting                                                         types.JSONArray[string]
	created, updated                                                  string
}

// appendQueueItem appends the JSON of one row (a QueueItem).
func appendQueueItem(b []byte, c *queueCase, t *queueRow) []byte {
	str := func(b []byte, name, v string) []byte {
		b = append(b, `,"`...)
		b = append(b, name...)
		b = append(b, `":`...)
		b, _ = jsontext.AppendQuote(b, v) // invalid UTF-8 is replaced, as e.JSON does
		return b
	}
	date := func(b []byte, name, v string) []byte {
		return str(b, name, queueDate(v))
	}
	num := func(b []byte, name string, v int) []byte {
		b = append(b, `,"`...)
		b = append(b, name...)
		b = append(b, `":`...)
		return strconv.AppendInt(b, int64(v), 10)
	}
	b = append(b, `{"id":`...)
	b, _ = jsontext.AppendQuote(b, c.id)
	b = str(b, "ticket", c.ticket)
	b = str(b, "title", c.title)
	b = str(b, "kind", c.kind)
	b = str(b, "category", c.category)
	b = str(b, "category_name", c.categoryName)
	b = str(b, "status", c.status)
	b = str(b, "priority", c.priority)
	b = append(b, `,"urgent_flag":`...)
	b = strconv.AppendBool(b, c.urgent)
	b = str(b, "sla_stage", c.slaStage)
	b = str(b, "sla_state", c.slaState)
	b = date(b, "sla_due_at", c.slaDueAt)
	b = date(b, "due_sign", c.dueSign)
	b = date(b, "due_finish", c.dueFinish)
	b = date(b, "due_callback", c.dueCallback)
	b = num(b, "urge_count", c.urgeCount)
	b = num(b, "supervise_count", c.superviseCount)
	b = str(b, "lead_department", c.lead)
	b = append(b, `,"assisting_departments":[`...)
	for i, d := range c.assisting {
		if i > 0 {
			b = append(b, ',')
		}
		b, _ = jsontext.AppendQuote(b, d)
	}
	b = append(b, ']')
	b = date(b, "created", c.created)
	b = date(b, "updated", c.updated)
	b = append(b, `,"task":{"id":`...)
	b, _ = jsontext.AppendQuote(b, t.TaskID)
	b = str(b, "role", t.TaskRole)
	b = str(b, "status", t.TaskStatus)
	b = str(b, "due", t.TaskKey)
	return append(b, "}}"...)
}

// queueDate answers a date column's text as types.DateTime writes it
// ("2006-01-02 15:04:05.000Z", "" for none). PocketBase stores dates in
// that form, so they are passed on as they are; any other text (a row
// written by hand) is parsed and formatted as a DateTime would be.
func queueDate(s string) string {
	if s == "" || isDefaultDate(s) {
		return s
	}
	d, err := types.ParseDateTime(s)
	if err != nil {
		return ""
	}
	return d.String()
}

// isDefaultDate: s has the shape of types.DefaultDateLayout.
func isDefaultDate(s string) bool {
	const shape = "0000-00-00 00:00:00.000Z"
	if len(s) != len(shape) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if shape[i] == '0' {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		} else if s[i] != shape[i] {
			return false
		}
	}
	return true
}
