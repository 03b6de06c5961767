package securitytest

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// hostileWorld is a small fixture: a case Z being handled by department
// A (with its query code), department A's key, an Open311 key and
// service, and a bookable slot.
type hostileWorld struct {
	*testenv.Env
	Z                 *core.Record
	codeZ             string
	keyA, o311, slot  string
	validIntake       map[string]any
	validOpen311      url.Values
	storedCollections []string
}

func newHostileWorld(t *testing.T) *hostileWorld {
	t.Helper()
	env := testenv.New(t)
	h := &hostileWorld{Env: env}
	receipt, err := env.Engine.Submit(env.App, submission(nameZ, phoneZ), workflow.ActorFromAuth(env.Resident))
	if err != nil {
		t.Fatal(err)
	}
	h.codeZ = receipt.QueryCode
	h.Z = env.Do(t, receipt.Appeal, "accept", env.Operator, workflow.Input{})
	h.Z = env.Do(t, h.Z, "dispatch", env.Operator, workflow.Input{Department: env.DeptA.Id})
	h.Z = env.Do(t, h.Z, "sign", env.HandlerA, workflow.Input{})
	w := &world{Env: env}
	h.keyA, _ = w.issue(t, "department", env.DeptA.Id)
	h.o311, _ = w.issue(t, "open311", "")
	env.Save(t, "categories", map[string]any{"name": "测试路灯", "code": "t-lamp", "public": true, "sort": 1})
	item := env.Save(t, "service_items", map[string]any{"name": "居住证办理", "department": env.DeptA.Id, "active": true, "online_booking": true})
	h.slot = env.Save(t, "appointment_slots", map[string]any{"service_item": item.Id, "date": "2026-12-01", "start": "09:00", "end": "09:30", "capacity": 5}).Id
	h.validIntake = map[string]any{
		"kind": "complaint", "title": "小区路灯不亮", "content": "小区北门路灯坏了一个月，请尽快修复。",
		"address": "众兴街道幸福小区", "contact_name": "张三", "contact_phone": "13800000000",
	}
	h.validOpen311 = url.Values{
		"api_key": {h.o311}, "service_code": {"t-lamp"}, "lat": {"33.72"}, "long": {"118.68"},
		"address_string": {"众兴街道幸福小区北门"}, "description": {"幸福小区北门路灯已经坏了一个月，晚上出行很不安全。"},
		"first_name": {"四"}, "last_name": {"李"}, "phone": {"13912345678"}, "email": {"lisi@example.com"},
	}
	h.storedCollections = []string{"appeals", "appeal_events", "assignments", "replies", "extensions", "callbacks",
		"outbox", "appointments", "users", "staff", "api_keys"}
	return h
}

