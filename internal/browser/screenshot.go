package browser

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"
)

// Screenshot saves a PNG of the whole page (beyond the window's height) as
// <ScreenshotDir(t)>/<name>.png and answers its path.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	path, err := p.screenshot(name, p.timeout)
	if err != nil {
		p.fail("Screenshot(%q): %v", name, err)
	}
	p.t.Logf("screenshot: %s", path)
	return path
}

func (p *Page) screenshot(name string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		return "", err
	}
	dir := ScreenshotDir(p.t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, safeName(name)+".png")
	return path, os.WriteFile(path, png, 0o644)
}

// ScreenshotDir is where t's screenshots go: $SCREENSHOT_DIR/<test name>,
// by default <repository>/screenshots/<test name> (git ignores it).
// Subtests get subfolders.
func ScreenshotDir(t testing.TB) string {
	base := os.Getenv("SCREENSHOT_DIR")
	if base == "" {
		base = filepath.Join(repoRoot(), "screenshots")
	}
	parts := strings.Split(t.Name(), "/")
	for i, part := range parts {
		parts[i] = safeName(part)
	}
	return filepath.Join(append([]string{base}, parts...)...)
}

var root struct {
	once sync.Once
	dir  string
}

// repoRoot answers the nearest folder above the working directory (the
// package's folder under go test) that holds go.mod, or the working
// directory itself.
func repoRoot() string {
	root.once.Do(func() {
		wd, err := os.Getwd()
		if err != nil {
			root.dir = os.TempDir()
			return
		}
		root.dir = wd
		for dir := wd; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				root.dir = dir
				return
			}
			if filepath.Dir(dir) == dir {
				return
			}
		}
	})
	return root.dir
}

// safeName keeps letters (Chinese too), digits, '-', '_' and '.' of s, so
// that it is one harmless path element.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, s)
	if strings.Trim(s, ".") == "" {
		return "_" + s
	}
	return s
}
