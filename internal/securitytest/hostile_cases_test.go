package securitytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"strings"
)

// badCase is one hostile request.
type badCase struct {
	name        string
	method      string
	path        string
	contentType string
	body        []byte
	headers     []string
}

// invalidUTF8 stands in a JSON value for raw bytes that are not UTF-8
// (json.Marshal would repair them).
const invalidUTF8 = "@@INVALID_UTF8@@"

// jsonBody marshals v and puts raw invalid bytes where invalidUTF8 stands.
func jsonBody(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return bytes.ReplaceAll(data, []byte(invalidUTF8), []byte("\xff\xfe\xc3("))
}

func with(base map[string]any, field string, value any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	if value == deleteField {
		delete(out, field)
	} else {
		out[field] = value
	}
	return out
}

type deleteMarker struct{}

var deleteField = deleteMarker{}

// textAttacks are bad values for any free-text field of a form. Markup is
// not among them: free text is stored as typed and escaped by every page
// (TestOddButValidInput here, the pages' browser tests there).
func textAttacks(max int) []any {
	return []any{
		"", "   ", strings.Repeat("长", max+1), 12345, []any{"a"}, map[string]any{"a": 1}, true,
		"坏" + invalidUTF8 + "字", "空字符\x00在中间", "控制\x1b[31m字符",
	}
}

// jsonCases mutates one field of a valid body at a time.
func jsonCases(name, method, path string, valid map[string]any, bad map[string][]any, headers ...string) []badCase {
	var out []badCase
	for field, values := range bad {
		for i, v := range values {
			out = append(out, badCase{
				name: fmt.Sprintf("%s %s #%d", name, field, i), method: method, path: path,
				contentType: "application/json", body: jsonBody(with(valid, field, v)), headers: headers,
			})
		}
	}
	return out
}

// wholeBodyCases are broken bodies of any JSON endpoint.
func wholeBodyCases(name, method, path string, headers ...string) []badCase {
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	deepField := `{"title":` + strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000) + "}"
	bodies := map[string]string{
		"empty": "", "null": "null", "array": "[]", "number": "42", "truncated": `{"title":"路灯`,
		"not json": "title=路灯&content=坏了", "deep array": deep, "deep object": deepField,
		"invalid utf8": "{\"title\":\"\xff\xfe\"}", "bom only": "\ufeff",
	}
	var out []badCase
	for k, b := range bodies {
		out = append(out, badCase{name: name + " body " + k, method: method, path: path, contentType: "application/json", body: []byte(b), headers: headers})
	}
	out = append(out, badCase{name: name + " body 40 MB", method: method, path: path, contentType: "application/json",
		body: []byte(`{"title":"` + strings.Repeat("a", 40<<20) + `"}`), headers: headers})
	return out
}

type part struct {
	field, filename, contentType string
	data                         []byte
}

// multipartBody builds a multipart form with fields and files.
func multipartBody(fields map[string]string, files []part) (string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; filename="%s"`, f.field, f.filename))
		h.Set("Content-Type", f.contentType)
		w, _ := mw.CreatePart(h)
		_, _ = w.Write(f.data)
	}
	_ = mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func pngBytes(w, h int) []byte {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h)))
	return buf.Bytes()
}

func formBody(v url.Values) []byte { return []byte(v.Encode()) }
