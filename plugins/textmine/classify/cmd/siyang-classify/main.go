// Command siyang-classify trains, evaluates and applies the appeal
// classifier of package classify.
//
//	siyang-classify train   -csv appeals.csv -out model.bin [options]
//	siyang-classify eval    -csv appeals.csv -k 5 [-json] [options]
//	siyang-classify predict -model model.bin [-top 3] "留言文本" ...
//
// With no text arguments predict reads one message per line from stdin.
// Run a subcommand with -h for the options.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"siyang/plugins/textmine/classify"
	_ "siyang/plugins/textmine/classify/gseword" // word features ("gse")
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "train":
		err = train(os.Args[2:])
	case "eval":
		err = eval(os.Args[2:])
	case "predict":
		err = predict(os.Args[2:], os.Stdin, os.Stdout)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "siyang-classify:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: siyang-classify train|eval|predict [flags]; -h after a subcommand lists its flags")
	os.Exit(2)
}

// dataFlags registers the CSV and model options shared by train and eval.
func dataFlags(fs *flag.FlagSet) (csvPath *string, mapping func() classify.Mapping, opt *classify.Options) {
	d := classify.DefaultOptions()
	opt = &d
	csvPath = fs.String("csv", "", "labelled CSV file (required)")
	label := fs.String("label", classify.DefaultMapping().Label, "label column")
	text := fs.String("text", strings.Join(classify.DefaultMapping().Text, ","), "text columns, comma-separated")
	fs.Func("features", "char, word or char+word (default "+string(d.Features)+")", func(s string) error {
		opt.Features = classify.FeatureSet(s)
		return nil
	})
	fs.IntVar(&opt.MaxNGram, "ngram", d.MaxNGram, "longest character n-gram")
	fs.IntVar(&opt.MinDF, "min-df", d.MinDF, "minimum document frequency of a term")
	fs.IntVar(&opt.MaxTerms, "max-terms", d.MaxTerms, "keep only the most frequent terms (0 = all)")
	fs.Func("model", "softmax or svm (default "+string(d.Model)+")", func(s string) error {
		opt.Model = classify.ModelKind(s)
		return nil
	})
	fs.IntVar(&opt.Epochs, "epochs", d.Epochs, "softmax training passes")
	fs.Float64Var(&opt.L2, "l2", d.L2, "softmax L2 penalty")
	fs.Float64Var(&opt.LearningRate, "lr", d.LearningRate, "softmax Adagrad step")
	fs.Float64Var(&opt.C, "c", d.C, "SVM C")
	fs.BoolVar(&opt.Balanced, "balanced", d.Balanced, "weight classes inversely to frequency")
	fs.IntVar(&opt.CalibrationFolds, "calib-folds", d.CalibrationFolds, "folds for fitting the temperature (<2: none)")
	fs.Uint64Var(&opt.Seed, "seed", d.Seed, "random seed")
	mapping = func() classify.Mapping {
		return classify.Mapping{Label: *label, Text: strings.Split(*text, ",")}
	}
	return csvPath, mapping, opt
}

func readExamples(path string, m classify.Mapping) ([]classify.Example, error) {
	if path == "" {
		return nil, errors.New("-csv is required")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return classify.ReadCSV(f, m)
}

func train(args []string) error {
	fs := flag.NewFlagSet("train", flag.ExitOnError)
	csvPath, mapping, opt := dataFlags(fs)
	out := fs.String("out", "model.bin", "where to write the model")
	fs.Parse(args)
	examples, err := readExamples(*csvPath, mapping())
	if err != nil {
		return err
	}
	start := time.Now()
	m, err := classify.Train(examples, *opt)
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := m.Save(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("trained on %d examples, %d labels, %d terms, temperature %.3f in %.1f s; wrote %s\n",
		len(examples), len(m.Labels()), m.NumTerms(), m.Temperature(), time.Since(start).Seconds(), *out)
	return nil
}

func eval(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ExitOnError)
	csvPath, mapping, opt := dataFlags(fs)
	k := fs.Int("k", 5, "number of folds")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.Parse(args)
	examples, err := readExamples(*csvPath, mapping())
	if err != nil {
		return err
	}
	r, err := classify.CrossValidate(examples, *k, *opt)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return r.WriteText(os.Stdout)
}

func predict(args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("predict", flag.ExitOnError)
	modelPath := fs.String("model", "model.bin", "model written by train")
	top := fs.Int("top", 3, "labels to print per message")
	fs.Parse(args)
	f, err := os.Open(*modelPath)
	if err != nil {
		return err
	}
	m, err := classify.Load(f)
	f.Close()
	if err != nil {
		return err
	}
	show := func(text string) {
		ps := m.Predict(text)
		parts := make([]string, 0, *top)
		for _, p := range ps[:min(*top, len(ps))] {
			parts = append(parts, fmt.Sprintf("%s %.3f", p.Label, p.Prob))
		}
		fmt.Fprintln(stdout, strings.Join(parts, "\t"))
	}
	if fs.NArg() > 0 {
		for _, text := range fs.Args() {
			show(text)
		}
		return nil
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		show(sc.Text())
	}
	return sc.Err()
}
