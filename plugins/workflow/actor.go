package workflow

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// Actor is who performs an action: a staff member, a resident (signed in or
// holding the ticket's query code), a superuser, or the system itself.
type Actor struct {
	Record     *core.Record // the authenticated record; nil for the system and code holders
	StaffRole  string       // operator, handler, supervisor, admin ("" if not staff)
	Department string       // the staff member's department
	QueryCode  string       // query code offered by an anonymous resident
	IsSystem   bool
	IP         string
	// Via names the channel of an actor without a login record, e.g. a
	// department's system through its API key ("deptapi"); it is recorded
	// in the timeline entry.
	Via string
}

// DepartmentSystem is the actor of a department's own IT system: it acts
// with the rights of that department's handlers.
func DepartmentSystem(department, via string) Actor {
	return Actor{StaffRole: "handler", Department: department, Via: via}
}

// SystemActor is used by timers and integrations inside the binary.
var SystemActor = Actor{IsSystem: true}

// ActorFromAuth builds the actor from an authenticated record (nil for guests).
func ActorFromAuth(auth *core.Record) Actor {
	a := Actor{Record: auth}
	if auth == nil {
		return a
	}
	switch {
	case auth.IsSuperuser():
		a.StaffRole = "admin"
	case auth.Collection().Name == "staff":
		a.StaffRole = auth.GetString("role")
		a.Department = auth.GetString("department")
	}
	return a
}

// IsStaff reports whether the actor is staff (or a superuser).
func (a Actor) IsStaff() bool { return a.StaffRole != "" }

// IsResidentAccount reports whether the actor is a signed-in resident.
func (a Actor) IsResidentAccount() bool {
	return a.Record != nil && a.Record.Collection().Name == "users"
}

// RolesFor lists the workflow roles the actor holds on appeal. An empty list
// means the actor may not even see the case.
func (a Actor) RolesFor(appeal *core.Record) []Role {
	switch {
	case a.IsSystem:
		return []Role{System}
	case a.StaffRole == "operator":
		return []Role{Operator}
	case a.StaffRole == "supervisor":
		return []Role{Supervisor}
	case a.StaffRole == "admin":
		return []Role{Admin}
	case a.StaffRole == "handler":
		if a.Department == "" {
			return nil
		}
		if appeal.GetString("lead_department") == a.Department {
			return []Role{LeadHandler}
		}
		for _, d := range appeal.GetStringSlice("assisting_departments") {
			if d == a.Department {
				return []Role{AssistHandler}
			}
		}
		return nil
	case a.IsResidentAccount():
		if appeal.GetString("resident") == a.Record.Id {
			return []Role{Resident}
		}
	}
	if a.QueryCode != "" && CheckQueryCode(appeal, a.QueryCode) {
		return []Role{Resident}
	}
	return nil
}

// HashQueryCode is how query codes are stored: only their SHA-256 digest.
func HashQueryCode(code string) string {
	sum := sha256.Sum256([]byte(strings.ToUpper(strings.TrimSpace(code))))
	return hex.EncodeToString(sum[:])
}

// CheckQueryCode compares in constant time.
func CheckQueryCode(appeal *core.Record, code string) bool {
	return checkQueryCodeHash(appeal.GetString("query_code_hash"), code)
}

// checkQueryCodeHash compares code with a stored digest, in constant time.
func checkQueryCodeHash(stored, code string) bool {
	if stored == "" || code == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(stored), []byte(HashQueryCode(code))) == 1
}

// actorRoleName is what the timeline records as the actor's role.
func (a Actor) actorRoleName(roles []Role) string {
	switch {
	case a.IsSystem:
		return "system"
	case a.StaffRole != "":
		return a.StaffRole
	case len(roles) > 0 && roles[0] == Resident:
		return "resident"
	}
	return "system"
}
