package classify

// ClassMetrics are the one-vs-rest scores of one label.
type ClassMetrics struct {
	Label     string  `json:"label"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"` // examples whose true label this is
}

// confusion counts predictions: m[true][predicted].
func confusion(y, pred []int, k int) [][]int {
	m := make([][]int, k)
	for i := range m {
		m[i] = make([]int, k)
	}
	for i := range y {
		m[y[i]][pred[i]]++
	}
	return m
}

// classMetrics derives precision, recall and F1 per class from a confusion
// matrix, and their unweighted mean F1 (macro-F1: small classes count as
// much as large ones, which matters because 交通运输 has a third of the
// examples of 城乡建设).
func classMetrics(cm [][]int, labels []string) (per []ClassMetrics, macroF1, accuracy float64) {
	k := len(labels)
	var right, total int
	for c := 0; c < k; c++ {
		var tp, fp, fn int
		tp = cm[c][c]
		for o := 0; o < k; o++ {
			if o != c {
				fn += cm[c][o]
				fp += cm[o][c]
			}
		}
		m := ClassMetrics{Label: labels[c], Support: tp + fn}
		if tp+fp > 0 {
			m.Precision = float64(tp) / float64(tp+fp)
		}
		if tp+fn > 0 {
			m.Recall = float64(tp) / float64(tp+fn)
		}
		if m.Precision+m.Recall > 0 {
			m.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
		}
		per = append(per, m)
		macroF1 += m.F1
		right += tp
		total += tp + fn
	}
	if k > 0 {
		macroF1 /= float64(k)
	}
	if total > 0 {
		accuracy = float64(right) / float64(total)
	}
	return per, macroF1, accuracy
}
