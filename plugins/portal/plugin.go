// Package portal is the backend of the residents' portal: 政务公开 articles
// (with their rich text sanitised on save), 办事服务 and online appointments,
// the public statistics and department scorecards, the self-service search
// for similar answered questions, and the keyword search of the public
// appeals over a full-text index. See docs/portal.md.
package portal

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"siyang/internal/keptpages"
	"siyang/internal/timer"
	"siyang/plugins/workflow"
)

// Config configures the portal plugin.
type Config struct {
	// Now is the platform's clock; nil means time.Now. It decides which
	// slots are still bookable and which month "this month" is. Tests
	// inject one (together with workflow.Config.Now).
	Now func() time.Time

	// MinCases is the number of cases a department needs in a period for
	// its scorecard rates to be shown; below it they are withheld
	// (insufficient: true). Zero means 3.
	MinCases int

	// WarmPublicCount counts the public list's total in the background as
	// soon as the server serves (publiccount.go), so the first visitor
	// after a restart does not wait for it. The binary sets it; tests
	// leave it off (their counts are instant).
	WarmPublicCount bool

	// SimilarLimit is how many answered questions /api/portal/similar
	// answers at most. Zero means 5.
	SimilarLimit int

	// SimilarThreshold is the lowest bigram cosine similarity worth showing
	// a resident. Zero means 0.15.
	SimilarThreshold float64

	// SearchWindow is how many of the newest public appeals the LIKE
	// keyword search covered (GET /api/portal/public-appeals/search-window;
	// the pages now search every public appeal through the keyword index,
	// search.go). Zero means 20,000.
	SearchWindow int

	// BackfillPause is the rest between two batches of the background
	// backfill of the keyword index (searchbackfill.go), leaving the write
	// connection to requests. Zero means 50 ms; negative means none.
	BackfillPause time.Duration
}

type plugin struct {
	app    core.App
	config Config
	// publicCounts keeps the public list's totals (publiccount.go).
	publicCounts *publicCounts
	// publicPages keeps the public list's hot pages (publicpages.go).
	publicPages *keptpages.Cache
	// searchPages keeps the keyword search's first pages apart from them,
	// so that the backfill's batches (which change only what a search
	// finds) and new words (which fill the cache) leave the list's alone.
	searchPages *keptpages.Cache
	// searchWindow keeps where keyword searches start (searchwindow.go).
	searchWindow searchWindow
}

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) {
	if err := Register(app, config); err != nil {
		panic(err)
	}
}

// Register binds the portal's record hooks (article sanitising, the guards
// on slots and appointments, knowledge hit counting) and its endpoints.
func Register(app core.App, config Config) error {
	if config.Now == nil {
		config.Now = time.Now
	}
	if config.MinCases <= 0 {
		config.MinCases = 3
	}
	if config.SimilarLimit <= 0 {
		config.SimilarLimit = 5
	}
	if config.SimilarThreshold <= 0 {
		config.SimilarThreshold = 0.15
	}
	if config.SearchWindow <= 0 {
		config.SearchWindow = 20_000
	}
	switch {
	case config.BackfillPause == 0:
		config.BackfillPause = 50 * time.Millisecond
	case config.BackfillPause < 0:
		config.BackfillPause = 0
	}
	p := &plugin{app: app, config: config, publicCounts: newPublicCounts()}
	p.publicPages = keptpages.New(publicPageMaxAge, publicPageMaxBytes, p.now)
	p.searchPages = keptpages.New(publicPageMaxAge, publicPageMaxBytes, p.now)

	bindArticles(app, config.Now)
	bindSlotGuards(app)
	bindAppointmentGuards(app)
	bindKnowledgeHits(app)
	p.bindPublicChanges(app)
	bindSearchIndex(app)

	if config.WarmPublicCount {
		timer.Soon(app, "public count", p.warmPublicCount)
	}
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.POST("/api/portal/appointments", p.handleBook)
		e.Router.POST("/api/portal/appointments/cancel", p.handleCancel)
		e.Router.POST("/api/portal/appointments/lookup", p.handleLookup)
		e.Router.GET("/api/portal/appointments/day", p.handleDay).Bind(workflow.RequireStaff())
		e.Router.POST("/api/portal/appointments/{id}/status", p.handleMark).Bind(workflow.RequireStaff())
		e.Router.GET("/api/portal/stats", p.handleStats)
		e.Router.GET("/api/portal/scorecards", p.handleScorecards)
		e.Router.GET("/api/portal/similar", p.handleSimilar)
		e.Router.GET("/api/portal/public-appeals/count", p.handlePublicCount)
		e.Router.GET("/api/portal/public-appeals/search-window", p.handleSearchWindow)
		e.Router.GET("/api/portal/public-appeals/search", p.handleSearch)
		e.Router.GET(latestRepliesPath, p.handleLatestReplies)
		e.Router.Bind(p.publicPagesMiddleware())
		if err := p.startSearchKeeper(e.App); err != nil {
			return err
		}
		return e.Next()
	})
	return nil
}

// now is the platform's clock.
func (p *plugin) now() time.Time { return p.config.Now() }
