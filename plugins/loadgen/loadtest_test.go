package loadgen_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"siyang/internal/testenv"
	"siyang/plugins/loadgen"
)

// The load test runs only on a seeded folder: a folder with real appeals
// (random query codes), or one seeded with another seed, is refused.
func TestLoadtestRefusesAFolderNotSeeded(t *testing.T) {
	env := testenv.New(t)
	if err := loadgen.CheckSeeded(env.App, 1); !errors.Is(err, loadgen.ErrNotSeeded) {
		t.Fatalf("empty folder: %v, want ErrNotSeeded", err)
	}
	env.Submit(t, testenv.SampleSubmission())
	if err := loadgen.CheckSeeded(env.App, 1); !errors.Is(err, loadgen.ErrNotSeeded) {
		t.Fatalf("folder with a real appeal: %v, want ErrNotSeeded", err)
	}

	seededEnv, _ := seeded(t, 50)
	if err := loadgen.CheckSeeded(seededEnv.App, 7); err != nil {
		t.Fatalf("seeded folder, its seed: %v", err)
	}
	if err := loadgen.CheckSeeded(seededEnv.App, 1); !errors.Is(err, loadgen.ErrNotSeeded) {
		t.Fatalf("seeded folder, another seed: %v, want ErrNotSeeded", err)
	}
}

// Every hot request of the load test, with the accounts and tickets found
// in a seeded folder, is answered successfully over HTTP, and the memory
// of the measured process is reported per phase.
func TestLoadtestDrivesEveryHotRequest(t *testing.T) {
	env, _ := seeded(t, 300)
	if _, err := env.Analytics.RefreshRollup(); err != nil {
		t.Fatal(err)
	}
	if err := loadgen.DisableRateLimits(env.App); err != nil {
		t.Fatal(err)
	}
	target, err := loadgen.FindTarget(env.App, 7, 50)
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(env.Handler(t))
	defer server.Close()

	var out strings.Builder
	err = loadgen.Drive(context.Background(), server.URL, target,
		loadgen.LoadOptions{Requests: 4, Mixed: 40, Clients: 4, PID: os.Getpid()}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	report := out.String()
	for _, kind := range []string{"intake", "queue/100", "queue/30", "public", "public/count", "track", "mine",
		"metrics/month/department", "metrics/year/category", "dashboard/sla-board", "report/monthly", "mixed"} {
		if !strings.Contains(report, "| "+kind) {
			t.Errorf("no phase %q in the report:\n%s", kind, report)
		}
	}
	if !strings.Contains(report, "peak RSS of the server under load") || strings.Contains(report, "| 0 | —") {
		t.Errorf("memory not reported:\n%s", report)
	}
}

// With slow reads beside the phases, their answers are counted per phase
// and every intake acknowledged is looked up afterwards with its query code.
func TestLoadtestSlowReadsBeside(t *testing.T) {
	env, _ := seeded(t, 300)
	if err := loadgen.DisableRateLimits(env.App); err != nil {
		t.Fatal(err)
	}
	target, err := loadgen.FindTarget(env.App, 7, 50)
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(env.Handler(t))
	defer server.Close()

	var out strings.Builder
	err = loadgen.Drive(context.Background(), server.URL, target, loadgen.LoadOptions{
		Only: regexp.MustCompile(`^(intake|track)$`), Requests: 20, Mixed: 20, Clients: 4, SlowReads: 2,
	}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	report := out.String()
	for _, line := range []string{"- beside intake: 200 ×", "- beside track: 200 ×", "- beside mixed",
		"acknowledged intakes found afterwards by /api/track: 30 of 30"} {
		if !strings.Contains(report, line) {
			t.Errorf("no %q in the report:\n%s", line, report)
		}
	}
}
