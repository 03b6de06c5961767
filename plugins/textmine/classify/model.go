package classify

import (
	"sort"
)

// Example is one labelled message.
type Example struct {
	Text  string
	Label string
}

// Prediction is a label with its calibrated probability.
type Prediction struct {
	Label string  `json:"label"`
	Prob  float64 `json:"prob"`
}

// Model is a trained classifier. It is immutable after Train or Load and
// safe for concurrent use.
type Model struct {
	labels []string
	opt    Options
	vocab  vocabulary
	lin    linear
	calib  calibration
	ext    *extractor
}

// Labels returns the classes the model knows, in its internal order.
func (m *Model) Labels() []string { return append([]string(nil), m.labels...) }

// Options returns the options the model was trained with.
func (m *Model) Options() Options { return m.opt }

// Temperature returns the fitted softmax temperature (1 = unscaled).
func (m *Model) Temperature() float64 { return m.calib.T }

// Calibration is the fitted map from raw scores to probabilities:
// softmax(score/Temperature), then the top label's probability p becomes
// σ(TopA·logit(p)+TopB) and the others share the rest in proportion.
type Calibration struct {
	Temperature float64 `json:"temperature"`
	TopA        float64 `json:"top_a"`
	TopB        float64 `json:"top_b"`
}

// Calibration returns the fitted calibration (1, 1, 0 = none).
func (m *Model) Calibration() Calibration {
	return Calibration{Temperature: m.calib.T, TopA: m.calib.A, TopB: m.calib.B}
}

// NumTerms returns the vocabulary size.
func (m *Model) NumTerms() int { return len(m.vocab.terms) }

// Predict returns every label with its probability, most likely first
// (ties by label). The probabilities sum to 1. Text with no known term
// gets the class priors the biases learned.
func (m *Model) Predict(text string) []Prediction {
	p := m.probs(m.vocab.vector(m.ext.counts(text)))
	out := make([]Prediction, len(p))
	for c, v := range p {
		out[c] = Prediction{Label: m.labels[c], Prob: v}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Prob != out[j].Prob {
			return out[i].Prob > out[j].Prob
		}
		return out[i].Label < out[j].Label
	})
	return out
}

// Top returns the most likely label and its probability.
func (m *Model) Top(text string) Prediction { return m.Predict(text)[0] }

// probs returns the calibrated class probabilities of a vector.
func (m *Model) probs(x sparse) []float64 {
	s := make([]float64, len(m.labels))
	m.lin.scores(x, s)
	p := make([]float64, len(s))
	m.calib.apply(s, p)
	return p
}
