package classify

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
)

// seedStream fixes the second PCG word so that Options.Seed alone decides
// every shuffle.
const seedStream = 0x7369796e67 // "siyng"

// Train fits a model to examples. The same examples and options always give
// the same model. With Options.CalibrationFolds ≥ 2 it first trains that many
// models on parts of the data to collect out-of-fold scores and fits the
// calibration on them — a softmax temperature and a Platt curve for the top
// label's probability — then trains the returned model on all data.
func Train(examples []Example, opt Options) (*Model, error) {
	if err := opt.validate(); err != nil {
		return nil, err
	}
	labels, y, err := encodeLabels(examples)
	if err != nil {
		return nil, err
	}
	ext, err := newExtractor(opt)
	if err != nil {
		return nil, err
	}
	docs := make([]map[string]int32, len(examples))
	for i, ex := range examples {
		docs[i] = ext.counts(ex.Text)
	}
	rng := rand.New(rand.NewPCG(opt.Seed, seedStream))
	k := len(labels)

	calib := identity
	if f := opt.CalibrationFolds; f >= 2 && len(examples) >= f {
		groups := make([]string, len(examples))
		for i, ex := range examples {
			groups[i] = Normalize(ex.Text)
		}
		calib = heldOutCalibration(docs, y, groups, k, f, opt, rng)
	}
	vocab, lin := fit(docs, y, k, opt, rng)
	return &Model{labels: labels, opt: opt, vocab: vocab, lin: lin, calib: calib, ext: ext}, nil
}

// fit builds the vocabulary from docs and trains the linear model.
func fit(docs []map[string]int32, y []int, k int, opt Options, rng *rand.Rand) (vocabulary, linear) {
	vocab := buildVocabulary(docs, opt.MinDF, opt.MaxTerms)
	xs := make([]sparse, len(docs))
	for i, d := range docs {
		xs[i] = vocab.vector(d)
	}
	var lin linear
	switch opt.Model {
	case SVM:
		lin = trainSVM(xs, y, k, len(vocab.terms), opt, rng)
	default:
		lin = trainSoftmax(xs, y, k, len(vocab.terms), opt, rng)
	}
	return vocab, lin
}

// heldOutCalibration fits the calibration on scores of examples that the
// scoring model did not see: scores on training data are overconfident.
func heldOutCalibration(docs []map[string]int32, y []int, groups []string, k, folds int, opt Options, rng *rand.Rand) calibration {
	fold := stratifiedFolds(y, groups, folds, rng)
	scores := make([][]float64, len(docs))
	for f := 0; f < folds; f++ {
		var trDocs []map[string]int32
		var trY, test []int
		for i, d := range docs {
			if fold[i] == f {
				test = append(test, i)
			} else {
				trDocs = append(trDocs, d)
				trY = append(trY, y[i])
			}
		}
		if len(test) == 0 || len(trDocs) == 0 {
			continue
		}
		vocab, lin := fit(trDocs, trY, k, opt, rng)
		for _, i := range test {
			scores[i] = make([]float64, k)
			lin.scores(vocab.vector(docs[i]), scores[i])
		}
	}
	var s [][]float64
	var l []int
	for i, sc := range scores {
		if sc != nil {
			s = append(s, sc)
			l = append(l, y[i])
		}
	}
	return fitCalibration(s, l)
}

// encodeLabels returns the sorted distinct labels and each example's index.
func encodeLabels(examples []Example) ([]string, []int, error) {
	if len(examples) == 0 {
		return nil, nil, errors.New("classify: no examples")
	}
	seen := map[string]bool{}
	for i, ex := range examples {
		if ex.Label == "" {
			return nil, nil, fmt.Errorf("classify: example %d has an empty label", i)
		}
		seen[ex.Label] = true
	}
	if len(seen) < 2 {
		return nil, nil, fmt.Errorf("classify: need at least 2 labels, have %d", len(seen))
	}
	labels := make([]string, 0, len(seen))
	for l := range seen {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	index := make(map[string]int, len(labels))
	for i, l := range labels {
		index[l] = i
	}
	y := make([]int, len(examples))
	for i, ex := range examples {
		y[i] = index[ex.Label]
	}
	return labels, y, nil
}
