// Package loadgen fills a data folder with a realistic county's (or a
// megacity's) worth of appeals, fast, for the performance benchmarks
// (docs/performance.md): `siyang seed --appeals 1000000`.
package loadgen

import (
	"fmt"
	"sort"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// Config configures the load generator.
type Config struct {
	// Seed runs before the generator on a folder without departments
	// (the demo data); nil leaves such a folder alone and the command
	// reports that reference data is missing.
	Seed func(app core.App) error
}

// MustRegister adds the `seed` and `loadtest` commands to rootCmd.
func MustRegister(app core.App, rootCmd *cobra.Command, config Config) {
	if rootCmd == nil {
		panic("loadgen: a root command is required")
	}
	rootCmd.AddCommand(seedCommand(app, config), loadtestCommand(app))
}

func seedCommand(app core.App, config Config) *cobra.Command {
	var opt Options
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Fill the data folder with generated appeals for load tests (never on a real folder)",
		Long: "Adds --appeals generated appeals over the last --days days, with their whole history " +
			"(timeline, assignments, replies, callbacks, SLA clocks, attachments), written in bulk. " +
			"Generated appeals' query codes derive from --seed: never run this on a folder with real cases.",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.Bootstrap(); err != nil {
				return err
			}
			if err := app.RunAllMigrations(); err != nil {
				return err
			}
			if n, err := app.CountRecords("departments"); err == nil && n == 0 && config.Seed != nil {
				if err := config.Seed(app); err != nil {
					return err
				}
			}
			opt.Progress = cmd.OutOrStdout()
			stats, err := Seed(app, opt)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "seeded %d appeals in %s (%.0f appeals/s): %d timeline entries, %d assignments, %d replies, %d callbacks, %d 挂起 requests, %d residents, %d attachments, %d overdue\n",
				stats.Appeals, stats.Elapsed.Round(time.Millisecond), float64(stats.Appeals)/stats.Elapsed.Seconds(),
				stats.Events, stats.Assignments, stats.Replies, stats.Callbacks, stats.Extensions, stats.Residents, stats.Files, stats.Overdue)
			keys := make([]string, 0, len(stats.ByStatus))
			for k := range stats.ByStatus {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(out, "  %-10s %d\n", k, stats.ByStatus[k])
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&opt.Appeals, "appeals", 10_000, "number of appeals to add")
	cmd.Flags().IntVar(&opt.Days, "days", 300, "spread the submissions over the last N days")
	cmd.Flags().Int64Var(&opt.Seed, "seed", 1, "random seed (same seed, same data; query codes derive from it)")
	cmd.Flags().IntVar(&opt.Residents, "residents", 0, "resident accounts (default: one per four appeals)")
	cmd.Flags().IntVar(&opt.BatchSize, "batch", 20_000, "appeals per transaction")
	return cmd
}
