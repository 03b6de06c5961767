package classify

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// synthetic makes n appeals of about 200 characters over 7 labels: each
// label has its own 40 topical characters, mixed one in four with 300
// characters common to all, so the task is learnable but not trivial.
func synthetic(n int, seed uint64) []Example {
	rng := rand.New(rand.NewPCG(seed, 1))
	han := func(i int) rune { return rune(0x4E00 + i) }
	labels := []string{"城乡建设", "劳动和社会保障", "教育文体", "商贸旅游", "卫生计生", "环境保护", "交通运输"}
	out := make([]Example, n)
	var b strings.Builder
	for i := range out {
		c := i % len(labels)
		b.Reset()
		for j := 0; j < 200; j++ {
			if j%20 == 19 {
				b.WriteString("，")
			}
			if rng.IntN(4) == 0 {
				b.WriteRune(han(1000 + c*40 + rng.IntN(40)))
			} else {
				b.WriteRune(han(rng.IntN(300)))
			}
		}
		out[i] = Example{Text: b.String(), Label: labels[c]}
	}
	return out
}

func BenchmarkTrain(b *testing.B) {
	ex := synthetic(700, 1)
	opt := DefaultOptions()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(ex, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPredict(b *testing.B) {
	m, err := Train(synthetic(700, 1), DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	texts := synthetic(100, 2)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Predict(texts[i%len(texts)].Text)
		i++
	}
}

// TestSyntheticIsLearnable keeps the benchmark data honest: a model trained
// on it must beat chance by far on fresh draws.
func TestSyntheticIsLearnable(t *testing.T) {
	m, err := Train(synthetic(350, 1), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	right := 0
	test := synthetic(70, 3)
	for _, e := range test {
		if m.Top(e.Text).Label == e.Label {
			right++
		}
	}
	if right < len(test)*8/10 {
		t.Errorf("%d of %d right", right, len(test))
	}
}
