package hooks

import (
	"net/http"
	"slices"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

const schemaMsg = "工单、流转记录和审计日志的数据表不能删除、清空或删减字段（即使是超级管理员），以保证已受理的诉求和审计记录不会丢失"

// bindSchemaGuard stops the dashboard's collection API from doing wholesale
// what the record API may not do row by row: deleting or truncating a
// workflow collection, importing a schema without it, or dropping one of
// its fields (which drops the column's data).
func bindSchemaGuard(app core.App) {
	refuse := func() error {
		return &router.ApiError{Status: http.StatusForbidden, Message: schemaMsg, Data: map[string]any{}}
	}
	protected := func(c *core.Collection) bool { return c != nil && slices.Contains(WorkflowCollections, c.Name) }

	app.OnCollectionDeleteRequest().BindFunc(func(e *core.CollectionRequestEvent) error {
		if protected(e.Collection) {
			return refuse()
		}
		return e.Next()
	})
	app.OnCollectionUpdateRequest().BindFunc(func(e *core.CollectionRequestEvent) error {
		if protected(e.Collection) {
			stored, err := e.App.FindCollectionByNameOrId(e.Collection.Id)
			if err != nil {
				return err
			}
			if stored.Name != e.Collection.Name {
				return refuse()
			}
			for _, f := range stored.Fields {
				if e.Collection.Fields.GetById(f.GetId()) == nil {
					return refuse()
				}
			}
		}
		return e.Next()
	})
	app.OnCollectionsImportRequest().BindFunc(func(e *core.CollectionsImportRequestEvent) error {
		if e.DeleteMissing {
			kept := map[string]bool{}
			for _, c := range e.CollectionsData {
				if name, ok := c["name"].(string); ok {
					kept[name] = true
				}
			}
			for _, name := range WorkflowCollections {
				if !kept[name] {
					return refuse()
				}
			}
		}
		return e.Next()
	})
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.BindFunc(func(re *core.RequestEvent) error {
			if re.Request.Pattern == "DELETE /api/collections/{collection}/truncate" {
				c, _ := re.App.FindCachedCollectionByNameOrId(re.Request.PathValue("collection"))
				if protected(c) {
					return refuse()
				}
			}
			return re.Next()
		})
		return e.Next()
	})
}
