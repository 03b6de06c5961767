package workflow

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gabriel-vasile/mimetype"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// Attachment limits, shared by intake, replies and supplements.
const (
	MaxFileBytes = 10 << 20
	MaxFiles     = maxFiles
)

// allowedTypes are sniffed from the content, not taken from the name.
var allowedTypes = map[string]string{
	"image/jpeg": "JPEG 图片", "image/png": "PNG 图片", "image/gif": "GIF 图片",
	"image/webp": "WebP 图片", "image/heic": "HEIC 图片", "application/pdf": "PDF",
	"application/msword": "Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
	"application/vnd.ms-excel": "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
}

// uploadedFiles reads and checks the request's "attachments" (none for a
// JSON body).
func uploadedFiles(e *core.RequestEvent) ([]*filesystem.File, error) {
	files, err := e.FindUploadedFiles("attachments")
	if err != nil && !errors.Is(err, http.ErrMissingFile) && e.Request.MultipartForm != nil {
		return nil, FieldError("attachments", "附件读取失败，请重新上传")
	}
	return files, checkFiles(files)
}

// checkFiles refuses too many, too large, or wrongly typed attachments with
// a message that names the file.
func checkFiles(files []*filesystem.File) error {
	if len(files) > MaxFiles {
		return FieldError("attachments", fmt.Sprintf("附件最多 %d 个，您上传了 %d 个", MaxFiles, len(files)))
	}
	for i, f := range files {
		name := f.OriginalName
		if name == "" {
			name = fmt.Sprintf("第 %d 个附件", i+1)
		}
		if f.Size > MaxFileBytes {
			return FieldError("attachments", fmt.Sprintf("「%s」超过 10 MB，请压缩后再上传", name))
		}
		if f.Size == 0 {
			return FieldError("attachments", fmt.Sprintf("「%s」是空文件", name))
		}
		mt, err := sniff(f)
		if err != nil {
			return FieldError("attachments", fmt.Sprintf("「%s」无法读取", name))
		}
		if _, ok := allowedTypes[mt]; !ok {
			return FieldError("attachments", fmt.Sprintf("「%s」的文件类型（%s）不支持，只能上传图片、PDF、Word 或 Excel 文件", name, mt))
		}
	}
	return nil
}

func sniff(f *filesystem.File) (string, error) {
	r, err := f.Reader.Open()
	if err != nil {
		return "", err
	}
	defer r.Close()
	m, err := mimetype.DetectReader(io.LimitReader(r, 3072))
	if err != nil {
		return "", err
	}
	for x := m; x != nil; x = x.Parent() {
		if _, ok := allowedTypes[x.String()]; ok {
			return x.String(), nil
		}
	}
	return m.String(), nil
}
