package workflow

import (
	"fmt"
	"net/http"
	"regexp"

	"github.com/pocketbase/pocketbase/tools/router"
)

// apiError builds the answer without PocketBase's English sentence
// punctuation (it would append "." to a Chinese sentence).
func apiError(status int, message string, data map[string]any) *router.ApiError {
	if data == nil {
		data = map[string]any{}
	}
	return &router.ApiError{Status: status, Message: message, Data: data}
}

// FieldError is a 400 answer naming the field and a reason a person can act on.
func FieldError(field, message string) *router.ApiError {
	return apiError(http.StatusBadRequest, message, map[string]any{
		field: map[string]string{"code": "invalid", "message": message},
	})
}

// FieldErrors collects 400 problems by field, in the order they were
// found (the form's order), the first one also being the headline.
type FieldErrors struct {
	order    []string
	messages map[string]string
}

// Add records a problem with field unless one is already recorded.
func (f *FieldErrors) Add(field, message string) {
	if f.messages == nil {
		f.messages = map[string]string{}
	}
	if _, ok := f.messages[field]; !ok {
		f.messages[field] = message
		f.order = append(f.order, field)
	}
}

// Err returns nil when there are no problems, else the 400 answer.
func (f *FieldErrors) Err() error {
	if len(f.order) == 0 {
		return nil
	}
	data := map[string]any{}
	for field, msg := range f.messages {
		data[field] = map[string]string{"code": "invalid", "message": msg}
	}
	return apiError(http.StatusBadRequest, fmt.Sprintf("提交内容有误：%s", f.messages[f.order[0]]), data)
}

// BodyError explains a request body that could not be read: a JSON value of
// the wrong type names its field, anything else is a general format error.
func BodyError(err error) error {
	if m := jsonFieldRe.FindStringSubmatch(err.Error()); m != nil {
		return FieldError(m[1], "「"+m[1]+"」的格式不正确（例如数字、true/false 或文字用错了）")
	}
	return FieldError("body", "请求格式有误，请检查后重试")
}

var jsonFieldRe = regexp.MustCompile(`within "/([A-Za-z_]+)`)

// Conflict is a 409 answer: the action is not possible in the case's current state.
func Conflict(message string) *router.ApiError {
	return apiError(http.StatusConflict, message, nil)
}

// Forbidden is a 403 answer: this person may not perform the action.
func Forbidden(message string) *router.ApiError {
	return apiError(http.StatusForbidden, message, nil)
}

// NotFound is a 404 answer; also used for cases the caller may not see.
func NotFound(message string) *router.ApiError {
	return apiError(http.StatusNotFound, message, nil)
}
