package calendar

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// minutesPerDay bounds interval ends; 24:00 is allowed as an end.
const minutesPerDay = 24 * 60

// cst is China Standard Time. A fixed zone, not Asia/Shanghai, so results do
// not depend on the tzdata of the host and every day is exactly 24 hours.
var cst = time.FixedZone("CST", 8*3600)

// Location returns the time zone all calendar arithmetic uses (UTC+8).
func Location() *time.Location { return cst }

// Interval is a working period within a day, in minutes after midnight,
// half-open: [Start, End).
type Interval struct {
	Start int
	End   int
}

// String formats the interval as "08:30-12:00".
func (iv Interval) String() string {
	return fmtClock(iv.Start) + "-" + fmtClock(iv.End)
}

func fmtClock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// DefaultWorkingHours returns 08:30–12:00 and 14:00–17:30. It returns a fresh
// slice so callers cannot modify the default for everyone.
func DefaultWorkingHours() []Interval {
	return []Interval{{8*60 + 30, 12 * 60}, {14 * 60, 17*60 + 30}}
}

// ParseWorkingHours parses a configuration string such as
// "08:30-12:00,14:00-17:30" and validates it like [New] does.
func ParseWorkingHours(s string) ([]Interval, error) {
	var out []Interval
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		from, to, ok := strings.Cut(part, "-")
		if !ok {
			return nil, fmt.Errorf("calendar: working hours %q: want HH:MM-HH:MM", part)
		}
		a, err := parseClock(strings.TrimSpace(from))
		if err != nil {
			return nil, err
		}
		b, err := parseClock(strings.TrimSpace(to))
		if err != nil {
			return nil, err
		}
		out = append(out, Interval{a, b})
	}
	if _, err := normalizeHours(out); err != nil {
		return nil, err
	}
	return out, nil
}

func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok {
		return 0, fmt.Errorf("calendar: clock time %q: want HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh*60+mm > minutesPerDay {
		return 0, fmt.Errorf("calendar: clock time %q: want HH:MM between 00:00 and 24:00", s)
	}
	return hh*60 + mm, nil
}

// span is an Interval converted to offsets from midnight, with the working
// time accumulated before it, so that "working time before offset x" and its
// inverse are a short scan over (usually two) spans.
type span struct {
	start, end time.Duration
	before     time.Duration
}

// normalizeHours sorts a copy of hs and rejects empty, inverted, out of range
// or overlapping intervals. Touching intervals are allowed.
func normalizeHours(hs []Interval) ([]span, error) {
	if len(hs) == 0 {
		return nil, fmt.Errorf("calendar: no working hours")
	}
	sorted := append([]Interval(nil), hs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	spans := make([]span, 0, len(sorted))
	var total time.Duration
	for i, iv := range sorted {
		if iv.Start < 0 || iv.End > minutesPerDay || iv.Start >= iv.End {
			return nil, fmt.Errorf("calendar: invalid working interval %s", iv)
		}
		if i > 0 && iv.Start < sorted[i-1].End {
			return nil, fmt.Errorf("calendar: working intervals %s and %s overlap", sorted[i-1], iv)
		}
		s := span{
			start:  time.Duration(iv.Start) * time.Minute,
			end:    time.Duration(iv.End) * time.Minute,
			before: total,
		}
		total += s.end - s.start
		spans = append(spans, s)
	}
	return spans, nil
}
