package classify

import (
	"math/rand/v2"
)

// trainSoftmax fits multinomial logistic regression, minimising the mean
// cross-entropy + L2/2·‖W‖², by plain SGD with the step
// η_t = η0/(1+η0·L2·t). The L2 shrink of all weights at every step is
// applied through one shared scale factor (Bottou's trick), so a step costs
// only the terms of the current example. (A measured Adagrad variant with
// L2 on touched weights only was about 0.015 macro-F1 worse.)
func trainSoftmax(xs []sparse, y []int, k, features int, opt Options, rng *rand.Rand) linear {
	v := make([]float64, features*k) // weights are scale·v
	b := make([]float64, k)
	cw := classWeights(y, k, opt.Balanced)
	eta0, l2 := opt.LearningRate, opt.L2
	scale := 1.0
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	s := make([]float64, k)
	p := make([]float64, k)
	t := 0.0
	for epoch := 0; epoch < opt.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			eta := eta0 / (1 + eta0*l2*t)
			t++
			x := xs[i]
			clear(s)
			for n, j := range x.idx {
				xv := float64(x.val[n])
				row := v[int(j)*k : int(j)*k+k]
				for c := range s {
					s[c] += xv * row[c]
				}
			}
			for c := range s {
				s[c] = s[c]*scale + b[c]
			}
			softmaxInto(s, 1, p)
			p[y[i]] -= 1 // p is now the loss gradient w.r.t. the scores
			for c := range p {
				p[c] *= cw[y[i]]
				b[c] -= eta * p[c]
			}
			scale *= 1 - eta*l2
			if scale < 1e-6 { // fold the scale back before it underflows
				for j := range v {
					v[j] *= scale
				}
				scale = 1
			}
			step := eta / scale
			for n, j := range x.idx {
				xv := float64(x.val[n]) * step
				row := v[int(j)*k : int(j)*k+k]
				for c, g := range p {
					row[c] -= g * xv
				}
			}
		}
	}
	for j := range v {
		v[j] *= scale
	}
	return linear{k: k, w: toFloat32(v), b: toFloat32(b)}
}
