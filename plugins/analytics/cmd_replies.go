package analytics

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"siyang/plugins/textmine/replyquality"
)

// replyColumns are the default column names (the 问政 export layout).
var replyColumns = columnMap{
	"id": "留言编号", "title": "留言主题", "appeal": "留言详情", "reply": "答复意见", "asked": "留言时间", "replied": "答复时间",
}

// repliesCommand is `siyang replies score --csv PATH`: scores every reply
// of a CSV against its appeal and prints the distribution and the worst.
func repliesCommand() *cobra.Command {
	replies := &cobra.Command{Use: "replies", Short: "Reply quality tools"}
	var path, columns string
	var worst int
	var asJSON bool
	score := &cobra.Command{
		Use:   "score",
		Short: "Score the replies of a CSV (留言详情, 答复意见, 留言时间, 答复时间) for quality",
		RunE: func(cmd *cobra.Command, args []string) error {
			if path == "" {
				return fmt.Errorf("--csv is required")
			}
			cols, err := parseColumns(columns, replyColumns)
			if err != nil {
				return err
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			t, err := readCSV(f, cols, "appeal", "reply")
			if err != nil {
				return err
			}
			rep := scoreReplies(t, worst)
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			rep.print(cmd.OutOrStdout())
			return nil
		},
	}
	score.Flags().StringVar(&path, "csv", "", "CSV file of appeals and their replies (UTF-8, header row)")
	score.Flags().StringVar(&columns, "columns", "", "column mapping, e.g. \"appeal=留言详情,reply=答复意见,asked=留言时间,replied=答复时间,id=留言编号,title=留言主题\"")
	score.Flags().IntVar(&worst, "worst", 20, "how many of the worst-scored replies to list")
	score.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of text")
	replies.AddCommand(score)
	return replies
}

// scoredReply is one row's result.
type scoredReply struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Score       int      `json:"score"`
	Level       string   `json:"level"`
	Perfunctory bool     `json:"perfunctory"`
	Flags       []string `json:"flags"`
	Reply       string   `json:"reply"`
}

// replyReport is the distribution over a CSV.
type replyReport struct {
	Replies     int                `json:"replies"`
	Skipped     int                `json:"skipped"` // rows without a reply
	Mean        float64            `json:"mean"`
	Median      int                `json:"median"`
	Levels      map[string]int     `json:"levels"`
	Histogram   []int              `json:"histogram"` // scores 0–9, 10–19, … 90–100
	Perfunctory int                `json:"perfunctory"`
	FlagCounts  map[string]int     `json:"flag_counts"` // by kind of flag
	Criteria    map[string]float64 `json:"criteria_mean"`
	Worst       []scoredReply      `json:"worst"`
}

func scoreReplies(t *csvTable, worst int) *replyReport {
	rep := &replyReport{Levels: map[string]int{}, Histogram: make([]int, 10), FlagCounts: map[string]int{}, Criteria: map[string]float64{}}
	var all []scoredReply
	var scores []int
	judged := map[string]int{}
	for _, row := range t.rows {
		reply := t.get(row, "reply")
		if reply == "" {
			rep.Skipped++
			continue
		}
		r := replyquality.Score(replyquality.Input{
			Title: t.get(row, "title"), Appeal: t.get(row, "appeal"), Reply: reply,
			AskedAt: parseCSVTime(t.get(row, "asked")), RepliedAt: parseCSVTime(t.get(row, "replied")),
		})
		scores = append(scores, r.Score)
		rep.Levels[r.Level]++
		rep.Histogram[min(r.Score/10, 9)]++
		if r.Perfunctory {
			rep.Perfunctory++
		}
		for _, fl := range r.Flags {
			rep.FlagCounts[flagKind(fl)]++
		}
		for k, c := range r.Criteria {
			if c.Score != nil {
				rep.Criteria[k] += *c.Score
				judged[k]++
			}
		}
		all = append(all, scoredReply{ID: t.get(row, "id"), Title: t.get(row, "title"), Score: r.Score, Level: r.Level,
			Perfunctory: r.Perfunctory, Flags: r.Flags, Reply: clipText(reply, 120)})
	}
	rep.Replies = len(scores)
	for k := range rep.Criteria {
		rep.Criteria[k] = round2(rep.Criteria[k] / float64(judged[k]))
	}
	if len(scores) > 0 {
		sum := 0
		for _, s := range scores {
			sum += s
		}
		rep.Mean = round2(float64(sum) / float64(len(scores)))
		sorted := append([]int(nil), scores...)
		sort.Ints(sorted)
		rep.Median = sorted[len(sorted)/2]
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Score < all[j].Score })
	if worst > len(all) {
		worst = len(all)
	}
	rep.Worst = all[:worst]
	return rep
}

// flagKind is the kind of a flag: its text up to the first colon,
// bracket or figure (what follows is about the one reply).
func flagKind(flag string) string {
	if i := strings.IndexAny(flag, "：（0123456789「"); i > 0 {
		return strings.TrimSpace(flag[:i])
	}
	return flag
}

func (rep *replyReport) print(w io.Writer) {
	fmt.Fprintf(w, "replies scored: %d (rows without a reply: %d)\n", rep.Replies, rep.Skipped)
	fmt.Fprintf(w, "score: mean %.1f, median %d\n", rep.Mean, rep.Median)
	fmt.Fprintf(w, "levels: 优 %d, 良 %d, 中 %d, 差 %d; perfunctory (形式主义) %d\n",
		rep.Levels["优"], rep.Levels["良"], rep.Levels["中"], rep.Levels["差"], rep.Perfunctory)
	fmt.Fprintln(w, "histogram:")
	for i, n := range rep.Histogram {
		hi := i*10 + 9
		if i == 9 {
			hi = 100
		}
		fmt.Fprintf(w, "  %3d–%3d %5d %s\n", i*10, hi, n, strings.Repeat("#", (n+9)/10))
	}
	fmt.Fprintln(w, "criteria (mean 0–1):")
	for _, c := range replyquality.CriterionNames {
		fmt.Fprintf(w, "  %s %-9s %.2f\n", c.Label, c.Key, rep.Criteria[c.Key])
	}
	fmt.Fprintln(w, "flags:")
	kinds := make([]string, 0, len(rep.FlagCounts))
	for k := range rep.FlagCounts {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return rep.FlagCounts[kinds[i]] > rep.FlagCounts[kinds[j]] })
	for _, k := range kinds {
		fmt.Fprintf(w, "  %5d %s\n", rep.FlagCounts[k], k)
	}
	fmt.Fprintf(w, "worst %d:\n", len(rep.Worst))
	for _, r := range rep.Worst {
		fmt.Fprintf(w, "- %s %s [%d %s] %s\n    答复：%s\n    原因：%s\n", r.ID, clipText(r.Title, 40), r.Score, r.Level,
			map[bool]string{true: "形式主义", false: ""}[r.Perfunctory], r.Reply, strings.Join(r.Flags, "；"))
	}
}

func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func round2(v float64) float64 { return float64(int(v*100+0.5)) / 100 }
