package pbpublic_test

import (
	"image"
	_ "image/jpeg" // the stored photo must be a JPEG
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"siyang/internal/browser"
	"siyang/plugins/workflow"
)

// TestResidentLoopInBrowser walks a resident through the whole loop on a
// phone: the home page's 投诉 entry, the form with a photo (compressed in
// the browser), the similar-answers hint, the receipt (copy, save as
// picture), then staff handle the case, and the resident tracks it, reads
// the reply and rates it until it is 已办结. Markup in the title, content
// and reply is shown as text and never runs.
func TestResidentLoopInBrowser(t *testing.T) {
	s := newSite(t)
	street, _ := s.regions(t)
	s.publicCase(t, workflow.Closed, "幸福小区门口路灯不亮", "urban", "zhongxing") // for the similar-answers hint
	photo := writePNG(t, 2000, 1500)

	title := `幸福小区门口路灯又不亮了<script>window.__xss=1</script>`
	content := `幸福小区北门路灯又坏了三天，晚上很黑，老人出门不方便。<img src=x onerror="window.__xss=1">`
	reply := `经现场核查，北门路灯控制器损坏，已于今日更换。<img src=x onerror="window.__xss=1">`

	p := s.open(t, browser.Phone, "")
	p.Click(`.quick a[href="submit.html?kind=complaint"]`)
	p.WaitFor(`document.querySelector('input[name=kind][value=complaint]').checked`)
	if p.Eval(`document.getElementById("map-part").hidden`) != true {
		t.Error("the map shows although no tile server is configured")
	}
	p.Fill("#title", title)
	p.Fill("#content", content)
	p.Select("#category", "城乡建设")
	p.Select("#region", "众兴街道")
	p.Fill("#address", "众兴街道幸福小区北门")
	p.SetFiles("#photos", photo)
	p.WaitText("#photos-status", "已添加 1 张照片")
	p.WaitVisible("#photo-list img")
	p.Fill("#contact_name", "王小明")
	p.Fill("#contact_phone", "139 1234 5678")
	p.Click("#public_consent")
	p.Screenshot("1-form")

	// Before sending: the answered case about the same lamp.
	p.Click("#send")
	p.WaitText("#similar", "这些答复可能已解决您的问题")
	p.WaitText("#similar", "幸福小区门口路灯不亮")
	p.Screenshot("2-similar")
	p.Click("#send-anyway")

	ticket := p.WaitText("#receipt-ticket", "SY")
	code := p.Text("#receipt-code")
	if !regexp.MustCompile(`^[23456789A-HJKMNP-Z]{6}$`).MatchString(code) {
		t.Fatalf("query code %q", code)
	}
	p.Screenshot("3-receipt")
	checkPage(t, p, "receipt")

	// The copy buttons say what they did; 保存为图片 downloads a PNG.
	p.Click("#copy-code")
	p.WaitFor(`document.getElementById("sy-live").textContent.includes("复制")`)
	p.Eval(`HTMLAnchorElement.prototype.click = function () { window.__download = { name: this.download, href: this.href }; }`)
	p.Click("#save-receipt")
	p.WaitFor(`window.__download`)
	var dl struct{ Name, Magic string }
	p.EvalInto(`fetch(window.__download.href).then((r) => r.arrayBuffer()).then((b) => ({ name: window.__download.name, magic: Array.from(new Uint8Array(b).slice(0, 4)).join(",") }))`, &dl)
	if dl.Name != "诉求回执-"+ticket+".png" || dl.Magic != "137,80,78,71" {
		t.Errorf("saved receipt %q with bytes %s, want a PNG named after %s", dl.Name, dl.Magic, ticket)
	}
	p.WaitVisible("#receipt-image img")

	// What was stored: the fields, and the photo as a JPEG of at most 1600 px.
	appeal, err := s.App.FindFirstRecordByData("appeals", "ticket", ticket)
	if err != nil {
		t.Fatalf("ticket %s not stored: %v", ticket, err)
	}
	if appeal.GetString("title") != title || appeal.GetString("content") != content || appeal.GetString("kind") != "complaint" ||
		appeal.GetString("region") != street.Id || appeal.GetString("contact_phone") != "13912345678" ||
		!appeal.GetBool("public_consent") || appeal.GetString("channel") != "web" {
		t.Errorf("stored %v", appeal.PublicExport())
	}
	files := appeal.GetStringSlice("attachments")
	if len(files) != 1 || !strings.HasSuffix(files[0], ".jpg") {
		t.Fatalf("attachments %q, want one .jpg", files)
	}
	fsys, err := s.App.NewFilesystem()
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	r, err := fsys.GetReader(appeal.BaseFilesPath() + "/" + files[0])
	if err != nil {
		t.Fatal(err)
	}
	cfg, format, err := image.DecodeConfig(r)
	r.Close()
	if err != nil || format != "jpeg" || cfg.Width != 1600 || cfg.Height != 1200 {
		t.Errorf("stored photo: %s %dx%d (%v), want a 1600x1200 JPEG", format, cfg.Width, cfg.Height, err)
	}

	// The platform and the department handle it.
	appeal = s.Do(t, appeal, "accept", s.Operator, workflow.Input{})
	appeal = s.Do(t, appeal, "dispatch", s.Operator, workflow.Input{Department: s.DeptA.Id})
	appeal = s.Do(t, appeal, "sign", s.HandlerA, workflow.Input{})
	appeal = s.Do(t, appeal, "reply", s.HandlerA, workflow.Input{Content: reply})
	s.Do(t, appeal, "approve_reply", s.Operator, workflow.Input{})

	// The receipt's link prefills the ticket; the resident adds the code.
	p.Click("#receipt-track")
	p.WaitFor(`document.getElementById("ticket").value === "` + ticket + `"`)
	p.Fill("#query_code", code)
	p.Click("#remember")
	p.Click("#track-form button[type=submit]")
	p.WaitText("#result .status", "待回访")
	if got := p.Text("#reply"); got != reply {
		t.Errorf("reply shown as %q, want the text %q", got, reply)
	}
	if got := p.Text("#result h2"); !strings.Contains(got, title) {
		t.Errorf("heading %q does not show the title as text", got)
	}
	// The only pictures are the resident's own photo, as an attachment.
	if p.Eval(`document.querySelectorAll("#result img").length === document.querySelectorAll("#result .files img").length`) != true || p.Exists("#result script") {
		t.Error("markup of the case became elements")
	}
	p.WaitFor(`document.querySelector("#result .files img").naturalWidth === 1600`)
	p.WaitVisible("#rate")
	p.Screenshot("4-track-reply")

	// Rating without choosing: the page asks for both answers.
	p.Click("#rate-send")
	p.WaitText("#rate-satisfaction-error", "请选择满意度")
	p.WaitText("#rate-resolved-error", "请选择问题是否已解决")
	p.Click(`input[name=satisfaction][value=satisfied]`)
	p.Click(`input[name=resolved][value="true"]`)
	p.Fill("#rate-note", "修得很快，谢谢！")
	p.Click("#rate-send")
	p.WaitText("#result .status", "已办结")
	p.WaitText("#result .notice", "感谢您的评价")
	if p.Eval(`document.getElementById("rate").hidden`) != true {
		t.Error("the rating form stays after rating")
	}
	p.Screenshot("5-closed")
	checkPage(t, p, "track")
	appeal, _ = s.App.FindRecordById("appeals", appeal.Id)
	if appeal.GetString("status") != "closed" || appeal.GetString("satisfaction") != "satisfied" {
		t.Errorf("after rating: status %q, satisfaction %q", appeal.GetString("status"), appeal.GetString("satisfaction"))
	}

	// 在本设备记住: the case comes back after a reload, in this tab only.
	p.Go(s.url + "/track.html")
	p.WaitText("#result .status", "已办结")

	// The public page shows it masked, as text, without contact data.
	p.Go(s.url + "/appeal.html?id=" + appeal.Id)
	p.WaitText("#reply", "控制器损坏")
	body := p.Text("main")
	if !strings.Contains(body, "<script>") || strings.Contains(body, "王小明") || strings.Contains(body, "13912345678") {
		t.Errorf("public page text: %q", body)
	}
	checkPage(t, p, "public appeal")
}

