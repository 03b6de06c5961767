package classify

import (
	"strings"
	"testing"
)

// FuzzReadCSV checks that no input makes ReadCSV panic and that whatever it
// accepts has labels.
func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"一级标签,留言主题,留言详情\n交通运输,a,b\n",
		"\uFEFF一级标签,留言主题,留言详情\r\n教育文体,\"x\r\ny\",z\r\n",
		"一级标签,留言主题,留言详情\n\"a\"\"b\",,\n",
		"一级标签,留言主题\n交通运输,a\n",
		"一级标签,留言主题,留言详情\n环境保护\n",
		"\"unterminated\n",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ex, err := ReadCSV(strings.NewReader(in), DefaultMapping())
		if err != nil {
			return
		}
		for _, e := range ex {
			if e.Label == "" {
				t.Fatalf("accepted an empty label from %q", in)
			}
		}
	})
}
