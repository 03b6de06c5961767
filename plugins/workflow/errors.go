package workflow

import (
	"fmt"
	"net/http"

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

// FieldErrors is a 400 answer for several fields at once.
type FieldErrors map[string]string

// Add records a problem with field unless one is already recorded.
func (f FieldErrors) Add(field, message string) {
	if _, ok := f[field]; !ok {
		f[field] = message
	}
}

// Err returns nil when there are no problems, else the 400 answer.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	data := map[string]any{}
	var first string
	for field, msg := range f {
		data[field] = map[string]string{"code": "invalid", "message": msg}
		if first == "" || field < first {
			first = field
		}
	}
	return apiError(http.StatusBadRequest, fmt.Sprintf("提交内容有误：%s", f[first]), data)
}

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
