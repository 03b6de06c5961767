package loadgen

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// loadtestOptions are the flags of `siyang loadtest`.
type loadtestOptions struct {
	url, addr, only, serveFlags string
	serverBin                   string
	pid, requests, mixed        int
	slowReads                   int
	clients, tickets            int
	seed                        int64
	startWait, rollupWait       time.Duration
}

func loadtestCommand(app core.App) *cobra.Command {
	var o loadtestOptions
	cmd := &cobra.Command{
		Use:   "loadtest",
		Short: "Measure a server's latency and peak memory under the hot requests, on a seeded folder (never a real one)",
		Long: "Starts `siyang serve` on --dir (this binary, a separate process) unless --url names a running server, " +
			"then sends each hot request (intake, queue, public list and count, track, 我的诉求, metrics, dashboard) " +
			"--requests times from --clients concurrent clients, then all of them mixed, and reports p50/p95, req/s " +
			"and the server's peak resident memory (VmHWM) per phase. Accounts sign in with tokens minted from the " +
			"folder's own keys. Only for a folder filled by `siyang seed`: it writes appeals and switches the rate " +
			"limiter off in the folder's settings — run it on a copy.",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, cancel := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer cancel()
			return runLoadtest(ctx, app, o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.url, "url", "", "a running server's address (default: start `serve` on --dir)")
	f.IntVar(&o.pid, "pid", 0, "with --url: the server's process id, to read its memory")
	f.StringVar(&o.addr, "http", "127.0.0.1:18990", "where the started server listens")
	f.StringVar(&o.serverBin, "server-bin", "", "the binary to start (default: this one), e.g. an older build to compare")
	f.StringVar(&o.serveFlags, "serve-flags", "", "extra flags for the started server, e.g. \"--db-cache-mb 4\"")
	f.IntVar(&o.requests, "requests", 200, "requests per phase (one phase per request kind)")
	f.IntVar(&o.mixed, "mixed", 2000, "requests of the final phase, all kinds in turn (0: none)")
	f.IntVar(&o.clients, "clients", 16, "concurrent clients")
	f.IntVar(&o.slowReads, "slow-reads", 0, "extra clients sending a slow public-list search (a whole-view scan) during every phase; "+
		"their answers are counted, and every acknowledged intake is looked up afterwards")
	f.StringVar(&o.only, "only", "", "run only the request kinds matching this regular expression, e.g. '^(queue|track)'")
	f.Int64Var(&o.seed, "seed", 1, "the seed the folder was generated with (query codes derive from it)")
	f.IntVar(&o.tickets, "tickets", 1000, "distinct seeded cases to track")
	f.DurationVar(&o.startWait, "start-wait", 15*time.Minute, "how long the started server may take to answer (migrations)")
	f.DurationVar(&o.rollupWait, "rollup-wait", 15*time.Minute, "how long to wait for the server's metric roll-up rebuild")
	return cmd
}

func runLoadtest(ctx context.Context, app core.App, o loadtestOptions, out io.Writer) error {
	only, err := regexp.Compile(o.only)
	if err != nil {
		return fmt.Errorf("--only: %w", err)
	}
	if o.clients < 1 || o.requests < 1 {
		return fmt.Errorf("--clients and --requests must be positive")
	}
	if err := app.Bootstrap(); err != nil {
		return err
	}
	if err := CheckSeeded(app, o.seed); err != nil {
		return err
	}
	if err := DisableRateLimits(app); err != nil {
		return err
	}
	base, mem, gcLog := strings.TrimRight(o.url, "/"), (*procMem)(nil), ""
	started := time.Now()
	if base == "" {
		bin, err := os.Executable()
		if err != nil {
			return err
		}
		if o.serverBin != "" {
			bin = o.serverBin
		}
		srv, err := startServer(ctx, bin, app.DataDir(), o.addr, strings.Fields(o.serveFlags), o.startWait)
		if err != nil {
			return err
		}
		defer srv.Stop()
		base, mem, gcLog = srv.url, &procMem{pid: srv.cmd.Process.Pid}, srv.log
		fmt.Fprintf(out, "server: %s serve --dir %s --http %s %s (pid %d, log %s), answering after %s\n",
			bin, app.DataDir(), o.addr, o.serveFlags, srv.cmd.Process.Pid, srv.log, time.Since(started).Round(time.Millisecond))
	} else {
		fmt.Fprintf(out, "server: %s (its rate limiter must be off: the folder's setting is now off, restart it if it was on)\n", base)
		if o.pid > 0 {
			mem = &procMem{pid: o.pid}
		}
	}
	if err := waitRollup(ctx, app, o.rollupWait, out); err != nil {
		return err
	}
	if mem != nil {
		hwm, rss, err := mem.status()
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "startup (migrations, roll-up): peak %s MB, now %s MB, %s\n", mb(hwm), mb(rss), time.Since(started).Round(time.Second))
	}
	t, err := FindTarget(app, o.seed, o.tickets)
	if err != nil {
		return err
	}
	load := LoadOptions{Only: only, Requests: o.requests, Mixed: o.mixed, Clients: o.clients, SlowReads: o.slowReads}
	if mem != nil {
		load.PID = mem.pid
	}
	if gcLog != "" {
		load.GCLog = gcLog
	}
	return Drive(ctx, base, t, load, out)
}

