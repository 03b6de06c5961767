package residents

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
)

// linkEarlierAppeals links to user the appeals of the last LinkWindow whose
// contact phone is the number the resident has just proven, and that belong
// to no account: cases they submitted before signing in, or that an
// operator registered when they phoned. Older cases stay reachable by
// ticket number and query code only (phone numbers are reassigned by the
// carriers; see docs/decisions.md). The link is not a change of the case,
// so it does not touch the timeline or "updated"; it is audited.
func (p *plugin) linkEarlierAppeals(tx core.App, user *core.Record, phone, ip string) (int, error) {
	if p.config.LinkWindow < 0 {
		return 0, nil
	}
	// "created" is written by the database's clock, so the window is
	// measured on that clock, not the platform's (which tests move).
	since := time.Now().Add(-p.config.LinkWindow).UTC().Format(types.DefaultDateLayout)
	res, err := tx.DB().NewQuery(`UPDATE appeals SET resident = {:user}
 WHERE contact_phone = {:phone} AND (resident = '' OR resident IS NULL) AND created >= {:since}`).
		Bind(dbx.Params{"user": user.Id, "phone": phone, "since": since}).Execute()
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		return 0, nil
	}
	return int(n), hooks.Audit(tx, hooks.AuditEntry{
		Action: "appeals.link", Actor: user, TargetCollection: "users", TargetID: user.Id,
		Detail: map[string]any{"count": n, "by": "sms_code", "phone": hooks.MaskPhone(phone)},
		IP:     ip,
	})
}
