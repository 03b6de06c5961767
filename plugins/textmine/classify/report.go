package classify

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// WriteText prints the report as plain-text tables (Markdown-compatible
// rows, so they can be pasted into the docs).
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	o := r.Options
	fmt.Fprintf(&b, "%d-fold cross-validation, %d examples, %d labels\n", r.K, r.N, len(r.Labels))
	fmt.Fprintf(&b, "options: features=%s ngram=%d min-df=%d model=%s epochs=%d l2=%g lr=%g C=%g balanced=%t calib-folds=%d seed=%d\n",
		o.Features, o.MaxNGram, o.MinDF, o.Model, o.Epochs, o.L2, o.LearningRate, o.C, o.Balanced, o.CalibrationFolds, o.Seed)
	mean, sd := meanSD(r.FoldMacroF1)
	fmt.Fprintf(&b, "accuracy %.4f  macro-F1 %.4f (folds %.4f ± %.4f)  ECE %.4f  log-loss %.4f  calibration T=%.3f A=%.2f B=%.2f\n",
		r.Accuracy, r.MacroF1, mean, sd, r.ECE, r.LogLoss, r.Temperature, r.TopA, r.TopB)
	fmt.Fprintf(&b, "terms %d  model %.0f KiB  train %.2f s/fold  predict %.0f µs/message\n\n",
		r.Terms, float64(r.ModelBytes)/1024, r.TrainSeconds, r.PredictMicros)

	tw := tabwriter.NewWriter(&b, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "| label\t| precision\t| recall\t| F1\t| support\t|")
	for _, c := range r.PerClass {
		fmt.Fprintf(tw, "| %s\t| %.3f\t| %.3f\t| %.3f\t| %d\t|\n", c.Label, c.Precision, c.Recall, c.F1, c.Support)
	}
	tw.Flush()

	b.WriteString("\nreliability (top-label confidence):\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "| confidence\t| count\t| mean confidence\t| accuracy\t|")
	for _, bin := range r.Reliability {
		if bin.Count == 0 {
			continue
		}
		fmt.Fprintf(tw, "| %.1f–%.1f\t| %d\t| %.3f\t| %.3f\t|\n", bin.Lo, bin.Hi, bin.Count, bin.Confidence, bin.Accuracy)
	}
	tw.Flush()

	b.WriteString("\nconfusion (rows: true label, columns: predicted, same order):\n")
	tw = tabwriter.NewWriter(&b, 0, 0, 1, ' ', 0)
	b2 := make([]string, len(r.Labels))
	for i := range r.Labels {
		b2[i] = fmt.Sprintf("%d", i+1)
	}
	fmt.Fprintf(tw, "| true \\ predicted\t| %s\t|\n", strings.Join(b2, "\t| "))
	for i, row := range r.Confusion {
		cells := make([]string, len(row))
		for j, n := range row {
			cells[j] = fmt.Sprintf("%d", n)
		}
		fmt.Fprintf(tw, "| %d %s\t| %s\t|\n", i+1, r.Labels[i], strings.Join(cells, "\t| "))
	}
	tw.Flush()
	_, err := io.WriteString(w, b.String())
	return err
}

func meanSD(xs []float64) (mean, sd float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	if len(xs) > 1 {
		sd = math.Sqrt(sd / float64(len(xs)-1))
	}
	return mean, sd
}
