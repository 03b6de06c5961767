package classify

import "math"

// Temperature search range. Softmax scores rarely need T outside it; an
// SVM margin of 1 typically needs T around 0.2.
const (
	minTemperature = 0.01
	maxTemperature = 100
)

// calibration turns raw class scores into probabilities in two steps.
//
// Temperature scaling, softmax(score/T), sets the whole distribution. On the
// appeal data one T cannot make the top label's probability honest: the
// surest predictions come out overconfident (0.985 said, 0.96 right — some
// labels are ambiguous or wrong) and the middle underconfident (0.65 said,
// 0.79 right), for SVM and softmax models alike. So a second step maps the
// top probability through a Platt curve on its logit,
// σ(A·logit(p)+B), and rescales the other labels to share the rest. The
// top label stays on top; A=1, B=0 leaves the probabilities unchanged.
type calibration struct {
	T    float64
	A, B float64
}

var identity = calibration{T: 1, A: 1}

// apply writes the calibrated probabilities of scores s into p.
func (c calibration) apply(s, p []float64) {
	softmaxInto(s, 1/c.T, p)
	if c.A == 1 && c.B == 0 || len(p) < 2 {
		return
	}
	top := argmax(p)
	var rest, second float64
	for i, v := range p {
		if i != top {
			rest += v
			second = math.Max(second, v)
		}
	}
	conf := sigmoid(c.A*logit(p[top]) + c.B)
	// Never let the runner-up overtake the top label.
	if rest > 0 {
		conf = math.Max(conf, second/(rest+second))
	}
	for i := range p {
		switch {
		case i == top:
			p[i] = conf
		case rest > 0:
			p[i] *= (1 - conf) / rest
		default:
			p[i] = (1 - conf) / float64(len(p)-1)
		}
	}
}

// fitCalibration fits T by minimising the mean negative log-likelihood of
// held-out scores (golden-section search: the NLL is unimodal in log T), then
// fits the top-label Platt curve to whether the top label was right.
func fitCalibration(scores [][]float64, labels []int) calibration {
	if len(scores) == 0 {
		return identity
	}
	logT, _ := goldenMin(func(logT float64) float64 {
		return meanNLL(scores, labels, calibration{T: math.Exp(logT), A: 1})
	}, math.Log(minTemperature), math.Log(maxTemperature), 1e-4)
	c := calibration{T: math.Exp(logT), A: 1}
	z := make([]float64, len(scores))
	right := make([]bool, len(scores))
	p := make([]float64, len(scores[0]))
	for i, s := range scores {
		c.apply(s, p)
		top := argmax(p)
		z[i], right[i] = logit(p[top]), top == labels[i]
	}
	if a, b := fitPlatt(z, right); a > 0 && !math.IsInf(a+b, 0) && !math.IsNaN(a+b) {
		c.A, c.B = a, b // a ≤ 0 would reverse the ranking: keep the identity
	}
	return c
}

// fitPlatt fits P(right) = σ(A·z+B) by Newton's method on the log-loss with
// Platt's smoothed targets, which keep A and B finite when every held-out
// prediction in a region was right.
func fitPlatt(z []float64, right []bool) (a, b float64) {
	var nPos, nNeg float64
	for _, r := range right {
		if r {
			nPos++
		} else {
			nNeg++
		}
	}
	hi, lo := (nPos+1)/(nPos+2), 1/(nNeg+2)
	a, b = 1, 0
	for iter := 0; iter < 100; iter++ {
		var ga, gb, haa, hab, hbb float64
		for i, zi := range z {
			t := lo
			if right[i] {
				t = hi
			}
			q := sigmoid(a*zi + b)
			d := q - t
			w := math.Max(q*(1-q), 1e-12)
			ga += d * zi
			gb += d
			haa += w * zi * zi
			hab += w * zi
			hbb += w
		}
		det := haa*hbb - hab*hab
		if det <= 1e-12 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		a, b = a-da, b-db
		if math.Abs(da) < 1e-9 && math.Abs(db) < 1e-9 {
			break
		}
	}
	return a, b
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// logit clamps p away from 0 and 1 so that a saturated softmax still maps
// to a finite value.
func logit(p float64) float64 {
	p = math.Min(math.Max(p, 1e-12), 1-1e-12)
	return math.Log(p / (1 - p))
}

func argmax(p []float64) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
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
