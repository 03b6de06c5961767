package workflow_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"siyang/internal/testenv"
)

// scenarioEnv runs each ApiScenario on a fresh Env and keeps it for checks.
type scenarioEnv struct{ env *testenv.Env }

func (s *scenarioEnv) factory(t testing.TB) *tests.TestApp {
	s.env = testenv.New(t)
	return s.env.App
}

// nothingStored checks that a refused submission left no trace.
func (s *scenarioEnv) nothingStored(t testing.TB, app *tests.TestApp, res *http.Response) {
	for _, c := range []string{"appeals", "appeal_events", "ticket_counters"} {
		if n, _ := app.CountRecords(c); n != 0 {
			t.Errorf("refused submission left %d %s rows", n, c)
		}
	}
}

func jsonBody(v any) *strings.Reader {
	b, _ := json.Marshal(v)
	return strings.NewReader(string(b))
}

func submission(change func(map[string]any)) *strings.Reader {
	m := map[string]any{
		"kind": "complaint", "title": "幸福小区门口路灯不亮", "content": "幸福小区北门路灯已经坏了一个月，晚上出行很不安全。",
		"address": "众兴街道幸福小区北门", "contact_name": "李四", "contact_phone": "139 1234 5678", "public_consent": true,
	}
	if change != nil {
		change(m)
	}
	return jsonBody(m)
}

// multipartBody builds a form with the sample fields and the given files.
func multipartBody(files map[string][]byte) (*bytes.Buffer, string) {
	buf := &bytes.Buffer{}
	w := multipart.NewWriter(buf)
	for k, v := range map[string]string{"kind": "help", "title": "路面塌陷需要处理", "content": "人民路与北京路交叉口路面塌陷，车辆通行危险。", "contact_name": "王五", "contact_phone": "0527-88881234"} {
		w.WriteField(k, v)
	}
	for name, data := range files {
		part, _ := w.CreateFormFile("attachments", name)
		part.Write(data)
	}
	w.Close()
	return buf, w.FormDataContentType()
}

func pngBytes() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	img.Set(1, 1, color.RGBA{200, 0, 0, 255})
	buf := &bytes.Buffer{}
	png.Encode(buf, img)
	return buf.Bytes()
}

