package classify

import "math"

// Calibration search ranges. Softmax scores rarely need T outside them; an
// SVM margin of 1 typically needs T around 0.2. A mix above 0.2 would mean
// a model that is wrong at random a fifth of the time even when sure.
const (
	minTemperature = 0.01
	maxTemperature = 100
	maxMix         = 0.2
)

// calibration turns raw class scores into probabilities:
// (1−Mix)·softmax(score/T) + Mix/K.
//
// T alone (temperature scaling) cannot fit SVM scores on this data: with
// one T the surest predictions come out overconfident (0.985 said, 0.96
// right: some labels are simply wrong or ambiguous) while the middle comes
// out underconfident. Mixing in a little of the uniform distribution caps
// the top and lets T sharpen the middle. Both keep the ranking of labels.
type calibration struct {
	T   float64
	Mix float64
}

var identity = calibration{T: 1}

// apply writes the calibrated probabilities of scores s into p.
func (c calibration) apply(s, p []float64) {
	softmaxInto(s, 1/c.T, p)
	if c.Mix > 0 {
		u := c.Mix / float64(len(p))
		for i := range p {
			p[i] = (1-c.Mix)*p[i] + u
		}
	}
}

// fitCalibration returns the T and Mix that minimise the mean negative
// log-likelihood of held-out scores, by nested golden-section searches: for
// fixed Mix the NLL is unimodal in log T (convex in 1/T), and for fixed T
// it is convex in Mix.
func fitCalibration(scores [][]float64, labels []int) calibration {
	if len(scores) == 0 {
		return identity
	}
	bestT := func(mix float64) (float64, float64) {
		logT, nll := goldenMin(func(logT float64) float64 {
			return meanNLL(scores, labels, calibration{T: math.Exp(logT), Mix: mix})
		}, math.Log(minTemperature), math.Log(maxTemperature), 1e-4)
		return math.Exp(logT), nll
	}
	mix, _ := goldenMin(func(mix float64) float64 { _, nll := bestT(mix); return nll }, 0, maxMix, 1e-4)
	t, _ := bestT(mix)
	return calibration{T: t, Mix: mix}
}

// goldenMin finds the minimum of a unimodal f on [lo, hi] to within tol.
func goldenMin(f func(float64) float64, lo, hi, tol float64) (x, fx float64) {
	phi := (math.Sqrt(5) - 1) / 2
	a, b := hi-phi*(hi-lo), lo+phi*(hi-lo)
	fa, fb := f(a), f(b)
	for hi-lo > tol {
		if fa <= fb {
			hi, b, fb = b, a, fa
			a = hi - phi*(hi-lo)
			fa = f(a)
		} else {
			lo, a, fa = a, b, fb
			b = lo + phi*(hi-lo)
			fb = f(b)
		}
	}
	x = (lo + hi) / 2
	return x, f(x)
}

// meanNLL is the mean of −ln p(true class) under calibration c.
func meanNLL(scores [][]float64, labels []int, c calibration) float64 {
	var sum float64
	var p []float64
	for i, s := range scores {
		if cap(p) < len(s) {
			p = make([]float64, len(s))
		}
		p = p[:len(s)]
		c.apply(s, p)
		sum -= math.Log(math.Max(p[labels[i]], 1e-15))
	}
	return sum / float64(len(scores))
}

// Bin is one row of a reliability table: the predictions whose top
// probability fell in [Lo, Hi).
type Bin struct {
	Lo         float64 `json:"lo"`
	Hi         float64 `json:"hi"`
	Count      int     `json:"count"`
	Confidence float64 `json:"confidence"` // mean top probability in the bin
	Accuracy   float64 `json:"accuracy"`   // share of those predictions that were right
}

// ReliabilityTable groups predictions into equal-width confidence bins
// over [0, 1]; conf[i] is the top probability and correct[i] whether that
// label was right. Empty bins are kept so tables line up.
func ReliabilityTable(conf []float64, correct []bool, bins int) []Bin {
	if bins < 1 {
		bins = 1
	}
	t := make([]Bin, bins)
	for i := range t {
		t[i].Lo = float64(i) / float64(bins)
		t[i].Hi = float64(i+1) / float64(bins)
	}
	for i, c := range conf {
		b := int(c * float64(bins))
		b = min(max(b, 0), bins-1) // c == 1 belongs to the last bin
		t[b].Count++
		t[b].Confidence += c
		if correct[i] {
			t[b].Accuracy++
		}
	}
	for i := range t {
		if t[i].Count > 0 {
			t[i].Confidence /= float64(t[i].Count)
			t[i].Accuracy /= float64(t[i].Count)
		}
	}
	return t
}

// ECE is the expected calibration error of a reliability table: the
// count-weighted mean gap between confidence and accuracy. 0 is perfect.
func ECE(table []Bin) float64 {
	var n int
	var sum float64
	for _, b := range table {
		n += b.Count
		sum += float64(b.Count) * math.Abs(b.Confidence-b.Accuracy)
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}
