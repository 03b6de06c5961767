package hooks_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"siyang/hooks"
)

// collapse folds what a reader would ignore when reading a number back:
// full-width digits become ASCII and the spaces and dashes people put
// between digit groups disappear, so "138 1234 5678" reads as 13812345678.
func collapse(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == ' ' || r == '\u00a0' || r == '\u3000' || r == '-' || r == '－':
			return -1
		}
		return r
	}, s)
}

var (
	mobileAnywhere = regexp.MustCompile(`1[3-9][0-9]{9}`)
	idAnywhere     = regexp.MustCompile(`[0-9]{17}[0-9Xx]|[0-9]{15}`)
)

// assertNoPersonalData fails when out still shows a mobile number, an ID
// number, one of the given names (or their given-name part) or any of the
// listed secrets, however the digits were grouped.
func assertNoPersonalData(t *testing.T, out string, names []string, secrets []string) {
	t.Helper()
	c := collapse(out)
	if m := mobileAnywhere.FindString(c); m != "" {
		t.Errorf("mobile number %s survives in %q", m, out)
	}
	if m := idAnywhere.FindString(c); m != "" {
		t.Errorf("ID-like number %s survives in %q", m, out)
	}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if utf8.RuneCountInString(n) < 2 {
			continue
		}
		if strings.Contains(out, n) {
			t.Errorf("name %q survives in %q", n, out)
		}
		_, size := utf8.DecodeRuneInString(n)
		if given := n[size:]; utf8.RuneCountInString(given) >= 2 && strings.Contains(out, given) {
			t.Errorf("given name %q survives in %q", given, out)
		}
	}
	for _, s := range secrets {
		if strings.Contains(c, collapse(s)) {
			t.Errorf("%q survives in %q", s, out)
		}
	}
}

