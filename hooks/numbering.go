package hooks

import (
	"context"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"siyang/internal/sqlstmt"
)

// TicketPrefix starts every ticket number (泗阳 → SY).
const TicketPrefix = "SY"

// China has no daylight saving time, so a fixed zone is exact and needs no tzdata.
var chinaTime = time.FixedZone("CST", 8*3600)

// ChinaTime is the county's zone, used for ticket days and displayed times.
func ChinaTime() *time.Location { return chinaTime }

// NextTicket reserves the next ticket number of the day, e.g. SY2611260001.
// It must run inside the transaction that creates the appeal: the counter
// and the appeal commit or roll back together, so numbers have no gaps, and
// SQLite's single writer makes concurrent submissions take turns.
func NextTicket(txApp core.App, now time.Time) (string, error) {
	day := now.In(chinaTime).Format("060102")
	id := security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789")
	var last int
	reserve := func(tx core.App) error {
		// a statement prepared once and reused by every intake
		return nextTicket.QueryRow(context.Background(), tx, id, day).Scan(&last)
	}
	var err error
	if txApp.IsTransactional() {
		err = reserve(txApp)
	} else {
		// (outside a transaction the statement's Query would run on a
		// read connection)
		err = txApp.RunInTransaction(reserve)
	}
	if err != nil {
		return "", fmt.Errorf("reserve ticket number: %w", err)
	}
	return fmt.Sprintf("%s%s%04d", TicketPrefix, day, last), nil
}

var nextTicket = sqlstmt.New(`INSERT INTO ticket_counters (id, day, last) VALUES (?, ?, 1)
	ON CONFLICT(day) DO UPDATE SET last = last + 1
	RETURNING last`)

// bindNumbering gives every new appeal its ticket number.
func bindNumbering(app core.App) {
	app.OnRecordCreate("appeals").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("ticket") == "" {
			ticket, err := NextTicket(e.App, time.Now())
			if err != nil {
				return err
			}
			e.Record.Set("ticket", ticket)
		}
		return e.Next()
	})
}
