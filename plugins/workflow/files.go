package workflow

import (
	"errors"
	"fmt"
	"image"
	_ "image/gif" // DecodeConfig of attachments
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net/http"

	"github.com/gabriel-vasile/mimetype"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	_ "golang.org/x/image/webp"
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
		if err := checkPixels(f, mt); err != nil {
			return FieldError("attachments", fmt.Sprintf("「%s」%s", name, err.Error()))
		}
	}
	return nil
}

// MaxPixels bounds an image's width × height: thumbnails decode the whole
// picture, and a few hundred bytes can claim gigapixels ("pixel bomb").
// 60 million pixels is more than a phone's default photo.
const MaxPixels = 60_000_000

// checkPixels reads the image header (not the pixels) of the types Go
// decodes and refuses images too large to process.
func checkPixels(f *filesystem.File, mt string) error {
	switch mt {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
	default:
		return nil
	}
	r, err := f.Reader.Open()
	if err != nil {
		return errors.New("无法读取")
	}
	defer r.Close()
	cfg, _, err := image.DecodeConfig(r)
	if err != nil {
		return errors.New("不是有效的图片文件")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return fmt.Errorf("的尺寸（%d×%d 像素）过大，请缩小后再上传", cfg.Width, cfg.Height)
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
