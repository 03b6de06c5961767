package analytics

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"siyang/plugins/textmine/hotspot"
)

// hotspotColumns are the default column names (the 问政 export layout).
// likes may name several columns separated by "+" (their sum counts).
var hotspotColumns = columnMap{
	"id": "留言编号", "user": "留言用户", "title": "留言主题", "time": "留言时间", "text": "留言详情", "likes": "点赞数+反对数",
}

// hotspotsCommand is `siyang hotspots --csv PATH [--top N] [--json]`.
func hotspotsCommand() *cobra.Command {
	var path, columns string
	var top int
	var asJSON bool
	var window int
	cmd := &cobra.Command{
		Use:   "hotspots",
		Short: "Find hot issues (热点问题) in a CSV of messages and print the top N with their message ids",
		RunE: func(cmd *cobra.Command, args []string) error {
			if path == "" {
				return fmt.Errorf("--csv is required")
			}
			cols, err := parseColumns(columns, hotspotColumns)
			if err != nil {
				return err
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			t, err := readCSV(f, cols, "id", "text")
			if err != nil {
				return err
			}
			msgs, bad := messagesFromCSV(t)
			if len(msgs) == 0 {
				return fmt.Errorf("no message with a readable time in %s", path)
			}
			groups := hotspot.Find(msgs, hotspot.Options{Window: time.Duration(window) * 24 * time.Hour})
			if top > 0 && len(groups) > top {
				groups = groups[:top]
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"messages": len(msgs), "skipped": bad, "hotspots": groups})
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "messages: %d (skipped without a readable time: %d)\n", len(msgs), bad)
			for i, g := range groups {
				fmt.Fprintf(w, "%d. %s\n   热度 %.1f · %d 条留言 · %d 位居民 · 点赞/反对 %d · %s 至 %s\n   留言编号: %s\n",
					i+1, g.Label, g.Heat, g.Count, g.Residents, g.Likes,
					g.First.Format("2006-01-02"), g.Last.Format("2006-01-02"), strings.Join(g.IDs, ", "))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&path, "csv", "", "CSV file of messages (UTF-8, header row)")
	cmd.Flags().StringVar(&columns, "columns", "", "column mapping, e.g. \"id=留言编号,user=留言用户,title=留言主题,time=留言时间,text=留言详情,likes=点赞数+反对数\"")
	cmd.Flags().IntVar(&top, "top", 10, "how many hotspots to print (0: all)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of text")
	cmd.Flags().IntVar(&window, "window", 120, "longest time in days between two messages of one hotspot")
	return cmd
}

// messagesFromCSV reads the messages; rows without a readable time are
// skipped and counted.
func messagesFromCSV(t *csvTable) ([]hotspot.Message, int) {
	var msgs []hotspot.Message
	bad := 0
	likeCols := strings.Split(t.cols["likes"], "+")
	for _, row := range t.rows {
		at := parseCSVTime(t.get(row, "time"))
		if at.IsZero() {
			bad++
			continue
		}
		likes := 0
		for _, c := range likeCols {
			if i, ok := t.index[strings.TrimSpace(c)]; ok && i < len(row) {
				n, _ := strconv.Atoi(strings.TrimSpace(row[i]))
				likes += max(n, 0)
			}
		}
		msgs = append(msgs, hotspot.Message{
			ID: t.get(row, "id"), User: t.get(row, "user"), Title: t.get(row, "title"), Text: t.get(row, "text"),
			At: at, Likes: likes,
		})
	}
	return msgs, bad
}
