// Package classify is a small, dependency-free Chinese text classifier for
// citizen appeals: it suggests a category (and so an owning department) with
// a calibrated confidence.
//
// The pipeline is deliberately plain so that it trains in seconds on a few
// thousand messages and can be retrained by an administrator:
//
//	Normalize → features (character n-grams and/or words) → TF-IDF (sublinear
//	tf, min-df vocabulary, L2 norm) → linear model (softmax regression or
//	one-vs-rest linear SVM) → calibrated softmax.
//
// The calibration (a temperature, then a Platt curve on the top label's
// probability) is fitted on out-of-fold scores inside Train, so the
// probabilities returned by Predict are calibrated: among suggestions made
// with confidence 0.8 about 80 % should be right. CrossValidate measures
// that (ECE, reliability table) together with accuracy and macro-F1.
//
// Word features need a segmenter registered with RegisterWordTokenizer; the
// subpackage gseword registers one backed by github.com/go-ego/gse. The
// default options use characters only, so this package needs nothing else.
package classify
