package classify

import "math"

// linear holds one weight per (feature, class) and a bias per class.
// Weights are stored feature-major so that scoring a sparse vector reads
// K adjacent floats per term.
type linear struct {
	k int
	w []float32 // len = features*k
	b []float32 // len = k
}

// scores writes the raw class scores of x into out (len k).
func (m *linear) scores(x sparse, out []float64) {
	for c := range out {
		out[c] = float64(m.b[c])
	}
	for n, j := range x.idx {
		v := float64(x.val[n])
		row := m.w[int(j)*m.k : int(j)*m.k+m.k]
		for c, w := range row {
			out[c] += v * float64(w)
		}
	}
}

// toFloat32 rounds trained float64 weights to the stored precision, so a
// model predicts the same before and after Save/Load.
func toFloat32(xs []float64) []float32 {
	out := make([]float32, len(xs))
	for i, x := range xs {
		out[i] = float32(x)
	}
	return out
}

// softmaxInto writes softmax(s·invT) into p, stably.
func softmaxInto(s []float64, invT float64, p []float64) {
	maxS := math.Inf(-1)
	for _, v := range s {
		maxS = math.Max(maxS, v*invT)
	}
	var sum float64
	for i, v := range s {
		p[i] = math.Exp(v*invT - maxS)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
}

// classWeights returns 1 for every class, or n/(k·n_c) when balanced so
// that small classes such as 交通运输 count as much as large ones.
func classWeights(y []int, k int, balanced bool) []float64 {
	cw := make([]float64, k)
	for c := range cw {
		cw[c] = 1
	}
	if !balanced {
		return cw
	}
	count := make([]int, k)
	for _, c := range y {
		count[c]++
	}
	for c, n := range count {
		if n > 0 {
			cw[c] = float64(len(y)) / float64(k*n)
		}
	}
	return cw
}
