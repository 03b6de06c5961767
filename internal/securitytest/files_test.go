package securitytest

import (
	"testing"
)

// TestProtectedFiles: a case's attachments are protected files. Nobody
// downloads one without a file token; with their own token, exactly the
// principals who may view the case do.
func TestProtectedFiles(t *testing.T) {
	w := newWorld(t)
	names := w.X.GetStringSlice("attachments")
	if len(names) != 1 {
		t.Fatalf("fixture attachment: %v", names)
	}
	url := "/api/files/appeals/" + w.X.Id + "/" + names[0]
	canView := set("res hA hB " + central)
	cases := 0
	for _, p := range w.principals() {
		if res := w.call(t, p, "GET", url, nil); res.Status == 200 {
			t.Errorf("%s downloads without a file token", p.name)
		}
		cases++
		tok := w.call(t, p, "POST", "/api/files/token", nil)
		var body struct{ Token string }
		if tok.Status == 200 {
			tok.JSON(t, &body)
		}
		res := w.call(t, p, "GET", url+"?token="+body.Token, nil)
		cases++
		if (res.Status == 200) != canView[p.name] {
			t.Errorf("%s with own file token: %d, want allowed=%v", p.name, res.Status, canView[p.name])
		}
		// thumbnails too
		res = w.call(t, p, "GET", url+"?thumb=200x200&token="+body.Token, nil)
		cases++
		if (res.Status == 200) != canView[p.name] {
			t.Errorf("%s thumbnail: %d, want allowed=%v", p.name, res.Status, canView[p.name])
		}
	}
	matrixCases.Add(int64(cases))
}
