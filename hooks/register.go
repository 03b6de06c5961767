// Package hooks holds the record lifecycle rules that belong to the data
// itself, whoever writes it: numbering, validation, masking of public text,
// the append-only guarantees and the audit trail of configuration changes.
package hooks

import (
	"github.com/pocketbase/pocketbase/core"
)

// Register binds every data rule to app.
func Register(app core.App) {
	bindNumbering(app)
	bindValidation(app)
	bindMasking(app)
	bindAppendOnly(app)
	bindSchemaGuard(app)
	bindConfigAudit(app)
	bindFileNames(app)
}
