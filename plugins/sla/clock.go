package sla

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"siyang/plugins/sla/calendar"
	"siyang/plugins/workflow"
)

// Clock is the platform's working-day calendar, loaded from calendar_days
// and sla_settings and reloaded after an admin edits either. It implements
// workflow.Clock.
type Clock struct {
	mu       sync.RWMutex
	cal      *calendar.Calendar
	settings Settings
}

// Settings are the admin-editable SLA settings (sla_settings).
type Settings struct {
	// SuperviseAfterDays: working days overdue before each automatic 督办.
	SuperviseAfterDays float64
}

// NewClock returns a clock that loads its calendar on first use.
func NewClock() *Clock { return &Clock{} }

// Invalidate makes the next use reload the calendar from the database.
func (c *Clock) Invalidate() {
	c.mu.Lock()
	c.cal = nil
	c.mu.Unlock()
}

// Calendar answers the loaded calendar and settings.
func (c *Clock) Calendar(app core.App) (*calendar.Calendar, Settings, error) {
	c.mu.RLock()
	cal, settings := c.cal, c.settings
	c.mu.RUnlock()
	if cal != nil {
		return cal, settings, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cal != nil {
		return c.cal, c.settings, nil
	}
	cal, settings, err := load(app)
	if err != nil {
		return nil, Settings{}, err
	}
	c.cal, c.settings = cal, settings
	return cal, settings, nil
}

func load(app core.App) (*calendar.Calendar, Settings, error) {
	var rows []struct {
		Date string `db:"date"`
		Work bool   `db:"work"`
		Name string `db:"name"`
	}
	if err := app.DB().NewQuery("SELECT date, work, name FROM calendar_days").All(&rows); err != nil {
		return nil, Settings{}, fmt.Errorf("load calendar_days: %w", err)
	}
	days := make([]calendar.Day, len(rows))
	for i, r := range rows {
		days[i] = calendar.Day{Date: r.Date, Work: r.Work, Name: r.Name}
	}
	settings := Settings{SuperviseAfterDays: 2}
	var hours []calendar.Interval
	if list, err := app.FindRecordsByFilter("sla_settings", "", "created", 1, 0); err == nil && len(list) > 0 {
		h, err := calendar.ParseWorkingHours(list[0].GetString("working_hours"))
		if err != nil {
			return nil, Settings{}, fmt.Errorf("sla_settings.working_hours: %w", err)
		}
		hours = h
		if v := list[0].GetFloat("supervise_after_days"); v > 0 {
			settings.SuperviseAfterDays = v
		}
	}
	cal, err := calendar.New(days, hours)
	if err != nil {
		return nil, Settings{}, fmt.Errorf("build calendar: %w", err)
	}
	return cal, settings, nil
}

// Add implements workflow.Clock.
func (c *Clock) Add(app core.App, from time.Time, amount float64, unit string) (time.Time, error) {
	if unit == workflow.WallHours {
		return from.Add(time.Duration(amount * float64(time.Hour))), nil
	}
	cal, _, err := c.Calendar(app)
	if err != nil {
		return time.Time{}, err
	}
	t, err := cal.Add(from, amount, calendar.Unit(unit))
	return t.UTC(), explain(err)
}

// Left implements workflow.Clock.
func (c *Clock) Left(app core.App, a, b time.Time, unit string) (time.Duration, error) {
	if unit == workflow.WallHours {
		return b.Sub(a), nil
	}
	cal, _, err := c.Calendar(app)
	if err != nil {
		return 0, err
	}
	d, err := cal.WorkingTimeBetween(a, b)
	return d, explain(err)
}

// explain turns a calendar gap into an answer an admin can act on.
func explain(err error) error {
	var nc *calendar.NotCoveredError
	if errors.As(err, &nc) {
		return &router.ApiError{
			Status:  http.StatusConflict,
			Message: fmt.Sprintf("工作日历未覆盖 %d 年，无法计算办理期限。请管理员在「工作日历」（calendar_days）中补充该年的节假日和调休安排后再试。", nc.Year),
			Data:    map[string]any{},
		}
	}
	return err
}
