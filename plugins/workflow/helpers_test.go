package workflow_test

import (
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/router"
)

func dbxHash(field, value string) dbx.Expression { return dbx.HashExp{field: value} }

// apiStatus is the HTTP status an engine error answers with (500 otherwise).
func apiStatus(err error) int {
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		return apiErr.Status
	}
	if err == nil {
		return 200
	}
	return 500
}
