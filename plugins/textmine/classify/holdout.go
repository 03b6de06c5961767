package classify

import (
	"math"
	"time"
)

// Evaluate scores a trained model on held-out examples (trained on one
// file, tested on another). Test labels the model never saw count as
// errors; they are added to the report's labels.
func Evaluate(m *Model, test []Example) Report {
	labels := m.Labels()
	index := map[string]int{}
	for i, l := range labels {
		index[l] = i
	}
	for _, ex := range test {
		if _, ok := index[ex.Label]; !ok {
			index[ex.Label] = len(labels)
			labels = append(labels, ex.Label)
		}
	}
	r := Report{Options: m.Options(), K: 1, N: len(test), Labels: labels, Temperature: m.Temperature(), Terms: m.NumTerms()}
	y := make([]int, len(test))
	pred := make([]int, len(test))
	conf := make([]float64, len(test))
	correct := make([]bool, len(test))
	var nll float64
	start := time.Now()
	for i, ex := range test {
		ps := m.Predict(ex.Text)
		y[i], pred[i], conf[i] = index[ex.Label], index[ps[0].Label], ps[0].Prob
		correct[i] = y[i] == pred[i]
		pTrue := 0.0
		for _, p := range ps {
			if p.Label == ex.Label {
				pTrue = p.Prob
			}
		}
		nll -= math.Log(math.Max(pTrue, 1e-15))
	}
	if len(test) > 0 {
		r.PredictMicros = time.Since(start).Seconds() / float64(len(test)) * 1e6
		r.LogLoss = nll / float64(len(test))
	}
	var cw countingWriter
	if err := m.Save(&cw); err == nil {
		r.ModelBytes = cw.n
	}
	r.Confusion = confusion(y, pred, len(labels))
	r.PerClass, r.MacroF1, r.Accuracy = classMetrics(r.Confusion, labels)
	r.FoldMacroF1 = []float64{r.MacroF1}
	r.Reliability = ReliabilityTable(conf, correct, reliabilityBins)
	r.ECE = ECE(r.Reliability)
	return r
}
