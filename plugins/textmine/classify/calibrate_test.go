package classify

import (
	"math"
	"math/rand/v2"
	"testing"
)

// syntheticScores draws labels from softmax(s/t) over random scores, so
// the true calibration is known.
func syntheticScores(t float64, seed uint64) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, seed))
	var scores [][]float64
	var labels []int
	p := make([]float64, 4)
	for i := 0; i < 5000; i++ {
		s := make([]float64, 4)
		for c := range s {
			s[c] = rng.NormFloat64() * 4
		}
		softmaxInto(s, 1/t, p)
		u, c := rng.Float64(), 0
		for ; c < 3 && u > p[c]; c++ {
			u -= p[c]
		}
		scores = append(scores, s)
		labels = append(labels, c)
	}
	return scores, labels
}

func TestFitCalibrationRecoversTemperature(t *testing.T) {
	scores, labels := syntheticScores(2, 7)
	got := fitCalibration(scores, labels)
	if math.Abs(got.T-2) > 0.2 {
		t.Errorf("fitted T=%.3f, want about 2", got.T)
	}
	// The data are temperature-calibrated already, so the top-label curve
	// should stay close to the identity.
	if math.Abs(got.A-1) > 0.15 || math.Abs(got.B) > 0.15 {
		t.Errorf("top-label curve A=%.3f B=%.3f, want about 1, 0", got.A, got.B)
	}
	if meanNLL(scores, labels, got) > meanNLL(scores, labels, identity) {
		t.Errorf("fitted %+v is worse than no calibration", got)
	}
	// Calibrated by the ECE measure on fresh draws too.
	fresh, freshLabels := syntheticScores(2, 8)
	var conf []float64
	var correct []bool
	p := make([]float64, 4)
	for i, s := range fresh {
		got.apply(s, p)
		top := argmax(p)
		conf = append(conf, p[top])
		correct = append(correct, top == freshLabels[i])
	}
	if ece := ECE(ReliabilityTable(conf, correct, 10)); ece > 0.03 {
		t.Errorf("ECE on fresh draws %.3f", ece)
	}
}

func TestFitPlattRecoversCurve(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const a, b = 0.5, 1.0
	var z []float64
	var right []bool
	for i := 0; i < 20000; i++ {
		zi := rng.Float64()*10 - 2
		z = append(z, zi)
		right = append(right, rng.Float64() < sigmoid(a*zi+b))
	}
	gotA, gotB := fitPlatt(z, right)
	if math.Abs(gotA-a) > 0.05 || math.Abs(gotB-b) > 0.1 {
		t.Errorf("fitted A=%.3f B=%.3f, want %v %v", gotA, gotB, a, b)
	}
}

func TestCalibrationApplyKeepsRanking(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, c := range []calibration{{T: 0.2, A: 0.5, B: 1}, {T: 1, A: 2, B: -3}, {T: 0.05, A: 0.3, B: 0}} {
		p := make([]float64, 5)
		q := make([]float64, 5)
		for i := 0; i < 1000; i++ {
			s := make([]float64, 5)
			for j := range s {
				s[j] = rng.NormFloat64() * 3
			}
			softmaxInto(s, 1/c.T, q)
			c.apply(s, p)
			var sum float64
			for j := range p {
				sum += p[j]
				if p[j] < 0 || math.IsNaN(p[j]) {
					t.Fatalf("%+v: p = %v", c, p)
				}
			}
			// The top label may at most tie with the runner-up.
			if math.Abs(sum-1) > 1e-9 || p[argmax(q)] < p[argmax(p)]-1e-12 {
				t.Fatalf("%+v: sum %v, ranking changed: %v from %v", c, sum, p, q)
			}
		}
	}
}

func TestReliabilityAndECE(t *testing.T) {
	// 10 predictions at 0.85 of which 8 right (gap 0.05), 10 at 0.35 of
	// which 5 right (gap 0.15): ECE = (10·0.05 + 10·0.15)/20 = 0.1.
	var conf []float64
	var correct []bool
	for i := 0; i < 10; i++ {
		conf = append(conf, 0.85, 0.35)
		correct = append(correct, i < 8, i < 5)
	}
	table := ReliabilityTable(conf, correct, 10)
	if len(table) != 10 || table[8].Count != 10 || table[3].Count != 10 {
		t.Fatalf("table %+v", table)
	}
	if math.Abs(table[8].Accuracy-0.8) > 1e-12 || math.Abs(table[8].Confidence-0.85) > 1e-12 {
		t.Errorf("bin 8 = %+v", table[8])
	}
	if got := ECE(table); math.Abs(got-0.1) > 1e-12 {
		t.Errorf("ECE = %v, want 0.1", got)
	}
	if got := ECE(ReliabilityTable([]float64{1, 0}, []bool{true, false}, 10)); got != 0 {
		t.Errorf("perfect ECE = %v", got)
	}
}

func TestSoftmaxIsStable(t *testing.T) {
	p := make([]float64, 3)
	softmaxInto([]float64{1000, 1000, -1000}, 1, p)
	if math.Abs(p[0]-0.5) > 1e-12 || p[2] != 0 {
		t.Errorf("softmax = %v", p)
	}
}
