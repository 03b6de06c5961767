package classify

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"
)

// Report is the outcome of CrossValidate. Scores are computed over the
// pooled out-of-fold predictions: every example is predicted exactly once,
// by a model that did not see it (nor any copy of its text).
type Report struct {
	Options     Options        `json:"options"`
	K           int            `json:"k"`
	N           int            `json:"n"`
	Labels      []string       `json:"labels"`
	Accuracy    float64        `json:"accuracy"`
	MacroF1     float64        `json:"macro_f1"`
	FoldMacroF1 []float64      `json:"fold_macro_f1"`
	ECE         float64        `json:"ece"`      // 10 equal-width bins
	LogLoss     float64        `json:"log_loss"` // mean −ln p(true label)
	PerClass    []ClassMetrics `json:"per_class"`
	// Confusion[i][j] counts examples of Labels[i] predicted as Labels[j].
	Confusion   [][]int `json:"confusion"`
	Reliability []Bin   `json:"reliability"`

	Temperature   float64 `json:"temperature"`    // mean over folds
	TopA          float64 `json:"top_a"`          // mean over folds
	TopB          float64 `json:"top_b"`          // mean over folds
	Terms         int     `json:"terms"`          // mean vocabulary size
	ModelBytes    int     `json:"model_bytes"`    // mean saved model size
	TrainSeconds  float64 `json:"train_seconds"`  // mean wall time of one Train
	PredictMicros float64 `json:"predict_micros"` // mean wall time of one Predict
}

// reliabilityBins is the usual 10-bin choice for ECE.
const reliabilityBins = 10

// CrossValidate estimates how well Train(…, opt) generalises by stratified
// k-fold cross-validation; examples with the same normalised text share a
// fold. Each fold's Train includes its own calibration fitting, so the
// reported ECE measures the calibration users would get.
func CrossValidate(examples []Example, k int, opt Options) (Report, error) {
	if k < 2 {
		return Report{}, fmt.Errorf("classify: cross-validation needs k ≥ 2, got %d", k)
	}
	if err := opt.validate(); err != nil {
		return Report{}, err
	}
	labels, y, err := encodeLabels(examples)
	if err != nil {
		return Report{}, err
	}
	if len(examples) < k {
		return Report{}, fmt.Errorf("classify: %d examples cannot fill %d folds", len(examples), k)
	}
	groups := make([]string, len(examples))
	for i, ex := range examples {
		groups[i] = Normalize(ex.Text)
	}
	fold := stratifiedFolds(y, groups, k, rand.New(rand.NewPCG(opt.Seed, seedStream+1)))

	r := Report{Options: opt, K: k, N: len(examples), Labels: labels}
	pred := make([]int, len(examples))
	conf := make([]float64, len(examples))
	correct := make([]bool, len(examples))
	var nll, trainSec, predSec float64
	var predicted int
	for f := 0; f < k; f++ {
		var train []Example
		var test []int
		for i, ex := range examples {
			if fold[i] == f {
				test = append(test, i)
			} else {
				train = append(train, ex)
			}
		}
		start := time.Now()
		m, err := Train(train, opt)
		if err != nil {
			return Report{}, fmt.Errorf("classify: fold %d: %w", f+1, err)
		}
		trainSec += time.Since(start).Seconds()
		r.Temperature += m.Temperature() / float64(k)
		r.TopA += m.calib.A / float64(k)
		r.TopB += m.calib.B / float64(k)
		r.Terms += m.NumTerms()
		var cw countingWriter
		if err := m.Save(&cw); err != nil {
			return Report{}, err
		}
		r.ModelBytes += cw.n

		foldPred := make([]int, 0, len(test))
		foldY := make([]int, 0, len(test))
		start = time.Now()
		for _, i := range test {
			ps := m.Predict(examples[i].Text)
			pred[i] = indexOf(labels, ps[0].Label)
			conf[i] = ps[0].Prob
			correct[i] = pred[i] == y[i]
			pTrue := 0.0
			for _, p := range ps {
				if p.Label == examples[i].Label {
					pTrue = p.Prob
				}
			}
			nll -= math.Log(math.Max(pTrue, 1e-15))
			foldPred = append(foldPred, pred[i])
			foldY = append(foldY, y[i])
		}
		predSec += time.Since(start).Seconds()
		predicted += len(test)
		_, f1, _ := classMetrics(confusion(foldY, foldPred, len(labels)), labels)
		r.FoldMacroF1 = append(r.FoldMacroF1, f1)
	}
	r.Terms /= k
	r.ModelBytes /= k
	r.TrainSeconds = trainSec / float64(k)
	r.PredictMicros = predSec / float64(predicted) * 1e6
	r.LogLoss = nll / float64(len(examples))
	r.Confusion = confusion(y, pred, len(labels))
	r.PerClass, r.MacroF1, r.Accuracy = classMetrics(r.Confusion, labels)
	r.Reliability = ReliabilityTable(conf, correct, reliabilityBins)
	r.ECE = ECE(r.Reliability)
	return r, nil
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// countingWriter measures a saved model's size without keeping it.
type countingWriter struct{ n int }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += len(p)
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)