// TestSubmitErrorsInBrowser: wrong input gets the specific Chinese message
// beside each field, from the page's own checks and from the server's 400,
// and nothing is stored; a lost connection keeps the form and a retry sends
// it once the connection is back.
func TestSubmitErrorsInBrowser(t *testing.T) {
	s := newSite(t)
	s.regions(t)
	p := s.open(t, narrow, "submit.html")
	p.WaitFor(`document.getElementById("category").options.length > 1`)

	// Nothing filled in.
	p.Click("#send")
	for field, want := range map[string]string{
		"kind":          "请选择诉求类型",
		"title":         "请填写标题",
		"content":       "请填写诉求内容",
		"contact_name":  "请填写联系人姓名",
		"contact_phone": "请填写联系电话",
	} {
		p.WaitText("#"+field+"-error", want)
	}
	p.WaitText("#form-error", "请按各项下方的提示修改")
	if p.Eval(`document.activeElement.name`) != "kind" {
		t.Errorf("focus is on %v, want the first field with a problem", p.Eval(`document.activeElement.outerHTML`))
	}
	p.Screenshot("1-empty")

	// Too short, too long, a bad phone number.
	p.Click(`input[name=kind][value=help]`)
	p.Fill("#title", "路灯")
	p.Fill("#content", "太短了")
	p.Fill("#contact_name", "张三")
	p.Fill("#contact_phone", "1391234")
	p.Click("#send")
	p.WaitText("#title-error", "标题太短，至少需要 4 个字")
	p.WaitText("#content-error", "诉求内容太短，至少需要 10 个字")
	p.WaitText("#contact_phone-error", "请输入有效的手机号（11 位）或带区号的固定电话")
	if p.Eval(`document.getElementById("kind-error").textContent`) != "" || p.Exists("#contact_name[aria-invalid]") {
		t.Error("the errors of fixed fields stay")
	}
	p.Fill("#title", strings.Repeat("路", 101))
	p.Click("#send")
	p.WaitText("#title-error", "标题不能超过 100 个字（当前 101 字）")
	p.Screenshot("2-invalid")
	checkPage(t, p, "invalid")

	// The server's own 400, shown beside its field: a category that is no
	// longer there (an old page kept open while an admin removed it).
	p.Fill("#title", "小区门口积水严重")
	p.Fill("#content", "小区门口下雨就积水，车辆和行人都无法通行。")
	p.Fill("#contact_phone", "0527-88881234")
	p.Eval(`document.getElementById("category").append(new Option("已删除的分类", "nosuchcategory1"))`)
	p.Select("#category", "nosuchcategory1")
	p.Click("#send")
	p.WaitText("#category-error", "所选分类不存在")
	if n := s.count(t, "appeals", ""); n != 0 {
		t.Fatalf("%d appeals stored from invalid forms", n)
	}

	// The connection drops while sending: a message and 重试; the form keeps
	// what was typed, and the retry sends it once.
	p.Select("#category", "")
	p.BlockURL("*/api/appeals")
	p.Click("#send")
	p.WaitText("#form-error", "网络连接失败")
	p.Screenshot("3-offline")
	if p.Value("#title") != "小区门口积水严重" {
		t.Error("the form lost its text")
	}
	p.UnblockAll()
	p.Click("#form-error .retry")
	p.WaitText("#receipt-ticket", "SY")
	if n := s.count(t, "appeals", ""); n != 1 {
		t.Errorf("%d appeals stored, want 1", n)
	}
	checkPage(t, p, "after retry")
}

