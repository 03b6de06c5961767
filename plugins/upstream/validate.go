package upstream

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// validateWebhook keeps the two kinds of webhook apart: an upper-platform
// endpoint names the upper_platform key whose cases it reports and no
// department; an ordinary webhook names no key.
func (p *plugin) validateWebhook(e *core.RecordEvent) error {
	errs := validation.Errors{}
	source := e.Record.GetString("source")
	if e.Record.GetString("kind") == Kind {
		if source == "" {
			errs["source"] = validation.NewError("validation_upstream_source", "请选择上级平台的接口密钥：只回传通过该密钥转来的工单")
		} else if key, err := e.App.FindRecordById("api_keys", source); err != nil || key.GetString("kind") != "upper_platform" {
			errs["source"] = validation.NewError("validation_upstream_source", "所选密钥不是「上级 12345 平台」类型")
		}
		if e.Record.GetString("department") != "" {
			errs["department"] = validation.NewError("validation_upstream_department", "上级平台回传不按单位筛选，请留空")
		}
	} else if source != "" {
		errs["source"] = validation.NewError("validation_upstream_source", "只有「上级平台回传」类型的推送需要选择接口密钥")
	}
	if len(errs) > 0 {
		return errs
	}
	return e.Next()
}
