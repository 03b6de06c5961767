package pbpublic_test

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/browser"
	"siyang/internal/testenv"
	"siyang/plugins/workflow"
)

// TestMain shares one Chromium among all the browser tests of the pages.
func TestMain(m *testing.M) { os.Exit(browser.Main(m)) }

// narrow is the smallest phone width every page must fit without
// sideways scrolling.
var narrow = browser.Viewport{Name: "narrow", Width: 320, Height: 640, Mobile: true}

// noXSS is the check every test runs on pages that show hostile text: the
// markup planted in titles, content, replies and articles sets
// window.__xss if it ever runs.
const noXSS = `window.__xss === undefined`

// site is one test app with its pages served over HTTP and the shared
// browser.
type site struct {
	*testenv.Env
	b   *browser.Browser
	url string
}

func newSite(t *testing.T) *site {
	t.Helper()
	env := testenv.New(t)
	return &site{Env: env, b: browser.Start(t), url: browser.Serve(t, env.Handler(t))}
}

// open opens a fresh page (own storage) at path.
func (s *site) open(t *testing.T, vp browser.Viewport, path string) *browser.Page {
	t.Helper()
	p := s.b.NewPage(t, vp)
	p.Go(s.url + "/" + path)
	return p
}

// checkPage fails t when the page is wider than its window, logged an
// error, or ran planted script.
func checkPage(t *testing.T, p *browser.Page, what string) {
	t.Helper()
	if p.Eval(`document.documentElement.scrollWidth <= window.innerWidth`) != true {
		t.Errorf("%s: the page is wider than the window (%v > %v)", what,
			p.Eval(`document.documentElement.scrollWidth`), p.Eval(`window.innerWidth`))
	}
	if errs := p.ConsoleErrors(); len(errs) != 0 {
		t.Errorf("%s: console errors: %q", what, errs)
	}
	if p.Eval(noXSS) != true {
		t.Errorf("%s: planted script ran", what)
	}
}

// regions adds two townships; the first is 众兴街道.
func (s *site) regions(t *testing.T) (street, town *core.Record) {
	t.Helper()
	street = s.Save(t, "regions", map[string]any{"name": "众兴街道", "code": "zhongxing", "kind": "街道"})
	town = s.Save(t, "regions", map[string]any{"name": "爱园镇", "code": "aiyuan", "kind": "乡镇"})
	return street, town
}

// article saves a published article (published an hour ago, real time:
// the collection's rule compares with the database's clock).
func (s *site) article(t *testing.T, kind, title, body string, extra map[string]any) *core.Record {
	t.Helper()
	data := map[string]any{
		"title": title, "kind": kind, "summary": title + "的摘要", "body": body, "status": "published",
		"department": s.DeptA.Id, "published_at": time.Now().Add(-time.Hour).UTC().Format("2006-01-02 15:04:05.000Z"),
	}
	for k, v := range extra {
		data[k] = v
	}
	return s.Save(t, "articles", data)
}

// serviceItem saves an active service item of department A.
func (s *site) serviceItem(t *testing.T, name string, booking bool) *core.Record {
	t.Helper()
	return s.Save(t, "service_items", map[string]any{
		"name": name, "department": s.DeptA.Id, "category": "户籍办理", "active": true, "sort": 1,
		"online_booking": booking, "conditions": "在泗阳县居住半年以上", "materials": "身份证\n居住证明",
		"process": "1. 网上预约\n2. 窗口提交材料\n3. 领取证件", "time_limit": "即办", "fees": "不收费",
		"location": "县政务服务中心二楼 12 号窗口", "phone": "0527-85000000", "hours": "工作日 8:30-12:00，14:00-17:30",
	})
}

// slotDay answers a day (China time) that is in the future both for the
// platform's clock and for the browser's real one.
func (s *site) slotDay(days int) string {
	day := time.Now().In(testenv.China)
	if s.Now.After(day) {
		day = s.Now.In(testenv.China)
	}
	return day.AddDate(0, 0, days).Format("2006-01-02")
}

func (s *site) slot(t *testing.T, item *core.Record, date, start, end string, capacity int) *core.Record {
	t.Helper()
	return s.Save(t, "appointment_slots", map[string]any{
		"service_item": item.Id, "date": date, "start": start, "end": end, "capacity": capacity,
	})
}

// publicCase answers a closed, public appeal with the given title, reply,
// category code and region.
func (s *site) publicCase(t *testing.T, status workflow.Status, title, category, region string) *core.Record {
	t.Helper()
	sub := testenv.SampleSubmission()
	sub.Title = title
	sub.Category = category
	sub.Region = region
	return s.ReachWith(t, status, sub)
}

// writePNG writes a w×h picture (a colour gradient) and answers its path.
func writePNG(t *testing.T, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	path := filepath.Join(t.TempDir(), "现场照片.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// count answers the number of records of collection matching filter.
func (s *site) count(t *testing.T, collection, filter string) int {
	t.Helper()
	n, err := s.App.CountRecords(collection)
	if filter != "" {
		var recs []*core.Record
		recs, err = s.App.FindRecordsByFilter(collection, filter, "", 0, 0)
		n = int64(len(recs))
	}
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}