// LoadOptions say what Drive sends.
type LoadOptions struct {
	// Only selects the request kinds by name (nil: all).
	Only *regexp.Regexp
	// Requests is the number of requests of each kind's phase.
	Requests int
	// Mixed is the number of requests of the last phase, all kinds in
	// turn; zero means none.
	Mixed int
	// Clients is the number of concurrent clients.
	Clients int
	// PID is the server's process, whose memory is read; zero: none.
	PID int
	// GCLog is the server's log if it runs with GODEBUG=gctrace=1, for
	// its Go heap per phase; empty: not reported.
	GCLog string
	// SlowReads is the number of extra clients sending a slow list read
	// (slowReadPath) beside every phase, to see how the measured requests
	// fare when scans hold the database; their answers are counted (a
	// 503 系统繁忙 is expected, not a failure), and every intake
	// acknowledged is looked up at the end. Zero: none.
	SlowReads int
}

// Drive sends the hot requests to the server at base, one phase per kind
// and then mixed, and writes a Markdown table of latencies and the
// server's memory per phase to out. It fails if any request failed.
func Drive(ctx context.Context, base string, t *Target, o LoadOptions, out io.Writer) error {
	var mem *procMem
	if o.PID > 0 {
		mem = &procMem{pid: o.PID}
	}
	var kinds []request
	for _, q := range hotRequests(t) {
		if o.Only == nil || o.Only.MatchString(q.Name) {
			kinds = append(kinds, q)
		}
	}
	if len(kinds) == 0 {
		return fmt.Errorf("loadtest: no request kind matches %v", o.Only)
	}
	r := newLoadRunner(base, o.Clients, mem)
	if o.GCLog != "" {
		r.gc = &gcTrace{path: o.GCLog}
	}
	fmt.Fprintf(out, "%d clients, %d requests per phase; memory of the server: VmHWM per phase (reset before each), smaps at the phase's highest sample\n\n", o.Clients, o.Requests)
	fmt.Fprintln(out, "| phase | requests | p50 ms | p95 ms | req/s | peak RSS MB | Go heap peak MB (gctrace) | anon maps ≥ 1 MB | anon maps < 1 MB (SQLite C heap; count) | file MB | data.db conns |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|---|---|---|---|---|")
	var peak int64
	var failed error
	report := func(res phaseResult) {
		peakMB := mb(res.Peak)
		if res.PeakShared {
			peakMB += " (since start)"
		}
		if mem == nil {
			peakMB = "—"
		}
		goHeap := "—"
		if res.GoHeap >= 0 {
			goHeap = strconv.FormatInt(res.GoHeap, 10)
		}
		fmt.Fprintf(out, "| %s | %d | %.1f | %.1f | %.0f | %s | %s | %s | %s (%d) | %s | %d |\n", res.Name, res.Requests,
			ms(res.P50), ms(res.P95), res.PerSec, peakMB, goHeap, mb(res.Split.LargeAnon), mb(res.Split.SmallAnon), res.Split.SmallAnonMaps,
			mb(res.Split.File), res.Split.DataConns)
		peak = max(peak, res.Peak)
		if res.Failed > 0 && failed == nil {
			failed = fmt.Errorf("%s: %d of %d requests failed, first: %s", res.Name, res.Failed, res.Requests, res.FirstErr)
		}
	}
	var slow []string
	phase := func(name string, kinds []request, n int) {
		var readers *slowReaders
		if o.SlowReads > 0 {
			readers = r.startSlowReads(ctx, o.SlowReads)
		}
		report(r.run(ctx, name, kinds, n))
		if readers != nil {
			slow = append(slow, fmt.Sprintf("- beside %s: %s", name, readers.finish()))
		}
	}
	if o.SlowReads > 0 {
		r.acked = &receipts{}
	}
	for _, q := range kinds {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		phase(q.Name, []request{q}, o.Requests)
	}
	if o.Mixed > 0 && ctx.Err() == nil {
		phase("mixed (all kinds in turn)", kinds, o.Mixed)
	}
	if mem != nil {
		fmt.Fprintf(out, "\npeak RSS of the server under load (highest phase): %s MB\n", mb(peak))
	}
	if o.SlowReads > 0 {
		fmt.Fprintf(out, "\nslow reads (%d clients, a whole-view search each) answered:\n%s\n", o.SlowReads, strings.Join(slow, "\n"))
		if found, total := r.acked.check(ctx, r); total > 0 {
			fmt.Fprintf(out, "acknowledged intakes found afterwards by /api/track: %d of %d\n", found, total)
			if found != total && failed == nil {
				failed = fmt.Errorf("loadtest: %d acknowledged intakes not found", total-found)
			}
		}
	}
	return failed
}

// waitRollup waits until the server's roll-up job has built the metric
// roll-up (a no-op on a folder whose roll-up is up to date).
func waitRollup(ctx context.Context, app core.App, wait time.Duration, out io.Writer) error {
	deadline, told := time.Now().Add(wait), false
	for {
		ok, err := RollupReady(app)
		if err != nil || ok {
			return err
		}
		if !told {
			fmt.Fprintln(out, "waiting for the server's metric roll-up (a full rebuild is due; the job runs each minute)…")
			told = true
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("loadtest: the metric roll-up was not built within %s", wait)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
