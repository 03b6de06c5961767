package hooks

import (
	"github.com/pocketbase/pocketbase/core"
)

// attachmentCollections keep the names files had when they were uploaded.
var attachmentCollections = []string{"appeals", "appeal_events", "replies"}

// bindFileNames records each new attachment's original name in
// attachment_names ({stored name: original name}): PocketBase stores
// 现场照片.jpg as something like "abc123xyz0_k2j4h5g6f7.jpg", and residents
// and officials must see the name they know.
func bindFileNames(app core.App) {
	app.OnRecordValidate(attachmentCollections...).BindFunc(func(e *core.RecordEvent) error {
		unsaved := e.Record.GetUnsavedFiles("attachments")
		if len(unsaved) == 0 {
			return e.Next()
		}
		names := map[string]string{}
		_ = e.Record.UnmarshalJSONField("attachment_names", &names)
		for _, f := range unsaved {
			if f.OriginalName != "" {
				names[f.Name] = f.OriginalName
			}
		}
		e.Record.Set("attachment_names", names)
		return e.Next()
	})
}

// AttachmentName answers the name a stored attachment had when uploaded
// (the stored name when it is not known).
func AttachmentName(record *core.Record, stored string) string {
	names := map[string]string{}
	_ = record.UnmarshalJSONField("attachment_names", &names)
	if n := names[stored]; n != "" {
		return n
	}
	return stored
}
