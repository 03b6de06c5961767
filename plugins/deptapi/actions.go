package deptapi

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"siyang/plugins/workflow"
)

// handleAction runs POST /api/dept/v1/tasks/{id}/actions/{action}: one of the
// handler actions, through the workflow engine, as the key's department.
// JSON, urlencoded or multipart (replies with up to 9 "attachments").
func (p *plugin) handleAction(e *core.RequestEvent) error {
	action := e.Request.PathValue("action")
	if !slices.Contains(handlerActions, action) {
		return workflow.NotFound(fmt.Sprintf("部门接口不支持「%s」操作；可用的操作：sign、assist_sign、return、request_extension、request_suspension、reply、assist_reply", action))
	}
	var in workflow.Input
	if err := e.BindBody(&in); err != nil {
		return workflow.BodyError(err)
	}
	files, err := uploadedFiles(e)
	if err != nil {
		return err
	}
	in.Files = files
	in.QueryCode = "" // a department system never acts as the resident

	dept := keyOf(e).GetString("department")
	res, err := p.config.Actions.Perform(e.App, workflow.Request{
		Appeal: e.Request.PathValue("id"), Action: action, Actor: actorOf(e), Input: in,
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{
		"task":  taskView(e.App, res.Appeal, latestTask(e.App, res.Appeal.Id, dept), dept),
		"event": eventView(res.Event),
	})
}

// uploadedFiles reads "attachments" and applies the count and size limits
// early; the type is checked when the reply is saved (the collection's
// allowed types).
func uploadedFiles(e *core.RequestEvent) ([]*filesystem.File, error) {
	files, err := e.FindUploadedFiles("attachments")
	if err != nil && !errors.Is(err, http.ErrMissingFile) && e.Request.MultipartForm != nil {
		return nil, workflow.FieldError("attachments", "附件读取失败，请重新上传")
	}
	if len(files) > workflow.MaxFiles {
		return nil, workflow.FieldError("attachments", fmt.Sprintf("附件最多 %d 个，您上传了 %d 个", workflow.MaxFiles, len(files)))
	}
	for i, f := range files {
		if f.Size == 0 || f.Size > workflow.MaxFileBytes {
			return nil, workflow.FieldError("attachments", fmt.Sprintf("第 %d 个附件「%s」是空文件或超过 10 MB", i+1, f.OriginalName))
		}
	}
	return files, nil
}
