package classify

import (
	"math"
	"math/rand/v2"
	"testing"
)

// syntheticScores draws labels from (1−mix)·softmax(s/t) + mix/4 over
// random scores, so the true calibration is known.
func syntheticScores(t, mix float64, seed uint64) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, seed))
	truth := calibration{T: t, Mix: mix}
	var scores [][]float64
	var labels []int
	p := make([]float64, 4)
	for i := 0; i < 5000; i++ {
		s := make([]float64, 4)
		for c := range s {
			s[c] = rng.NormFloat64() * 4
		}
		truth.apply(s, p)
		u, c := rng.Float64(), 0
		for ; c < 3 && u > p[c]; c++ {
			u -= p[c]
		}
		scores = append(scores, s)
		labels = append(labels, c)
	}
	return scores, labels
}

func TestFitCalibrationRecoversTruth(t *testing.T) {
	for _, truth := range []calibration{{T: 2}, {T: 0.5, Mix: 0.1}} {
		scores, labels := syntheticScores(truth.T, truth.Mix, 7)
		got := fitCalibration(scores, labels)
		if math.Abs(got.T-truth.T)/truth.T > 0.1 || math.Abs(got.Mix-truth.Mix) > 0.03 {
			t.Errorf("fitted %+v, want about %+v", got, truth)
		}
		if meanNLL(scores, labels, got) > meanNLL(scores, labels, identity) {
			t.Errorf("fitted %+v is worse than no calibration", got)
		}
		// The fitted calibration must also be calibrated by the ECE
		// measure on fresh draws.
		fresh, freshLabels := syntheticScores(truth.T, truth.Mix, 8)
		var conf []float64
		var correct []bool
		p := make([]float64, 4)
		for i, s := range fresh {
			got.apply(s, p)
			best := 0
			for c := range p {
				if p[c] > p[best] {
					best = c
				}
			}
			conf = append(conf, p[best])
			correct = append(correct, best == freshLabels[i])
		}
		if ece := ECE(ReliabilityTable(conf, correct, 10)); ece > 0.03 {
			t.Errorf("truth %+v: ECE on fresh draws %.3f", truth, ece)
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
