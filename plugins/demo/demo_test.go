package demo_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	_ "siyang/migrations"
	"siyang/plugins/demo"
)

// serve runs the app's serve hooks once, as `serve` would.
func serve(t *testing.T, app *tests.TestApp) {
	t.Helper()
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router}, func(e *core.ServeEvent) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestFreshFolderGetsSampleDataAndOneAccountPerRole(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	out := &bytes.Buffer{}
	demo.MustRegister(app, demo.Config{Enabled: true, Out: out})
	serve(t, app)

	depts, _ := app.FindAllRecords("departments")
	towns, _ := app.FindAllRecords("regions")
	if len(depts) < 20 || len(towns) != 16 {
		t.Fatalf("seeded %d departments and %d townships", len(depts), len(towns))
	}
	for _, d := range depts {
		if !d.GetBool("sample") {
			t.Errorf("department %s is not marked as sample data", d.GetString("name"))
		}
	}
	for _, role := range []string{"operator", "supervisor", "admin", "handler"} {
		staff, _ := app.FindAllRecords("staff")
		found := false
		for _, s := range staff {
			if s.GetString("role") == role {
				found = true
				if !strings.Contains(out.String(), s.Email()) {
					t.Errorf("account %s not printed", s.Email())
				}
			}
		}
		if !found {
			t.Errorf("no demo %s account", role)
		}
	}
	// the printed password logs in
	lines := strings.Split(out.String(), "\n")
	fields := strings.Split(lines[2], "\t")
	operator, err := app.FindAuthRecordByEmail("staff", fields[1])
	if err != nil || !operator.ValidatePassword(fields[2]) {
		t.Fatalf("printed credentials do not log in: %q", lines[2])
	}
	saved, err := os.ReadFile(filepath.Join(app.DataDir(), demo.AccountsFile))
	if err != nil || !strings.Contains(string(saved), fields[2]) {
		t.Errorf("accounts file missing or incomplete: %v", err)
	}
	urban, _ := app.FindFirstRecordByData("categories", "code", "urban")
	if urban.GetString("default_department") == "" {
		t.Errorf("default categories are not linked to departments")
	}

	// a second start never seeds again
	out.Reset()
	serve(t, app)
	if n, _ := app.CountRecords("staff"); n != 6 || out.Len() != 0 {
		t.Errorf("second start reseeded: %d staff, printed %q", n, out.String())
	}
}

func TestDemoOffSeedsNothing(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	demo.MustRegister(app, demo.Config{Enabled: false, Out: &bytes.Buffer{}})
	serve(t, app)
	if n, _ := app.CountRecords("departments"); n != 0 {
		t.Errorf("--demo=false seeded %d departments", n)
	}
}