// corpus builds every hostile request.
func (h *hostileWorld) corpus() []badCase {
	var cases []badCase
	phoneAttacks := []any{"", "12345", "1380000000a", "23800000000", "13800000000' OR '1'='1", "138000000001234567890",
		13800000000, "坏" + invalidUTF8, "<script>alert(1)</script>"}
	idAttacks := []any{"", "no-such-record", "' OR 1=1 --", "../../etc/passwd", 1, []any{}}

	// intake, JSON
	cases = append(cases, jsonCases("intake", "POST", "/api/appeals", h.validIntake, map[string][]any{
		"kind":           {"", "complain", 1, []any{}, "<script>", invalidUTF8},
		"title":          append(textAttacks(100), "短"),
		"content":        append(textAttacks(5000), "太短了"),
		"address":        {strings.Repeat("路", 201), "地址\x00", map[string]any{"a": 1}, []any{}, "坏" + invalidUTF8},
		"contact_name":   {"", strings.Repeat("名", 41), "<b>张三</b>", "张\x00三", 1, "张" + invalidUTF8, "张\x1b三", deleteField},
		"contact_phone":  append(phoneAttacks, deleteField),
		"lat":            {"abc", 91.0, json.RawMessage("1e400"), []any{}},
		"lon":            {"abc", 181.0, true},
		"category":       {"' OR 1=1 --", "no-such-category", 1, "../../etc"},
		"region":         {"' OR 1=1 --", "no-such-region", 1},
		"public_consent": {"maybe", 2, []any{}},
	})...)
	cases = append(cases, badCase{name: "intake lat without lon", method: "POST", path: "/api/appeals",
		contentType: "application/json", body: jsonBody(with(h.validIntake, "lat", 33.7))})
	cases = append(cases, wholeBodyCases("intake", "POST", "/api/appeals")...)
	cases = append(cases, badCase{name: "intake as text/plain", method: "POST", path: "/api/appeals", contentType: "text/plain", body: jsonBody(h.validIntake)})

	// intake, multipart with bad files
	fields := map[string]string{}
	for k, v := range h.validIntake {
		fields[k] = v.(string)
	}
	png := pngBytes(4, 4)
	files := map[string][]part{
		"exe named png":      {{"attachments", "photo.png", "image/png", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 512)...)}},
		"html named jpg":     {{"attachments", "photo.jpg", "image/jpeg", []byte("<html><script>alert(1)</script></html>")}},
		"svg with script":    {{"attachments", "x.png", "image/png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)}},
		"path trick passwd":  {{"attachments", "../../../etc/passwd", "text/plain", []byte("root:x:0:0:root:/root:/bin/bash\n")}},
		"windows path trick": {{"attachments", `..\..\windows\system32\cmd.exe`, "application/octet-stream", []byte("MZ\x90\x00")}},
		"null in file name":  {{"attachments", "a\x00.png", "image/png", []byte("not an image at all")}},
		"shell script":       {{"attachments", "run.sh", "text/x-shellscript", []byte("#!/bin/sh\nrm -rf /\n")}},
		"empty file":         {{"attachments", "empty.png", "image/png", nil}},
		"11 MB file":         {{"attachments", "big.jpg", "image/jpeg", append([]byte{0xff, 0xd8, 0xff, 0xe0}, make([]byte, 11<<20)...)}},
		"pixel bomb":         {{"attachments", "bomb.png", "image/png", pixelBomb(60000, 60000)}},
		"ten files":          repeatPart(part{"attachments", "p.png", "image/png", png}, 10),
		"zip named docx":     {{"attachments", "a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", []byte("PK\x03\x04garbage")}},
	}
	for name, fs := range files {
		ct, body := multipartBody(fields, fs)
		cases = append(cases, badCase{name: "intake multipart " + name, method: "POST", path: "/api/appeals", contentType: ct, body: body})
	}
	ct, body := multipartBody(fields, nil)
	cases = append(cases,
		badCase{name: "intake multipart without boundary", method: "POST", path: "/api/appeals", contentType: "multipart/form-data", body: body},
		badCase{name: "intake multipart truncated", method: "POST", path: "/api/appeals", contentType: ct, body: body[:len(body)/2]},
		badCase{name: "intake multipart wrong boundary", method: "POST", path: "/api/appeals", contentType: "multipart/form-data; boundary=nope", body: body},
	)
	badTitle := map[string]string{}
	for k, v := range fields {
		badTitle[k] = v
	}
	badTitle["title"] = "坏\xff\xfe字标题"
	ct, body = multipartBody(badTitle, nil)
	cases = append(cases, badCase{name: "intake multipart invalid utf8 title", method: "POST", path: "/api/appeals", contentType: ct, body: body})

	// tracking
	ticket := h.Z.GetString("ticket")
	cases = append(cases, jsonCases("track", "POST", "/api/track", map[string]any{"ticket": ticket, "query_code": "ABCDEF"}, map[string][]any{
		"ticket":     {"", strings.Repeat("S", 10000), "SY' OR 1=1 --", 1, []any{}, invalidUTF8, "../../etc/passwd"},
		"query_code": {"", strings.Repeat("A", 10000), 1, map[string]any{}, invalidUTF8, "' OR '1'='1"},
	})...)
	cases = append(cases, wholeBodyCases("track", "POST", "/api/track")...)

	// the resident's supplement with the query code
	cases = append(cases, jsonCases("supplement", "POST", "/api/appeals/"+h.Z.Id+"/actions/supplement",
		map[string]any{"query_code": h.codeZ, "note": "补充：路灯位置在北门东侧第二根。"}, map[string][]any{
			"note":       {"", strings.Repeat("补", 2001), "空字符\x00", "坏" + invalidUTF8, 1, []any{}},
			"query_code": {"", "WRONG2", 1, invalidUTF8},
		})...)

	// booking, lookup, cancel
	cases = append(cases, jsonCases("booking", "POST", "/api/portal/appointments",
		map[string]any{"slot": h.slot, "name": "张三", "phone": "13800000000"}, map[string][]any{
			"slot":  idAttacks,
			"name":  append(textAttacks(40)[:4], "坏"+invalidUTF8, "空字符\x00", "<script>alert(1)</script>", "<b>张三</b>"),
			"phone": phoneAttacks,
		})...)
	cases = append(cases, wholeBodyCases("booking", "POST", "/api/portal/appointments")...)
	for _, ep := range []string{"lookup", "cancel"} {
		cases = append(cases, jsonCases(ep, "POST", "/api/portal/appointments/"+ep,
			map[string]any{"code": "ABCD2345", "phone": "13800000000"}, map[string][]any{
				"code":  {"", strings.Repeat("C", 10000), 1, invalidUTF8, "' OR 1=1 --"},
				"phone": {"", "12345", 1, invalidUTF8},
			})...)
	}

	// Open311 form posts
	o311 := map[string][]string{
		"api_key":        {"", "wrong-key"},
		"service_code":   {"", "nope", "' OR 1=1 --"},
		"description":    {"", strings.Repeat("述", 5001), "空字符\x00在描述里的内容", "坏\xff\xfe描述内容足够长了吧"},
		"lat":            {"abc", "91", "NaN"},
		"long":           {"abc", "181", "Inf"},
		"email":          {"not-an-email", "a@b@c", strings.Repeat("e", 300) + "@example.com"},
		"phone":          {"12345", "abc", "13800000000' OR '1'='1"},
		"first_name":     {strings.Repeat("名", 41), "<b>四</b>", "四\x00"},
		"media_url":      {"javascript:alert(1)", "file:///etc/passwd", "not a url"},
		"address_string": {strings.Repeat("址", 201), "址\x00"},
	}
	for field, values := range o311 {
		for i, v := range values {
			form := url.Values{}
			for k, vs := range h.validOpen311 {
				form[k] = vs
			}
			form.Set(field, v)
			cases = append(cases, badCase{name: "open311 " + field + " #" + string(rune('0'+i)), method: "POST",
				path: "/open311/v2/requests.json", contentType: "application/x-www-form-urlencoded", body: formBody(form)})
		}
	}
	cases = append(cases,
		badCase{name: "open311 empty", method: "POST", path: "/open311/v2/requests.json", contentType: "application/x-www-form-urlencoded"},
		badCase{name: "open311 broken multipart", method: "POST", path: "/open311/v2/requests.json", contentType: "multipart/form-data; boundary=x", body: []byte("--x\r\nbroken")},
		badCase{name: "open311 xml body", method: "POST", path: "/open311/v2/requests.xml", contentType: "application/xml", body: []byte("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")},
	)

	// department system API
	dept := "/api/dept/v1/tasks/" + h.Z.Id + "/actions/"
	cases = append(cases, jsonCases("dept reply", "POST", dept+"reply", map[string]any{"content": "经现场核查，路灯线路老化，已更换完毕。"}, map[string][]any{
		"content": textAttacks(10000),
	}, "X-Api-Key", h.keyA)...)
	cases = append(cases, jsonCases("dept extension", "POST", dept+"request_extension", map[string]any{"days": 3, "note": "需要协调供电公司"}, map[string][]any{
		"days": {-1, 0, "abc", 1e9, []any{}, json.RawMessage("1e400")},
		"note": {"", strings.Repeat("说", 2001), "坏" + invalidUTF8},
	}, "X-Api-Key", h.keyA)...)
	for _, path := range []string{dept + "drop_table", "/api/dept/v1/tasks/..%2F..%2Fetc%2Fpasswd/actions/reply", "/api/dept/v1/tasks/' OR 1=1/actions/reply"} {
		cases = append(cases, badCase{name: "dept " + path, method: "POST", path: strings.ReplaceAll(path, " ", "%20"), contentType: "application/json",
			body: []byte(`{"content":"经现场核查，已处理完毕。"}`), headers: []string{"X-Api-Key", h.keyA}})
	}
	cases = append(cases, wholeBodyCases("dept reply", "POST", dept+"reply", "X-Api-Key", h.keyA)...)

	// sign-in and resident registration
	cases = append(cases, jsonCases("staff sign-in", "POST", "/api/collections/staff/auth-with-password",
		map[string]any{"identity": h.HandlerA.Email(), "password": "wrong-password"}, map[string][]any{
			"identity": {"", strings.Repeat("i", 300), map[string]any{}, invalidUTF8, "' OR 1=1 --"},
			"password": {"", strings.Repeat("p", 300), []any{}, invalidUTF8},
		})...)
	cases = append(cases, jsonCases("registration", "POST", "/api/collections/users/records",
		map[string]any{"email": "new@example.com", "password": "password-123", "passwordConfirm": "password-123", "name": "居民"}, map[string][]any{
			"email":           {"", "not-an-email", strings.Repeat("e", 300) + "@example.com", "坏" + invalidUTF8 + "@example.com", "resident1@example.com"},
			"password":        {"", "1", strings.Repeat("p", 1000)},
			"passwordConfirm": {"different-123"},
			"name":            {strings.Repeat("名", 300), "坏" + invalidUTF8},
		})...)
	return cases
}