func TestIntake(t *testing.T) {
	s := &scenarioEnv{}
	okPNG, pngType := multipartBody(map[string][]byte{"路面.png": pngBytes()})
	fakeJPG, fakeType := multipartBody(map[string][]byte{"photo.jpg": []byte("#!/bin/sh\nrm -rf /\n")})
	tenFiles := map[string][]byte{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		tenFiles[n+".png"] = pngBytes()
	}
	tooMany, manyType := multipartBody(tenFiles)

	scenarios := []tests.ApiScenario{
		{
			Name: "a resident submits and gets ticket and query code", Method: "POST", URL: "/api/appeals",
			Body: submission(nil), ExpectedStatus: 201,
			ExpectedContent:    []string{`"ticket":"SY`, `"query_code":"`, `"status":"submitted"`, "提交成功"},
			NotExpectedContent: []string{"13912345678", "李四"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				a, err := app.FindFirstRecordByData("appeals", "channel", "web")
				if err != nil {
					t.Fatal(err)
				}
				if a.GetString("contact_phone") != "13912345678" || a.GetString("due_accept") == "" {
					t.Errorf("stored appeal: phone %q due %q", a.GetString("contact_phone"), a.GetString("due_accept"))
				}
				if n, _ := app.CountRecords("appeal_events"); n != 1 {
					t.Errorf("want the submit event, got %d events", n)
				}
			},
		},
		{
			Name: "every missing field is named", Method: "POST", URL: "/api/appeals", Body: strings.NewReader(`{}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"kind":`, `"title":`, `"content":`, `"contact_name":`, `"contact_phone":`, "请填写"},
		},
		{
			Name: "malformed phone", Method: "POST", URL: "/api/appeals",
			Body:           submission(func(m map[string]any) { m["contact_phone"] = "12345" }),
			ExpectedStatus: 400, ExpectedContent: []string{`"contact_phone":`, "有效的手机号"},
		},
		{
			Name: "title too long", Method: "POST", URL: "/api/appeals",
			Body:           submission(func(m map[string]any) { m["title"] = strings.Repeat("长", 101) }),
			ExpectedStatus: 400, ExpectedContent: []string{`"title":`, "不能超过 100 个字"},
		},
		{
			Name: "control characters", Method: "POST", URL: "/api/appeals",
			Body:           submission(func(m map[string]any) { m["content"] = "正常内容正常内容\u0000\u0007隐藏" }),
			ExpectedStatus: 400, ExpectedContent: []string{`"content":`, "无效字符"},
		},
		{
			Name: "unknown kind and category", Method: "POST", URL: "/api/appeals",
			Body:           submission(func(m map[string]any) { m["kind"] = "praise"; m["category"] = "nope" }),
			ExpectedStatus: 400, ExpectedContent: []string{`"kind":`, `"category":`},
		},
		{
			Name: "half a map point", Method: "POST", URL: "/api/appeals",
			Body:           submission(func(m map[string]any) { m["lat"] = 33.7 }),
			ExpectedStatus: 400, ExpectedContent: []string{`"lat":`, "经度和纬度"},
		},
		{
			Name: "wrong JSON types", Method: "POST", URL: "/api/appeals", Body: strings.NewReader(`{"title":["x"],"kind":5}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"title":`, "格式不正确"},
		},
		{
			Name: "a handler may not register appeals", Method: "POST", URL: "/api/appeals", Body: submission(nil),
			Headers:        map[string]string{"Authorization": "handler"},
			ExpectedStatus: 403, ExpectedContent: []string{"只有平台话务员"},
		},
		{
			Name: "an operator registers a phoned-in appeal", Method: "POST", URL: "/api/appeals",
			Body:           submission(func(m map[string]any) { m["channel"] = "phone" }),
			Headers:        map[string]string{"Authorization": "operator"},
			ExpectedStatus: 201, ExpectedContent: []string{`"ticket":"SY`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				a, err := app.FindFirstRecordByData("appeals", "channel", "phone")
				if err != nil || a.GetString("registered_by") == "" {
					t.Errorf("operator registration not recorded: %v %v", a, err)
				}
			},
		},
		{
			Name: "an operator cannot pretend to be the web", Method: "POST", URL: "/api/appeals",
			Body:           submission(func(m map[string]any) { m["channel"] = "web" }),
			Headers:        map[string]string{"Authorization": "operator"},
			ExpectedStatus: 400, ExpectedContent: []string{`"channel":`},
		},
		{
			Name: "a photo attachment", Method: "POST", URL: "/api/appeals", Body: okPNG,
			Headers: map[string]string{"Content-Type": pngType}, ExpectedStatus: 201, ExpectedContent: []string{`"ticket":"SY`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				a, _ := app.FindFirstRecordByData("appeals", "kind", "help")
				if a == nil || len(a.GetStringSlice("attachments")) != 1 || a.GetString("contact_phone") != "0527-88881234" {
					t.Errorf("attachment or landline not stored: %v", a)
				}
			},
		},
		{
			Name: "a script named .jpg", Method: "POST", URL: "/api/appeals", Body: fakeJPG,
			Headers: map[string]string{"Content-Type": fakeType}, ExpectedStatus: 400,
			ExpectedContent: []string{`"attachments":`, "photo.jpg", "不支持"},
		},
		{
			Name: "ten attachments", Method: "POST", URL: "/api/appeals", Body: tooMany,
			Headers: map[string]string{"Content-Type": manyType}, ExpectedStatus: 400,
			ExpectedContent: []string{`"attachments":`, "最多 9 个"},
		},
	}
	for i := range scenarios {
		sc := &scenarios[i]
		sc.TestAppFactory = s.factory
		if sc.ExpectedStatus >= 400 {
			sc.AfterTestFunc = s.nothingStored
		}
		if who := sc.Headers["Authorization"]; who == "handler" || who == "operator" {
			// the token exists only once the scenario's app is built
			sc.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				staff := map[string]*core.Record{"handler": s.env.HandlerA, "operator": s.env.Operator}[who]
				sc.Headers = map[string]string{"Authorization": testenv.Token(t, staff)}
			}
		}
		sc.Test(t)
	}
}
