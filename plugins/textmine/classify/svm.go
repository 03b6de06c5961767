package classify

import (
	"math"
	"math/rand/v2"
)

// SVM solver limits, as in LIBLINEAR's dual solvers: stop when the
// projected-gradient spread falls under svmTolerance.
const (
	svmTolerance = 0.1
	svmMaxPasses = 1000
)

// trainSVM fits one L2-regularised squared-hinge SVM per class against the
// rest by dual coordinate descent (Hsieh et al., ICML 2008). The bias is an
// extra constant feature of value 1, regularised like the others.
func trainSVM(xs []sparse, y []int, k, features int, opt Options, rng *rand.Rand) linear {
	n := len(xs)
	W := make([]float64, features*k)
	B := make([]float64, k)
	cw := classWeights(y, k, opt.Balanced)
	qd := make([]float64, n) // ‖x‖² including the bias feature
	diag := make([]float64, n)
	for i, x := range xs {
		qd[i] = 1
		for _, v := range x.val {
			qd[i] += float64(v) * float64(v)
		}
		diag[i] = 1 / (2 * opt.C * cw[y[i]])
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	w := make([]float64, features)
	alpha := make([]float64, n)
	for c := 0; c < k; c++ {
		clear(w)
		clear(alpha)
		var bias float64
		for pass := 0; pass < svmMaxPasses; pass++ {
			rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
			pgMax, pgMin := math.Inf(-1), math.Inf(1)
			for _, i := range order {
				x := xs[i]
				yi := -1.0
				if y[i] == c {
					yi = 1
				}
				dot := bias
				for m, j := range x.idx {
					dot += float64(x.val[m]) * w[j]
				}
				g := yi*dot - 1 + diag[i]*alpha[i]
				pg := g
				if alpha[i] == 0 && g > 0 {
					pg = 0 // at the bound and the gradient points outward
				}
				pgMax, pgMin = math.Max(pgMax, pg), math.Min(pgMin, pg)
				if pg == 0 {
					continue
				}
				old := alpha[i]
				alpha[i] = math.Max(old-g/(qd[i]+diag[i]), 0)
				d := (alpha[i] - old) * yi
				for m, j := range x.idx {
					w[j] += d * float64(x.val[m])
				}
				bias += d
			}
			if pgMax-pgMin <= svmTolerance {
				break
			}
		}
		for j, v := range w {
			W[j*k+c] = v
		}
		B[c] = bias
	}
	return linear{k: k, w: toFloat32(W), b: toFloat32(B)}
}