func repeatPart(p part, n int) []part {
	out := make([]part, n)
	for i := range out {
		out[i] = p
	}
	return out
}

// pixelBomb is a tiny PNG whose header claims w×h pixels (decoding it
// would take gigabytes).
func pixelBomb(w, h uint32) []byte {
	var buf bytes.Buffer
	buf.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&buf, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		buf.WriteString(typ)
		buf.Write(data)
		_ = binary.Write(&buf, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 0 // 8-bit grayscale
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return buf.Bytes()
}

// TestHostileInput: every bad request gets a 4xx with a message, and
// nothing is stored.
func TestHostileInput(t *testing.T) {
	h := newHostileWorld(t)
	count := func() map[string]int {
		out := map[string]int{}
		for _, c := range h.storedCollections {
			n, err := h.App.CountRecords(c)
			if err != nil {
				t.Fatal(err)
			}
			out[c] = int(n)
		}
		return out
	}
	before := count()
	cases := h.corpus()
	if len(cases) < 200 {
		t.Fatalf("corpus has %d cases, want at least 200", len(cases))
	}
	for _, c := range cases {
		req := httptest.NewRequest(c.method, c.path, bytes.NewReader(c.body))
		if c.contentType != "" {
			req.Header.Set("Content-Type", c.contentType)
		}
		for i := 0; i+1 < len(c.headers); i += 2 {
			req.Header.Set(c.headers[i], c.headers[i+1])
		}
		rec := httptest.NewRecorder()
		h.Handler(t).ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("%s: %d %s", c.name, rec.Code, clip(body))
		} else if !strings.Contains(body, "message") && !strings.Contains(body, "description") {
			t.Errorf("%s: %d without a message: %s", c.name, rec.Code, clip(body))
		}
		after := count()
		for k, n := range after {
			if n != before[k] {
				t.Errorf("%s: %s went from %d to %d rows", c.name, k, before[k], n)
				before[k] = n
			}
		}
	}
	t.Logf("hostile inputs tried: %d, every one answered 4xx with nothing stored", len(cases))
	hostileCases.Store(int64(len(cases)))
}
