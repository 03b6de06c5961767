// Package gseword registers the word segmenter "gse" with package classify,
// backed by github.com/go-ego/gse (Apache-2.0) and the jieba-derived Chinese
// dictionary that gse embeds (MIT). Loading needs no network or files.
//
// Importing this package adds roughly 40 MB to a binary, because gse embeds
// its Chinese and Japanese dictionaries and an idf table, and the first
// segmentation takes about a second to load the dictionary. Only models
// trained with word features need it.
package gseword

import (
	"sync"

	"github.com/go-ego/gse"

	"siyang/plugins/textmine/classify"
)

// Name is the tokenizer name to put in classify.Options.Tokenizer.
const Name = "gse"

func init() { classify.RegisterWordTokenizer(Name, Cut) }

var (
	once sync.Once
	seg  gse.Segmenter
	err  error
)

// Segmenter returns the shared segmenter, loading the embedded simplified
// and traditional Chinese dictionary on first use.
func Segmenter() (*gse.Segmenter, error) {
	once.Do(func() {
		seg.SkipLog = true
		err = seg.LoadDictEmbed("zh")
	})
	return &seg, err
}

// Cut splits text into words with gse's dictionary + HMM mode (the HMM
// handles words missing from the dictionary, such as place names). It
// panics if the embedded dictionary cannot be loaded, which would mean a
// broken build rather than bad input.
func Cut(text string) []string {
	s, err := Segmenter()
	if err != nil {
		panic("gseword: loading embedded dictionary: " + err.Error())
	}
	return s.Cut(text, true)
}
