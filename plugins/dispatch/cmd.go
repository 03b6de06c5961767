package dispatch

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"siyang/plugins/textmine/classify"
)

// bindCommands adds `classify train` and `classify eval` to the binary.
func bindCommands(app core.App, rootCmd *cobra.Command, p *plugin) {
	if rootCmd == nil {
		return
	}
	cmd := &cobra.Command{Use: "classify", Short: "Train and evaluate the appeal classifier"}

	var label, textCols string
	var history bool
	train := &cobra.Command{
		Use:   "train",
		Short: "Train the classifier from a labelled CSV and/or the platform's confirmed appeals, and store it in the data folder",
		RunE: func(c *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			p.models.dir = app.DataDir()
			csvPath, _ := c.Flags().GetString("csv")
			if csvPath != "" {
				examples, err := readExamples(csvPath, label, textCols)
				if err != nil {
					return err
				}
				if err := p.models.saveBase(examples); err != nil {
					return err
				}
				fmt.Fprintf(c.OutOrStdout(), "imported %d examples from %s\n", len(examples), csvPath)
			} else if !history {
				return fmt.Errorf("give --csv PATH, --history, or both")
			}
			if !history {
				// train on the CSV alone: hide the history by training directly
				base, err := p.models.base()
				if err != nil {
					return err
				}
				model, err := classify.Train(base, p.config.TrainOptions)
				if err != nil {
					return err
				}
				if err := p.models.save(model, trainingMeta{BaseExamples: len(base)}); err != nil {
					return err
				}
				fmt.Fprintf(c.OutOrStdout(), "trained on %d examples, model saved to %s\n", len(base), ModelFile)
				return nil
			}
			_, n, err := p.Retrain(true)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "trained on %d examples (CSV + confirmed history), model saved to %s\n", n, ModelFile)
			return nil
		},
	}
	train.Flags().String("csv", "", "labelled CSV (RFC 4180, UTF-8, header row)")
	train.Flags().BoolVar(&history, "history", false, "also learn from appeals whose category an operator confirmed")
	train.Flags().StringVar(&label, "label", "一级标签", "label column")
	train.Flags().StringVar(&textCols, "text", "留言主题,留言详情", "text columns, comma-separated, joined")

	var folds int
	var testPath string
	var asJSON bool
	eval := &cobra.Command{
		Use:   "eval --csv PATH [--folds 10 | --test PATH] [--json]",
		Short: "Report accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix",
		RunE: func(c *cobra.Command, args []string) error {
			csvPath, _ := c.Flags().GetString("csv")
			if csvPath == "" {
				return fmt.Errorf("give --csv PATH")
			}
			examples, err := readExamples(csvPath, label, textCols)
			if err != nil {
				return err
			}
			var report classify.Report
			if testPath != "" {
				test, err := readExamples(testPath, label, textCols)
				if err != nil {
					return err
				}
				model, err := classify.Train(examples, p.config.TrainOptions)
				if err != nil {
					return err
				}
				report = classify.Evaluate(model, test)
			} else {
				report, err = classify.CrossValidate(examples, folds, p.config.TrainOptions)
				if err != nil {
					return err
				}
			}
			return printReport(c.OutOrStdout(), report, asJSON)
		},
	}
	eval.Flags().String("csv", "", "labelled CSV to train on (and cross-validate)")
	eval.Flags().IntVar(&folds, "folds", 10, "k of k-fold cross-validation")
	eval.Flags().StringVar(&testPath, "test", "", "train on --csv, test on this labelled CSV instead of cross-validating")
	eval.Flags().BoolVar(&asJSON, "json", false, "machine-readable output")
	eval.Flags().StringVar(&label, "label", "一级标签", "label column")
	eval.Flags().StringVar(&textCols, "text", "留言主题,留言详情", "text columns, comma-separated, joined")

	cmd.AddCommand(train, eval)
	rootCmd.AddCommand(cmd)
}

func readExamples(path, label, textCols string) ([]classify.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return classify.ReadCSV(f, classify.Mapping{Label: label, Text: strings.Split(textCols, ",")})
}

func printReport(w io.Writer, r classify.Report, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	fmt.Fprintf(w, "examples %d, folds %d\naccuracy %.4f\nmacro-F1 %.4f\nECE %.4f\n\n", r.N, r.K, r.Accuracy, r.MacroF1, r.ECE)
	fmt.Fprintf(w, "%-14s %9s %9s %9s %7s\n", "label", "precision", "recall", "F1", "n")
	for _, c := range r.PerClass {
		fmt.Fprintf(w, "%-14s %9.4f %9.4f %9.4f %7d\n", c.Label, c.Precision, c.Recall, c.F1, c.Support)
	}
	fmt.Fprintln(w, "\nconfusion (rows: true, columns: predicted)")
	fmt.Fprintf(w, "%-14s", "")
	for i := range r.Labels {
		fmt.Fprintf(w, " %5d", i+1)
	}
	fmt.Fprintln(w)
	for i, row := range r.Confusion {
		fmt.Fprintf(w, "%2d %-11s", i+1, r.Labels[i])
		for _, v := range row {
			fmt.Fprintf(w, " %5d", v)
		}
		fmt.Fprintln(w)
	}
	return nil
}
