package classify

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// FeatureSet names which terms a document is turned into.
type FeatureSet string

// The feature sets Train understands.
const (
	// CharFeatures: character n-grams from 1 to Options.MaxNGram inside
	// each segment. Needs no dictionary and copes with the place names,
	// typos and new words that appeals are full of.
	CharFeatures FeatureSet = "char"
	// WordFeatures: the words of a registered segmenter (Options.Tokenizer).
	WordFeatures FeatureSet = "word"
	// CharWordFeatures: both of the above in one vector.
	CharWordFeatures FeatureSet = "char+word"
)

func (f FeatureSet) usesChars() bool { return f == CharFeatures || f == CharWordFeatures }
func (f FeatureSet) usesWords() bool { return f == WordFeatures || f == CharWordFeatures }

// wordPrefix keeps word terms apart from character n-grams in the combined
// vocabulary; Normalize removes ':' so no n-gram can start with it.
const wordPrefix = "w:"

// numberUnit stands for any run of three or more digits: phone numbers,
// years and amounts differ in every appeal and only their presence matters.
const numberUnit = "#"

var (
	tokenizersMu sync.RWMutex
	tokenizers   = map[string]func(string) []string{}
)

// RegisterWordTokenizer makes a word segmenter available to models whose
// Options.Tokenizer is name. cut receives normalized text (see Normalize)
// and returns its words; it must be safe for concurrent use. Registering a
// name twice replaces the earlier segmenter.
func RegisterWordTokenizer(name string, cut func(text string) []string) {
	tokenizersMu.Lock()
	defer tokenizersMu.Unlock()
	tokenizers[name] = cut
}

func wordTokenizer(name string) (func(string) []string, error) {
	tokenizersMu.RLock()
	defer tokenizersMu.RUnlock()
	cut, ok := tokenizers[name]
	if !ok {
		names := make([]string, 0, len(tokenizers))
		for n := range tokenizers {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("classify: word tokenizer %q is not registered (registered: %v); "+
			"for \"gse\" import siyang/plugins/textmine/classify/gseword", name, names)
	}
	return cut, nil
}

// extractor turns raw text into term counts.
type extractor struct {
	set   FeatureSet
	maxN  int
	words func(string) []string
}

func newExtractor(opt Options) (*extractor, error) {
	e := &extractor{set: opt.Features, maxN: opt.MaxNGram}
	if e.set.usesWords() {
		cut, err := wordTokenizer(opt.Tokenizer)
		if err != nil {
			return nil, err
		}
		e.words = cut
	}
	return e, nil
}

// counts returns how often each term occurs in text.
func (e *extractor) counts(text string) map[string]int32 {
	norm := Normalize(text)
	tc := make(map[string]int32, len(norm)/2)
	if e.set.usesChars() {
		var units []string
		for _, seg := range strings.Split(norm, " ") {
			units = appendUnits(units[:0], seg)
			addNGrams(tc, units, e.maxN)
		}
	}
	if e.set.usesWords() {
		for _, w := range e.words(norm) {
			w = strings.TrimSpace(w)
			if w == "" {
				continue
			}
			if isNumber(w) {
				w = numberUnit
			}
			tc[wordPrefix+w]++
		}
	}
	return tc
}

// appendUnits splits a segment into the units n-grams are made of: each
// non-ASCII letter on its own, each run of ASCII letters and digits as one
// unit (so "a3区" is "a3","区" and "wifi" stays a word).
func appendUnits(units []string, seg string) []string {
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		u := seg[start:end]
		if isNumber(u) {
			u = numberUnit
		}
		units = append(units, u)
		start = -1
	}
	for i, r := range seg {
		if r < 0x80 {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		units = append(units, string(r))
	}
	flush(len(seg))
	return units
}

// isNumber reports whether s is a run of three or more ASCII digits.
func isNumber(s string) bool {
	if len(s) < 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func addNGrams(tc map[string]int32, units []string, maxN int) {
	var b strings.Builder
	for i := range units {
		b.Reset()
		for n := 1; n <= maxN && i+n <= len(units); n++ {
			b.WriteString(units[i+n-1])
			tc[b.String()]++
		}
	}
}
