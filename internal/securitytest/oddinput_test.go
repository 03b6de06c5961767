package securitytest

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestOddButValidInput: text that only looks dangerous is kept verbatim
// (SQL-looking words, HTML and script tags, "<" in prose): it is the
// pages' job to escape it (their browser tests inject such titles and
// replies and check nothing runs; the CSP forbids inline scripts besides),
// and the JSON APIs return it as a JSON string. An image uploaded under a
// path trick name is stored under a safe name of the platform's choosing.
func TestOddButValidInput(t *testing.T) {
	h := newHostileWorld(t)
	fields := map[string]string{}
	for k, v := range h.validIntake {
		fields[k] = v.(string)
	}
	fields["title"] = "'; DROP TABLE appeals; --"
	fields["content"] = "气温<0度时水管冻裂，小区 a < b 的问题 SELECT * FROM users 也请看看。<script>alert(1)</script><img src=x onerror=alert(1)>"
	ct, body := multipartBody(fields, []part{{"attachments", "../../../etc/现场.png", "image/png", pngBytes(8, 8)}})
	req := httptest.NewRequest("POST", "/api/appeals", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	rec := httptest.NewRecorder()
	h.Handler(t).ServeHTTP(rec, req)
	if rec.Code != 201 {
		t.Fatalf("odd but valid submission: %d %s", rec.Code, rec.Body.String())
	}
	list, err := h.App.FindRecordsByFilter("appeals", "title = {:t}", "", 1, 0, map[string]any{"t": fields["title"]})
	if err != nil || len(list) != 1 {
		t.Fatalf("stored verbatim: %v %v", list, err)
	}
	a := list[0]
	if a.GetString("content") != fields["content"] {
		t.Errorf("content changed: %q", a.GetString("content"))
	}
	names := a.GetStringSlice("attachments")
	if len(names) != 1 || strings.ContainsAny(names[0], `/\`) || strings.Contains(names[0], "..") {
		t.Errorf("attachment stored as %v", names)
	}
	if n, _ := h.App.CountRecords("appeals"); n != 2 {
		t.Errorf("appeals: %d", n)
	}
}
