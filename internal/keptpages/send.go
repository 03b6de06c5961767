package keptpages

import (
	"encoding/json"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// SendJSON answers a kept JSON answer. With PocketBase's ?fields= it goes
// through e.JSON, whose field picking (tools/picker, the one every
// PocketBase record answer gets) encodes the value and decodes it to pick
// the fields: the kept bytes are handed to it as they are, so the picked
// answer is the one PocketBase would give for the same value. Without
// fields the bytes are written as kept.
func SendJSON(e *core.RequestEvent, body []byte) error {
	if e.Request.URL.Query().Get("fields") != "" {
		return e.JSON(http.StatusOK, json.RawMessage(body))
	}
	return e.Blob(http.StatusOK, "application/json", body)
}
