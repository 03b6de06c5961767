package analytics

// metric is one SQL count over a period: the rows in its base, up to two
// subsets of them (hits) and optionally a sum of a number over the base.
// Each query names the appeal "a"; docs/metrics.md writes out the formulas.
type metric struct {
	name string
	with string // WITH clause, if any
	from string // FROM … JOIN …; the anchor's index is named: the date range is the selective part
	// join is added when the breakdown or a filter needs the appeal's own
	// columns (metrics over other tables only).
	join   string
	anchor string // the date the row is counted on
	where  string // conditions besides the period
	dept   string // the department the row counts for
	hit1   string // condition of the first subset ("0" if none)
	hit2   string // condition of the second subset ("0" if none)
	sum    string // number summed over the base ("0" if none)
	// snapshot metrics describe the cases as they stand now; their anchor
	// only places them on the month/day axis and the period is ignored.
	snapshot bool
}

// SQL fragments shared with the portal's public figures
// (plugins/portal/stats.go): the same cases count the same way.
const (
	// referral: closed by referring the resident to an emergency line
	// (转紧急热线) or to a legal channel (告知法定途径); their rating judges
	// the referral, not the handling.
	notReferral = `a.close_reason NOT IN ('emergency_hotline', 'legal_channel') AND a.reject_reason = ''`
	// satisfiedExpr: 满意 or 非常满意 (基本满意 is not).
	satisfiedExpr = `a.satisfaction IN ('very_satisfied', 'satisfied')`
)

// workdayOrdinal numbers the calendar's days so that the difference of two
// days' numbers is the working days between them (the later day counted,
// the earlier not): ~9,500 rows, computed once per query.
const workdayOrdinal = `WITH ord AS (SELECT date AS d, SUM(work) OVER (ORDER BY date) AS n FROM calendar_days)`

var metrics = []metric{
	{
		// 受理量 and 重复诉求率: appeals received in the period; those that
		// repeat an earlier one (并单, or 不予受理 as 重复诉求). A merged
		// appeal counts for its original's department.
		name:   "received",
		from:   `appeals a INDEXED BY idx_appeals_an_created LEFT JOIN appeals o ON o.id = a.duplicate_of`,
		anchor: "a.created",
		where:  "1",
		dept:   "COALESCE(NULLIF(a.lead_department, ''), o.lead_department, '')",
		hit1:   "a.status = 'merged' OR a.reject_reason = 'duplicate'",
		hit2:   "0",
		sum:    "0",
	},
	{
		// 响应率: lead assignments whose 签收 deadline fell in the period
		// and is already past; signed by the deadline. Assignments returned
		// or taken back before signing leave the base (portal formula).
		name:   "response",
		from:   `assignments s INDEXED BY idx_assignments_an_due_sign`,
		join:   `JOIN appeals a ON a.id = s.appeal`,
		anchor: "s.due_sign",
		where:  "s.role = 'lead' AND s.due_sign < {:until} AND NOT (s.status IN ('cancelled', 'returned') AND s.signed_at = '')",
		dept:   "s.department",
		hit1:   "s.signed_at != '' AND s.signed_at <= s.due_sign",
		hit2:   "0",
		sum:    "0",
	},
	{
		// 按时办结率: cases answered in the period that had a 办结 deadline;
		// answered by it (as extended by an approved 延期).
		name:   "on_time",
		from:   `appeals a INDEXED BY idx_appeals_an_replied`,
		anchor: "a.replied_at",
		where:  "a.lead_department != '' AND a.due_finish != ''",
		dept:   "a.lead_department",
		hit1:   "a.replied_at <= a.due_finish",
		hit2:   "0",
		sum:    "0",
	},
	{
		// 平均办理时长: working days from 派单 to 答复 of the cases answered
		// in the period (China-time dates on the holiday calendar).
		name:   "handling",
		with:   workdayOrdinal,
		from:   `appeals a INDEXED BY idx_appeals_an_replied JOIN ord o1 ON o1.d = date(a.dispatched_at, '+8 hours') JOIN ord o2 ON o2.d = date(a.replied_at, '+8 hours')`,
		anchor: "a.replied_at",
		where:  "a.lead_department != '' AND a.dispatched_at != ''",
		dept:   "a.lead_department",
		hit1:   "0",
		hit2:   "0",
		sum:    "MAX(o2.n - o1.n, 0)",
	},
	{
		// 办结量 and 一次办结率: cases closed in the period; of those not
		// closed by referral, the ones never sent back (审核退回) nor
		// reopened after a bad rating (重办).
		name:   "closed",
		from:   `appeals a INDEXED BY idx_appeals_an_closed`,
		anchor: "a.closed_at",
		where:  "a.status = 'closed'",
		dept:   "a.lead_department",
		hit1:   notReferral,
		hit2:   notReferral + " AND a.reopen_count = 0 AND a.redo_count = 0",
		sum:    "0",
	},
	{
		// 满意率 and 解决率: cases closed in the period with a rating that
		// counts; rated 满意/非常满意; rated as resolved.
		name:   "rated",
		from:   `appeals a INDEXED BY idx_appeals_an_closed`,
		anchor: "a.closed_at",
		where:  "a.status = 'closed' AND a.satisfaction != '' AND " + notReferral,
		dept:   "a.lead_department",
		hit1:   satisfiedExpr,
		hit2:   "a.resolved = 1",
		sum:    "0",
	},
	{
		// 在办 and 超期: cases in a department's hands now, and those past
		// their deadline (the SLA timer's state).
		name:     "open",
		from:     `appeals a INDEXED BY idx_appeals_an_open`,
		anchor:   "a.created",
		where:    "a.status IN ('dispatched', 'handling', 'suspended', 'replied')",
		dept:     "a.lead_department",
		hit1:     "a.sla_state = 'overdue'",
		hit2:     "0",
		sum:      "0",
		snapshot: true,
	},
}
