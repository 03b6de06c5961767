package classify

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := map[string]string{
		"ＡＢＣ，１２３！":       "abc 123",
		"  路灯坏了！！！请修理。 ": "路灯坏了 请修理",
		"WiFi\t信号\r\n差":  "wifi 信号 差",
		"「小区」——门口":       "小区 门口",
		"":               "",
		"，。！":            "",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCharFeatures(t *testing.T) {
	e := &extractor{set: CharFeatures, maxN: 2}
	got := e.counts("A3区路灯，电话13800001111")
	for _, term := range []string{"a3", "区", "a3区", "路灯", "电话", "话#", "#"} {
		if got[term] == 0 {
			t.Errorf("missing term %q in %v", term, got)
		}
	}
	if got["灯电"] != 0 {
		t.Errorf("bigram spans punctuation: %v", got)
	}
}

func TestReadCSV(t *testing.T) {
	in := "\uFEFF一级标签,留言主题,留言详情,备注\r\n" +
		"交通运输,公交晚点,\"第一行\r\n第二行\"\r\n" +
		"\"教育文体\",,\"学校\"\"乱收费\"\"\",x\r\n"
	got, err := ReadCSV(strings.NewReader(in), DefaultMapping())
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{
		{Label: "交通运输", Text: "公交晚点\n第一行\n第二行"},
		{Label: "教育文体", Text: "学校\"乱收费\""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d examples %q, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("example %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestReadCSVErrors(t *testing.T) {
	cases := []struct {
		name, in string
		mapping  Mapping
		want     []string // substrings of the error
	}{
		{"missing column", "一级标签,留言详情\n交通运输,x\n", DefaultMapping(), []string{`"留言主题"`}},
		{"short row", "一级标签,留言主题,留言详情\n交通运输,a,b\n教育文体,a\n", DefaultMapping(),
			[]string{"line 3", `"留言详情"`}},
		{"short row after quoted newline", "一级标签,留言主题,留言详情\n交通运输,\"a\nb\",c\n环境保护\n", DefaultMapping(),
			[]string{"line 4"}},
		{"empty label", "一级标签,留言主题,留言详情\n ,a,b\n", DefaultMapping(), []string{"line 2", "empty label"}},
		{"bad quote", "一级标签,留言主题,留言详情\n交通运输,a\"b,c\n", DefaultMapping(), []string{"line 2"}},
		{"empty input", "", DefaultMapping(), []string{"empty"}},
		{"bad mapping", "a,b\n", Mapping{Label: "a"}, []string{"text column"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(c.in), c.mapping)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
		})
	}
}

func TestTrainLearnsFixture(t *testing.T) {
	for _, kind := range []ModelKind{Softmax, SVM} {
		t.Run(string(kind), func(t *testing.T) {
			opt := fixtureOptions()
			opt.Model = kind
			m, err := Train(fixtureExamples(), opt)
			if err != nil {
				t.Fatal(err)
			}
			for label, texts := range heldOut {
				for _, text := range texts {
					ps := m.Predict(text)
					if ps[0].Label != label {
						t.Errorf("%q: predicted %v, want %s", text, ps, label)
					}
					checkDistribution(t, ps)
				}
			}
		})
	}
}

func checkDistribution(t *testing.T, ps []Prediction) {
	t.Helper()
	var sum float64
	for i, p := range ps {
		if p.Prob < 0 || p.Prob > 1 || math.IsNaN(p.Prob) {
			t.Fatalf("probability %v out of range", p)
		}
		if i > 0 && p.Prob > ps[i-1].Prob {
			t.Fatalf("predictions not sorted: %v", ps)
		}
		sum += p.Prob
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Fatalf("probabilities sum to %v: %v", sum, ps)
	}
}

func TestPredictUnknownText(t *testing.T) {
	m, err := Train(fixtureExamples(), fixtureOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"", "？？？", "zzzz qqqq"} {
		ps := m.Predict(text)
		if len(ps) != 3 {
			t.Fatalf("%q: %d predictions", text, len(ps))
		}
		checkDistribution(t, ps)
	}
}

func TestTrainDeterministic(t *testing.T) {
	for _, kind := range []ModelKind{Softmax, SVM} {
		opt := fixtureOptions()
		opt.Model = kind
		opt.Seed = 42
		a, err := Train(fixtureExamples(), opt)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Train(fixtureExamples(), opt)
		samePredictions(t, a, b)
		var sa, sb bytes.Buffer
		if err := a.Save(&sa); err != nil {
			t.Fatal(err)
		}
		if err := b.Save(&sb); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sa.Bytes(), sb.Bytes()) {
			t.Errorf("%s: two trainings with one seed saved different files", kind)
		}
		opt.Seed = 43
		c, _ := Train(fixtureExamples(), opt)
		var sc bytes.Buffer
		if err := c.Save(&sc); err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(sa.Bytes(), sc.Bytes()) {
			t.Errorf("%s: the seed changes nothing", kind)
		}
	}
}

func samePredictions(t *testing.T, a, b *Model) {
	t.Helper()
	for _, texts := range heldOut {
		for _, text := range texts {
			pa, pb := a.Predict(text), b.Predict(text)
			for i := range pa {
				if pa[i] != pb[i] {
					t.Fatalf("%q: %v vs %v", text, pa, pb)
				}
			}
		}
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	for _, kind := range []ModelKind{Softmax, SVM} {
		opt := fixtureOptions()
		opt.Model = kind
		m, err := Train(fixtureExamples(), opt)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatal(err)
		}
		saved := buf.Bytes()
		l, err := Load(bytes.NewReader(saved))
		if err != nil {
			t.Fatal(err)
		}
		samePredictions(t, m, l)
		if l.Options() != m.Options() || l.Temperature() != m.Temperature() {
			t.Errorf("options or temperature changed: %+v %v", l.Options(), l.Temperature())
		}
		var again bytes.Buffer
		if err := l.Save(&again); err != nil || !bytes.Equal(again.Bytes(), saved) {
			t.Errorf("saving a loaded model gives different bytes (err %v)", err)
		}
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	m, _ := Train(fixtureExamples(), fixtureOptions())
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	version := append([]byte(nil), good...)
	version[len(fileMagic)+1] = 99
	cases := map[string][]byte{
		"empty":     nil,
		"magic":     []byte("not a model at all"),
		"version":   version,
		"truncated": good[:len(good)/2],
	}
	for name, data := range cases {
		if _, err := Load(bytes.NewReader(data)); err == nil {
			t.Errorf("%s: Load accepted a bad file", name)
		}
	}
}

// splitWords is a stand-in segmenter: every two characters form a word.
func splitWords(text string) []string {
	var out []string
	r := []rune(text)
	for i := 0; i < len(r); i += 2 {
		out = append(out, string(r[i:min(i+2, len(r))]))
	}
	return out
}

func TestWordFeaturesNeedRegisteredTokenizer(t *testing.T) {
	opt := fixtureOptions()
	opt.Features = CharWordFeatures
	opt.Tokenizer = "test-pairs"
	if _, err := Train(fixtureExamples(), opt); err == nil || !strings.Contains(err.Error(), "test-pairs") {
		t.Fatalf("unregistered tokenizer: err = %v", err)
	}
	RegisterWordTokenizer("test-pairs", splitWords)
	m, err := Train(fixtureExamples(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Top(heldOut["环境保护"][0]).Label; got != "环境保护" {
		t.Errorf("predicted %s", got)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	l, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	samePredictions(t, m, l)
}

func TestTrainRejectsBadInput(t *testing.T) {
	oneLabel := []Example{{Text: "a", Label: "x"}, {Text: "b", Label: "x"}}
	if _, err := Train(oneLabel, DefaultOptions()); err == nil {
		t.Error("one label accepted")
	}
	if _, err := Train([]Example{{Text: "a"}, {Text: "b", Label: "x"}}, DefaultOptions()); err == nil {
		t.Error("empty label accepted")
	}
	bad := DefaultOptions()
	bad.Features = "bytes"
	bad.Model = Softmax
	bad.Epochs = 0
	_, err := Train(fixtureExamples(), bad)
	if err == nil || !strings.Contains(err.Error(), "bytes") || !strings.Contains(err.Error(), "epochs") {
		t.Errorf("bad options: err = %v", err)
	}
}

func TestCrossValidateFixture(t *testing.T) {
	ex := fixtureExamples()
	ex = append(ex, ex[0]) // a duplicate must stay in one fold
	r, err := CrossValidate(ex, 3, fixtureOptions())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, row := range r.Confusion {
		for _, n := range row {
			total += n
		}
	}
	if total != len(ex) || r.N != len(ex) {
		t.Errorf("confusion counts %d, report N %d, want %d", total, r.N, len(ex))
	}
	if r.Accuracy < 0.6 || r.MacroF1 < 0.6 || len(r.PerClass) != 3 || len(r.FoldMacroF1) != 3 {
		t.Errorf("implausible report: %+v", r)
	}
	var out bytes.Buffer
	if err := r.WriteText(&out); err != nil || !strings.Contains(out.String(), "macro-F1") {
		t.Errorf("WriteText: %v\n%s", err, out.String())
	}
}

func TestStratifiedFoldsKeepGroupsTogether(t *testing.T) {
	y := []int{0, 0, 0, 0, 1, 1, 1, 1, 0}
	groups := []string{"a", "b", "c", "d", "e", "f", "g", "h", "a"}
	fold := stratifiedFolds(y, groups, 2, rand.New(rand.NewPCG(1, 2)))
	if fold[0] != fold[8] {
		t.Errorf("duplicates split across folds: %v", fold)
	}
	perFold := map[[2]int]int{}
	for i, f := range fold {
		perFold[[2]int{f, y[i]}]++
	}
	if perFold[[2]int{0, 1}] != 2 || perFold[[2]int{1, 1}] != 2 {
		t.Errorf("class 1 not split evenly: %v", fold)
	}
}

// TestPredictConcurrent backs the claim that a Model is safe for concurrent
// use (meaningful under -race).
func TestPredictConcurrent(t *testing.T) {
	m, err := Train(fixtureExamples(), fixtureOptions())
	if err != nil {
		t.Fatal(err)
	}
	want := m.Top(heldOut["教育文体"][0])
	done := make(chan Prediction)
	for g := 0; g < 4; g++ {
		go func() {
			var p Prediction
			for i := 0; i < 50; i++ {
				p = m.Top(heldOut["教育文体"][0])
			}
			done <- p
		}()
	}
	for g := 0; g < 4; g++ {
		if got := <-done; got != want {
			t.Errorf("concurrent Top = %v, want %v", got, want)
		}
	}
}
