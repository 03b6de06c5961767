package analytics

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/plugins/textmine/hotspot"
)

// ScanResult says what one hotspot scan did.
type ScanResult struct {
	Appeals int `json:"appeals"` // appeals looked at
	Active  int `json:"active"`  // hotspots found
	New     int `json:"new"`     // new-hotspot alerts written
	Surges  int `json:"surges"`  // surge alerts written
	Faded   int `json:"faded"`   // hotspots no longer found
}

// scanAppeal is what the scan reads of an appeal.
type scanAppeal struct {
	ID       string         `db:"id"`
	Title    string         `db:"title"`
	Content  string         `db:"content"`
	Resident string         `db:"resident"`
	Phone    string         `db:"contact_phone"`
	Created  types.DateTime `db:"created"`
}

// ScanHotspots groups the appeals of the last Config.HotspotLookback into
// hotspots, updates the hotspots collection and records an alert when a
// hotspot appears or grows faster than its usual rate. The timer runs it;
// tests call it.
func (p *Plugin) ScanHotspots() (ScanResult, error) {
	now := p.now()
	var rows []scanAppeal
	err := p.app.DB().NewQuery(`SELECT id, title, content, resident, contact_phone, created FROM appeals
 WHERE created >= {:since} AND status NOT IN ('withdrawn') ORDER BY created`).
		Bind(dbx.Params{"since": sqlTime(now.Add(-p.config.HotspotLookback))}).All(&rows)
	if err != nil {
		return ScanResult{}, err
	}
	msgs := make([]hotspot.Message, len(rows))
	for i, r := range rows {
		msgs[i] = hotspot.Message{ID: r.ID, User: residentKey(r), Title: r.Title, Text: r.Content, At: r.Created.Time()}
	}
	groups := hotspot.Find(msgs, hotspot.Options{Now: now, Window: p.config.HotspotLookback})
	res := ScanResult{Appeals: len(rows), Active: len(groups)}
	err = p.app.RunInTransaction(func(tx core.App) error {
		existing, err := tx.FindRecordsByFilter("hotspots", "status = 'active'", "", 0, 0)
		if err != nil {
			return err
		}
		owner := map[string]*core.Record{} // appeal id → hotspot that held it
		for _, h := range existing {
			var ids []string
			if err := h.UnmarshalJSONField("appeals", &ids); err == nil {
				for _, id := range ids {
					owner[id] = h
				}
			}
		}
		seen := map[string]bool{}
		for _, g := range groups {
			h := matchHotspot(g, owner, seen)
			isNew := h == nil
			if isNew {
				c, err := tx.FindCachedCollectionByNameOrId("hotspots")
				if err != nil {
					return err
				}
				h = core.NewRecord(c)
			}
			surging := !isNew && surge(g) && h.GetInt("recent") < g.Recent
			fill(h, g, now)
			if err := tx.Save(h); err != nil {
				return err
			}
			seen[h.Id] = true
			switch {
			case isNew && g.Residents >= p.config.AlertResidents:
				res.New++
				if err := alert(tx, h, "new", fmt.Sprintf("新热点：%s（%d 位居民反映 %d 件）", g.Label, g.Residents, g.Count), g); err != nil {
					return err
				}
			case surging && g.Residents >= p.config.AlertResidents:
				res.Surges++
				msg := fmt.Sprintf("热点快速增长：%s，近 7 天 %d 件，此前平均每周 %.1f 件", g.Label, g.Recent, g.Usual)
				if err := alert(tx, h, "surge", msg, g); err != nil {
					return err
				}
			}
		}
		for _, h := range existing {
			if !seen[h.Id] {
				h.Set("status", "faded")
				h.Set("scanned_at", now)
				if err := tx.Save(h); err != nil {
					return err
				}
				res.Faded++
			}
		}
		return nil
	})
	return res, err
}

// residentKey tells residents apart without keeping who they are: the
// account, else a digest of the phone number, else the appeal itself.
func residentKey(r scanAppeal) string {
	switch {
	case r.Resident != "":
		return "u:" + r.Resident
	case r.Phone != "":
		sum := sha256.Sum256([]byte(r.Phone))
		return "p:" + hex.EncodeToString(sum[:8])
	}
	return ""
}

// matchHotspot is the known hotspot that holds most of the group's appeals.
func matchHotspot(g hotspot.Group, owner map[string]*core.Record, taken map[string]bool) *core.Record {
	votes := map[*core.Record]int{}
	var best *core.Record
	for _, id := range g.IDs {
		if h := owner[id]; h != nil && !taken[h.Id] {
			votes[h]++
			if best == nil || votes[h] > votes[best] {
				best = h
			}
		}
	}
	return best
}

// surge: the last week outpaces the usual weekly rate at least twofold,
// with at least three appeals (a quiet problem growing from 0 to 1 is not
// a surge).
func surge(g hotspot.Group) bool {
	return g.Recent >= 3 && float64(g.Recent) >= 2*math.Max(g.Usual, 1)
}

func fill(h *core.Record, g hotspot.Group, now time.Time) {
	h.Set("title", clipText(g.Label, 200))
	h.Set("place", clipText(g.Place, 100))
	h.Set("problem", clipText(g.Problem, 200))
	h.Set("appeals", g.IDs)
	h.Set("count", g.Count)
	h.Set("residents", g.Residents)
	h.Set("heat", g.Heat)
	h.Set("recent", g.Recent)
	h.Set("usual_weekly", math.Round(g.Usual*100)/100)
	h.Set("first_at", g.First)
	h.Set("last_at", g.Last)
	h.Set("status", "active")
	h.Set("scanned_at", now)
}

func alert(tx core.App, h *core.Record, kind, message string, g hotspot.Group) error {
	c, err := tx.FindCachedCollectionByNameOrId("hotspot_alerts")
	if err != nil {
		return err
	}
	a := core.NewRecord(c)
	a.Set("hotspot", h.Id)
	a.Set("kind", kind)
	a.Set("message", clipText(message, 500))
	a.Set("count", g.Count)
	a.Set("recent", g.Recent)
	return tx.Save(a)
}
