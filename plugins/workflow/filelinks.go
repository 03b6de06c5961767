package workflow

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
)

// Attachments are protected files: PocketBase serves them only with a file
// token of an account that may view the record, and a resident who tracks
// a case by ticket number and query code has no account. The resident's
// view therefore carries signed links, each good for one file for
// FileLinkTTL. The signing key is made at start: a restart only makes the
// links on open pages stale (reloading the page makes new ones).
var linkKey = func() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return k
}()

// FileLinkTTL is how long a link in a resident's view works.
const FileLinkTTL = 2 * time.Hour

// fileLinkCollections are the records whose attachments a link may name.
var fileLinkCollections = []string{"appeals", "appeal_events", "replies"}

// imageExts are shown as pictures; other files as download links.
var imageExts = []string{".jpg", ".jpeg", ".png", ".gif", ".webp"}

// attachmentViews lists record's attachments with their original names
// and signed links.
func attachmentViews(record *core.Record) []map[string]any {
	return signedLinks(record.Collection().Name, record.Id, record.GetStringSlice("attachments"),
		func(stored string) string { return hooks.AttachmentName(record, stored) })
}

// signedLinks lists the stored files of one record (of collection, with id)
// with their original names (original) and signed links.
func signedLinks(collection, id string, stored []string, original func(stored string) string) []map[string]any {
	out := make([]map[string]any, 0, len(stored))
	exp := strconv.FormatInt(time.Now().Add(FileLinkTTL).Unix(), 10)
	for _, name := range stored {
		payload := collection + "\n" + id + "\n" + name + "\n" + exp
		token := base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(signLink(payload))
		out = append(out, map[string]any{
			"name":  original(name),
			"url":   "/api/track/files/" + token,
			"image": slices.Contains(imageExts, strings.ToLower(path.Ext(name))),
		})
	}
	return out
}

func signLink(payload string) []byte {
	mac := hmac.New(sha256.New, linkKey)
	mac.Write([]byte(payload))
	return mac.Sum(nil)[:18]
}

// handleFile runs GET /api/track/files/{token}: one attachment named by a
// signed link, under its original name.
func (p *plugin) handleFile(e *core.RequestEvent) error {
	gone := NotFound("附件链接已失效，请刷新页面后重试")
	raw, sig, ok := strings.Cut(e.Request.PathValue("token"), ".")
	if !ok {
		return gone
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(raw)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, signLink(string(payload))) {
		return gone
	}
	parts := strings.Split(string(payload), "\n")
	if len(parts) != 4 || !slices.Contains(fileLinkCollections, parts[0]) {
		return gone
	}
	exp, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil || time.Now().Unix() > exp {
		return gone
	}
	record, err := e.App.FindRecordById(parts[0], parts[1])
	if err != nil || !slices.Contains(record.GetStringSlice("attachments"), parts[2]) {
		return gone
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	original := hooks.AttachmentName(record, parts[2])
	disposition := "attachment"
	if slices.Contains(imageExts, strings.ToLower(path.Ext(parts[2]))) {
		disposition = "inline"
	}
	h := e.Response.Header()
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": original}))
	h.Set("Cache-Control", "private, max-age=3600")
	h.Set("Referrer-Policy", "no-referrer")
	if err := fsys.Serve(e.Response, e.Request, record.BaseFilesPath()+"/"+parts[2], original); err != nil {
		return apiError(http.StatusNotFound, "附件不存在", nil)
	}
	return nil
}
