package portal

import "testing"

// TestSearchWords: the index text of an appeal is the character pairs of
// each run of letters and digits and the run's last character; Latin
// letters are folded, punctuation and spaces separate runs.
func TestSearchWords(t *testing.T) {
	cases := []struct {
		in   []string
		want string
	}{
		{[]string{"路灯不亮"}, "路灯 灯不 不亮 亮"},
		{[]string{"路灯，灯泡"}, "路灯 灯 灯泡 泡"},
		{[]string{"ＷｉＦｉ 坏了", "5G"}, "wi if fi i 坏了 了 5g g"},
		{[]string{"井"}, "井"},
		{[]string{"？！", ""}, ""},
	}
	for _, c := range cases {
		if got := searchWords(c.in...); got != c.want {
			t.Errorf("searchWords(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSearchMatch: a keyword is the phrase of its pairs, one character a
// prefix, separate words all required; nothing searchable answers "".
func TestSearchMatch(t *testing.T) {
	cases := map[string]string{
		"路灯不亮":  `"路灯 灯不 不亮"`,
		"路灯":    `"路灯"`,
		"灯":     `"灯"*`,
		"路灯 坏了": `"路灯" AND "坏了"`,
		"WIFI":  `"wi if fi"`,
		"“井盖”？": `"井盖"`,
		"  ，。 ": "",
	}
	for in, want := range cases {
		if got := searchMatch(in); got != want {
			t.Errorf("searchMatch(%q) = %s, want %s", in, got, want)
		}
	}
}
