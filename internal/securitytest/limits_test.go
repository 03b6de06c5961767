package securitytest

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestUploadLimits: a body announced above the route's limit is refused
// before it is read (413): intake 95 MB (9 photos of 10 MB and the form),
// every other route PocketBase's 32 MB (the record API adds its file
// fields' limits); nothing is stored.
func TestUploadLimits(t *testing.T) {
	h := newHostileWorld(t)
	for _, c := range []struct {
		path string
		size int64
	}{
		{"/api/appeals", 96 << 20},
		{"/api/track", 33 << 20},
		{"/api/portal/appointments", 33 << 20},
		{"/open311/v2/requests.json", 33 << 20},
		{"/api/collections/users/records", 200 << 20}, // 32 MB plus its file fields
	} {
		req := httptest.NewRequest("POST", c.path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = c.size
		rec := httptest.NewRecorder()
		h.Handler(t).ServeHTTP(rec, req)
		if rec.Code != 413 {
			t.Errorf("%s with %d MB: %d %s", c.path, c.size>>20, rec.Code, clip(rec.Body.String()))
		}
	}
	if n, _ := h.App.CountRecords("appeals"); n != 1 {
		t.Errorf("appeals: %d", n)
	}
}