// TestSubmitMapWhenConfigured: with a tile server named in config.js the
// form shows the map, and a tap on it sends the place with the appeal.
func TestSubmitMapWhenConfigured(t *testing.T) {
	s := newSite(t)
	tile := writePNG(t, 256, 256)
	app := s.Handler(t)
	url := browser.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/config.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, `window.SY_CONFIG = { map: { tiles: "/tiles/{z}/{x}/{y}.png", attribution: "测试地图", center: [33.7215, 118.6985], zoom: 14 } };`)
		case strings.HasPrefix(r.URL.Path, "/tiles/"):
			http.ServeFile(w, r, tile)
		default:
			app.ServeHTTP(w, r)
		}
	}))
	p := s.b.NewPage(t, browser.Phone)
	p.Go(url + "/submit.html?kind=consult")
	p.WaitVisible("#map img")
	p.Click("#map")
	p.WaitText("#map-status", "已标出位置")
	p.WaitVisible("#map .pin")
	p.Screenshot("map")
	p.Fill("#title", "咨询居住证办理地点")
	p.Fill("#content", "请问在哪里办理居住证，需要带什么材料？")
	p.Fill("#contact_name", "李四")
	p.Fill("#contact_phone", "13800001111")
	p.Click("#send")
	ticket := p.WaitText("#receipt-ticket", "SY")
	appeal, err := s.App.FindFirstRecordByData("appeals", "ticket", ticket)
	if err != nil {
		t.Fatal(err)
	}
	loc := appeal.GetGeoPoint("location")
	if loc.Lat < 33.70 || loc.Lat > 33.74 || loc.Lon < 118.68 || loc.Lon > 118.72 {
		t.Errorf("stored location %+v, want near the map's centre", loc)
	}
	checkPage(t, p, "map")
}
