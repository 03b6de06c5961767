package crashtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// snapshotCollections are compared before the backup and after the restore.
var snapshotCollections = []string{"appeals", "appeal_events", "audit_log", "ticket_counters", "departments", "categories", "users", "staff"}

// TestBackupRestoreRoundTrip: the daily schedule is set; a backup taken
// while serving, restored after more changes, gives back exactly the data
// (records and uploaded files) of the moment it was taken.
func TestBackupRestoreRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	tmp := t.TempDir()
	bin := buildBinary(t, tmp)
	dataDir := filepath.Join(tmp, "pb_data")
	logFile, err := os.Create(filepath.Join(tmp, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	const email, password = "root@example.com", "backup-test-password-1"
	if out, err := exec.Command(bin, "superuser", "upsert", email, password, "--dir", dataDir).CombinedOutput(); err != nil {
		t.Fatalf("superuser: %v %s", err, out)
	}
	srv := &server{bin: bin, dataDir: dataDir, addr: freePort(t), log: logFile}
	srv.start(t)
	defer srv.stop()
	client := &http.Client{Timeout: 30 * time.Second}
	var auth struct{ Token string }
	if status, err := call(client, "POST", srv.url("/api/collections/_superusers/auth-with-password"), "",
		map[string]any{"identity": email, "password": password}, &auth); err != nil || status != 200 {
		t.Fatalf("sign-in: %d %v", status, err)
	}
	var settings struct {
		Backups struct {
			Cron        string `json:"cron"`
			CronMaxKeep int    `json:"cronMaxKeep"`
		} `json:"backups"`
	}
	if _, err := call(client, "GET", srv.url("/api/settings"), auth.Token, nil, &settings); err != nil || settings.Backups.Cron == "" || settings.Backups.CronMaxKeep < 7 {
		t.Errorf("backup schedule: %+v %v", settings.Backups, err)
	}
	// the superuser's requests are not rate-limited; the intake's are
	if status, err := call(client, "PATCH", srv.url("/api/settings"), auth.Token,
		map[string]any{"rateLimits": map[string]any{"excludedIPs": []string{"127.0.0.1"}}}, nil); err != nil || status != 200 {
		t.Fatalf("settings: %d %v", status, err)
	}

	var withPhoto string
	for i := 0; i < 20; i++ {
		id := submitWithPhoto(t, client, srv, i)
		if i == 0 {
			withPhoto = id
		}
	}
	before := snapshot(t, client, srv, auth.Token)
	photoBefore := download(t, client, srv, auth.Token, withPhoto)

	if status, err := call(client, "POST", srv.url("/api/backups"), auth.Token, map[string]any{"name": "before_change.zip"}, nil); err != nil || status != 204 {
		t.Fatalf("backup: %d %v", status, err)
	}
	// changes after the backup: more appeals, a renamed department
	for i := 20; i < 25; i++ {
		submitWithPhoto(t, client, srv, i)
	}
	if status, err := call(client, "POST", srv.url("/api/collections/departments/records"), auth.Token,
		map[string]any{"name": "备份后新增单位", "code": "after", "kind": "职能部门", "active": true}, nil); err != nil || status != 200 {
		t.Fatalf("department: %d %v", status, err)
	}
	if reflect.DeepEqual(before, snapshot(t, client, srv, auth.Token)) {
		t.Fatal("the changes did not change anything")
	}

	if status, err := call(client, "POST", srv.url("/api/backups/before_change.zip/restore"), auth.Token, nil, nil); err != nil || status != 204 {
		t.Fatalf("restore: %d %v", status, err)
	}
	// the server restarts itself on the restored data
	deadline := time.Now().Add(60 * time.Second)
	var after map[string][]map[string]any
	for time.Now().Before(deadline) {
		time.Sleep(500 * time.Millisecond)
		var list struct{ TotalItems int }
		status, err := call(client, "GET", srv.url("/api/collections/appeals/records?perPage=1"), auth.Token, nil, &list)
		if err == nil && status == 200 && list.TotalItems == 20 {
			after = snapshot(t, client, srv, auth.Token)
			break
		}
	}
	if after == nil {
		t.Fatal("the restored server never showed the 20 appeals of the backup")
	}
	for _, c := range snapshotCollections {
		if !reflect.DeepEqual(before[c], after[c]) {
			t.Errorf("%s differs after the restore: %d rows before, %d after", c, len(before[c]), len(after[c]))
		}
	}
	if got := download(t, client, srv, auth.Token, withPhoto); !bytes.Equal(got, photoBefore) {
		t.Errorf("photo differs after the restore: %d bytes, was %d", len(got), len(photoBefore))
	}
}

// submitWithPhoto submits an appeal with a photo as a guest.
func submitWithPhoto(t *testing.T, client *http.Client, srv *server, i int) string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{
		"kind": "complaint", "title": fmt.Sprintf("备份测试诉求 %d", i), "content": "备份恢复往返测试：小区路灯不亮，请修复。",
		"contact_name": "测试居民", "contact_phone": fmt.Sprintf("1390000%04d", i),
	} {
		_ = mw.WriteField(k, v)
	}
	w, _ := mw.CreateFormFile("attachments", "photo.png")
	img := image.NewGray(image.Rect(0, 0, 16, 16))
	img.Pix[i%len(img.Pix)] = 255
	_ = png.Encode(w, img)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", srv.url("/api/appeals"), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ ID string }
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != 201 || json.Unmarshal(data, &out) != nil {
		t.Fatalf("submit: %d %s", res.StatusCode, data)
	}
	return out.ID
}

// snapshot reads every record of the compared collections as a superuser
// (hidden fields included).
func snapshot(t *testing.T, client *http.Client, srv *server, token string) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for _, c := range snapshotCollections {
		var list struct{ Items []map[string]any }
		status, err := call(client, "GET", srv.url("/api/collections/"+c+"/records?perPage=500&sort=id"), token, nil, &list)
		if err != nil || status != 200 {
			t.Fatalf("snapshot %s: %d %v", c, status, err)
		}
		out[c] = list.Items
	}
	return out
}

// download fetches an appeal's first attachment with a superuser file token.
func download(t *testing.T, client *http.Client, srv *server, token, appealID string) []byte {
	t.Helper()
	var a struct{ Attachments []string }
	if _, err := call(client, "GET", srv.url("/api/collections/appeals/records/"+appealID), token, nil, &a); err != nil || len(a.Attachments) == 0 {
		t.Fatalf("appeal %s: %v %v", appealID, a, err)
	}
	var ft struct{ Token string }
	if _, err := call(client, "POST", srv.url("/api/files/token"), token, nil, &ft); err != nil {
		t.Fatal(err)
	}
	res, err := client.Get(srv.url("/api/files/appeals/" + appealID + "/" + a.Attachments[0] + "?token=" + ft.Token))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("download: %d", res.StatusCode)
	}
	return data
}