func TestMaskText(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		names   []string
		want    string
		secrets []string // must not survive (compared digit-group-insensitively)
		plain   bool     // holds no personal data (joining its digit groups would look like some)
	}{
		{
			name:    "mobile in a sentence, name several times",
			in:      "我叫王小明，住众兴镇幸福小区3栋2单元，电话13812345678。王小明的邻居也反映过，请打13812345678找王小明。",
			names:   []string{"王小明"},
			want:    "我叫王**，住众兴镇幸福小区3栋2单元，电话138****5678。王**的邻居也反映过，请打138****5678找王**。",
			secrets: []string{"13812345678"},
		},
		{
			name:    "several numbers and a landline",
			in:      "白天打0527-88881234，晚上打15951234567或者18900001111都可以。",
			want:    "白天打0527-****1234，晚上打159****4567或者189****1111都可以。",
			secrets: []string{"88881234", "15951234567", "18900001111"},
		},
		{
			name:    "landline forms",
			in:      "座机052788881234，(0527)88881234，0527-88881234-801，区号025-52341234",
			want:    "座机********1234，(0527)****1234，0527-****1234-801，区号025-****1234",
			secrets: []string{"88881234", "52341234"},
		},
		{
			name:    "ID numbers ending in X and x, old 15-digit ID",
			in:      "身份证号32132319900101123X，我爱人的是32132319880808456x，老证号321323880808456。",
			want:    "身份证号321***********123X，我爱人的是321***********456x，老证号321********8456。",
			secrets: []string{"32132319900101123X", "32132319880808456x", "321323880808456", "19900101", "19880808"},
		},
		{
			name:    "full-width digits",
			in:      "电话：１３８１２３４５６７８，身份证３２１３２３１９９００１０１１２３Ｘ",
			want:    "电话：１３８****５６７８，身份证３２１***********１２３Ｘ",
			secrets: []string{"13812345678", "1990010112"},
		},
		{
			name:    "e-mail addresses",
			in:      "材料发到zhangsan123@qq.com或者wang.xm_2026@163.com，谢谢。",
			want:    "材料发到z**********@qq.com或者w***********@163.com，谢谢。",
			secrets: []string{"zhangsan123", "wang.xm_2026"},
		},
		{
			name: "dates, times, amounts and house numbers stay",
			in:   "2026年11月26日（20261126）14:30左右，拖欠工资3000元，合计12000元，面积120.5平方米，3栋1202室，2026-11-26再次反映。",
			want: "2026年11月26日（20261126）14:30左右，拖欠工资3000元，合计12000元，面积120.5平方米，3栋1202室，2026-11-26再次反映。",
		},
		{
			name:    "bank card numbers",
			in:      "补贴请打到农行卡6228480012345678，或者工行卡6222021234567890123。",
			want:    "补贴请打到农行卡622*********5678，或者工行卡622************0123。",
			secrets: []string{"6228480012345678", "6222021234567890123"},
		},
		{
			name:    "country code prefixes",
			in:      "电话+8613812345678或008613912345678",
			want:    "电话+*********5678或008********5678",
			secrets: []string{"13812345678", "13912345678"},
		},
		{
			name:    "number glued to letters and other long numbers",
			in:      "Tel:13812345678，QQ123456789，微信号wx13712345678",
			want:    "Tel:138****5678，QQ*****6789，微信号wx137****5678",
			secrets: []string{"13812345678", "123456789", "13712345678"},
		},
		{
			name:    "two contact names, compound surname",
			in:      "欧阳娜娜和张三丰一起反映，欧阳娜娜电话13612345678。",
			names:   []string{"欧阳娜娜", " 张三丰 "},
			want:    "欧***和张**一起反映，欧***电话136****5678。",
			secrets: []string{"13612345678"},
		},
		{
			name:  "single-character or empty names are ignored",
			in:    "李先生反映路灯不亮",
			names: []string{"李", "", " "},
			want:  "李先生反映路灯不亮",
		},
		{
			name:    "mobile typed in groups",
			in:      "电话138 1234 5678，或者139-1234-5678，或者１５９　１２３４　５６７８",
			want:    "电话138 **** 5678，或者139-****-5678，或者１５９　****　５６７８",
			secrets: []string{"13812345678", "13912345678", "15912345678"},
		},
		{
			name:    "mobile typed in groups after +86",
			in:      "+86 138 1234 5678",
			want:    "+86 138 **** 5678",
			secrets: []string{"13812345678"},
		},
		{
			name:    "bank card and ID typed in groups",
			in:      "卡号6222 0212 3456 7890，身份证321323 19900101 123X",
			want:    "卡号622* **** **** 7890，身份证321*** ******** 123X",
			secrets: []string{"6222021234567890", "32132319900101123X"},
		},
		{
			name:    "ID typed in groups of 6-4-4-4 and 6-8-3X",
			in:      "身份证321323 1990 0101 1234，321323 19880808 456x",
			want:    "身份证321*** **** **** 1234，321*** ******** 456x",
			secrets: []string{"321323199001011234", "32132319880808456x", "19900101", "19880808"},
		},
		{
			name:    "mobile next to a grouped-looking long number is masked on its own",
			in:      "电话13812345678 身份证32132319900101123X",
			want:    "电话138****5678 身份证321***********123X",
			secrets: []string{"13812345678", "32132319900101123X"},
		},
		{
			name:    "landline typed in groups",
			in:      "座机0527 8888 1234",
			want:    "座机**** **** 1234",
			secrets: []string{"88881234"},
		},
		{
			name:  "ranges and dates with dashes stay",
			plain: true,
			in:    "月薪3000-5000元，2026-11-26 14:30，第12-15户，工期20261126-20261231",
			want:  "月薪3000-5000元，2026-11-26 14:30，第12-15户，工期20261126-20261231",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := hooks.MaskText(tc.in, tc.names...)
			if got != tc.want {
				t.Errorf("MaskText(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			if utf8.RuneCountInString(got) != utf8.RuneCountInString(tc.in) {
				t.Errorf("rune count changed: %d → %d", utf8.RuneCountInString(tc.in), utf8.RuneCountInString(got))
			}
			if !tc.plain {
				assertNoPersonalData(t, got, tc.names, tc.secrets)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	cases := []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{"19912345678", "199****5678"},
		{"0527-88881234", "052******1234"},
		{"052788881234", "052*****1234"},
		{"0527-88881234-801", "052**********-801"},
		{"123456", "******"},
		{"123", "***"},
		{"", ""},
	}
	for _, tc := range cases {
		if got := hooks.MaskPhone(tc.in); got != tc.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMaskName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"张三丰", "张**"},
		{"李四", "李*"},
		{"欧阳娜娜", "欧***"},
		{"张", "张"},
		{"", ""},
		{" 王小明 ", " 王** "},
		{"Tom Lee", "T******"},
	}
	for _, tc := range cases {
		if got := hooks.MaskName(tc.in); got != tc.want {
			t.Errorf("MaskName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func isAnyDigit(r rune) bool { return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') }

// FuzzMaskText checks the properties every masked text has, whatever was typed.
func FuzzMaskText(f *testing.F) {
	seeds := []struct{ s, name string }{
		{"我叫王小明，电话13812345678。王小明的邻居也反映过。", "王小明"},
		{"座机0527-88881234，手机15951234567，18900001111", ""},
		{"身份证32132319900101123X，老证321323880808456", "李四"},
		{"电话：１３８１２３４５６７８，身份证３２１３２３１９９００１０１１２３Ｘ", "张三"},
		{"材料发到zhangsan123@qq.com或者wang.xm@163.com", ""},
		{"2026年11月26日（20261126）拖欠工资3000元", ""},
		{"卡号6222 0212 3456 7890，电话138 1234 5678，138-1234-5678", "欧阳娜娜"},
		{"+8613812345678 008613912345678 +86 138 1234 5678", ""},
		{"13812345678@139.com", "13"},
		{"\xff\xfe13812345678\xe4\xb8", "\xe4\xb8"},
	}
	for _, s := range seeds {
		f.Add(s.s, s.name)
	}
	f.Fuzz(func(t *testing.T, s, name string) {
		out := hooks.MaskText(s, name)
		if utf8.ValidString(s) && utf8.ValidString(name) {
			if !utf8.ValidString(out) {
				t.Fatalf("MaskText(%q, %q) = %q is not valid UTF-8", s, name, out)
			}
			if a, b := utf8.RuneCountInString(s), utf8.RuneCountInString(out); a != b {
				t.Fatalf("MaskText(%q, %q) = %q: %d runes became %d", s, name, out, a, b)
			}
		}
		if m := mobileAnywhere.FindString(out); m != "" {
			t.Fatalf("MaskText(%q, %q) = %q: mobile number %s survives", s, name, out, m)
		}
		// Stronger: no run of digits, ASCII or full-width, longer than a
		// spared yyyymmdd date survives.
		run := 0
		for _, r := range out {
			if isAnyDigit(r) {
				if run++; run > 8 {
					t.Fatalf("MaskText(%q, %q) = %q: a run of more than 8 digits survives", s, name, out)
				}
			} else {
				run = 0
			}
		}
	})
}
