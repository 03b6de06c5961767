// Package migrations holds every collection, field, index, rule, view and
// default row of the platform. It is the single source of the schema.
package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Rule fragments shared by the collections. A staff member is a record of
// the "staff" auth collection; a resident is a record of "users".
const (
	isStaff    = `@request.auth.collectionName = "staff"`
	isResident = `@request.auth.collectionName = "users"`
	// isCentral matches staff who see every case: operators, supervisors, admins.
	isCentral = isStaff + ` && @request.auth.role != "handler"`
	isAdmin   = isStaff + ` && @request.auth.role = "admin"`
	isSuper   = isStaff + ` && (@request.auth.role = "supervisor" || @request.auth.role = "admin")`
)

// timeUnits are the units a time limit may be counted in.
var timeUnits = []string{"wall_hours", "working_hours", "working_days"}

func rule(s string) *string { return types.Pointer(s) }

func text(name string, required bool, max int) *core.TextField {
	return &core.TextField{Name: name, Required: required, Max: max}
}

func selectOne(name string, required bool, values ...string) *core.SelectField {
	return &core.SelectField{Name: name, Required: required, MaxSelect: 1, Values: values}
}

func relation(name, collectionID string, required bool, maxSelect int) *core.RelationField {
	return &core.RelationField{Name: name, CollectionId: collectionID, Required: required, MaxSelect: maxSelect}
}

func number(name string, onlyInt bool) *core.NumberField {
	return &core.NumberField{Name: name, OnlyInt: onlyInt}
}

func boolean(name string) *core.BoolField { return &core.BoolField{Name: name} }

func date(name string) *core.DateField { return &core.DateField{Name: name} }

func jsonField(name string) *core.JSONField { return &core.JSONField{Name: name, MaxSize: 1 << 16} }

// timestamps appends the created/updated autodate fields every collection carries.
func timestamps(c *core.Collection) {
	c.Fields.Add(&core.AutodateField{Name: "created", OnCreate: true})
	c.Fields.Add(&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true})
}

// imageAndDocTypes are the attachment types residents and departments may upload.
var imageAndDocTypes = []string{
	"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic",
	"application/pdf",
	"application/msword",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.ms-excel",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

func attachments(name string, maxSelect int) *core.FileField {
	return &core.FileField{
		Name:      name,
		MaxSelect: maxSelect,
		MaxSize:   10 << 20,
		MimeTypes: imageAndDocTypes,
		Thumbs:    []string{"200x200"},
		Protected: true,
	}
}

// saveWithSelfRelation saves a new collection, then adds a relation to
// itself (which can only point at a collection that already exists), with
// an index on it for walking the tree.
func saveWithSelfRelation(app core.App, c *core.Collection, self *core.RelationField) error {
	if err := app.Save(c); err != nil {
		return err
	}
	c.Fields.Add(self)
	c.AddIndex("idx_"+c.Name+"_"+self.Name, false, self.Name, "")
	return app.Save(c)
}
