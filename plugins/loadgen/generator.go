package loadgen

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/plugins/sla"
	"siyang/plugins/workflow"
)

// generator holds the state of one Seed run.
type generator struct {
	app   core.App
	ref   *reference
	clock *sla.Clock
	rng   *rand.Rand
	seed  int64
	now   time.Time
	stats *Stats
	bulk  *bulk

	appeals       *core.Collection
	appealColumns []string
	counters      map[string]int          // ticket day → last number
	policies      map[string]*core.Record // category|priority|kind → policy
	quality       map[qualityKey]scored
	residentIDs   []string
	residentPhone []string
	recent        []string // ids of recent appeals, for 并单
	photo         string   // the file the generated photos link to (see attach)
	storage       string   // the appeals' file folder
}

// prepare reads the appeals' columns and makes the file folder.
func (g *generator) prepare(opt Options) error {
	c, err := g.app.FindCollectionByNameOrId("appeals")
	if err != nil {
		return err
	}
	g.appeals = c
	for _, f := range c.Fields {
		g.appealColumns = append(g.appealColumns, f.GetName())
	}
	g.storage = filepath.Join(g.app.DataDir(), "storage", c.Id)
	if err := os.MkdirAll(g.storage, 0o755); err != nil {
		return err
	}
	return nil
}

// policy answers the SLA policy of an appeal as intake would choose it,
// looked up once per category, priority and kind.
func (g *generator) policy(r *core.Record) (*core.Record, error) {
	key := r.GetString("category") + "|" + r.GetString("priority") + "|" + r.GetString("kind")
	if p, ok := g.policies[key]; ok {
		return p, nil
	}
	p, err := workflow.PolicyFor(g.app, r)
	if err != nil {
		return nil, err
	}
	g.policies[key] = p
	return p, nil
}

func (g *generator) deadline(policy *core.Record, from time.Time, stage string) (time.Time, error) {
	d, err := workflow.Deadline(g.app, g.clock, policy, from, stage)
	return d.Time(), err
}

func dt(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(types.DefaultDateLayout)
}

// residents creates the resident accounts web submissions belong to. They
// sign in with a code sent to their phone; the password is unusable.
func (g *generator) residents(n int) error {
	users, err := g.app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	u := core.NewRecord(users)
	u.SetRandomPassword()
	hash := u.GetString("password")
	if err := g.bulk.begin(); err != nil {
		return err
	}
	defer g.bulk.rollback()
	stamp := dt(g.now)
	// residents' phones are unique (users.phone is): a stride through the
	// 139 range that never repeats (104729 is prime to 10^8), continued
	// after the accounts a folder already has
	first, err := g.app.CountRecords("users")
	if err != nil {
		return err
	}
	for i := int(first); i < int(first)+n; i++ {
		id, phone := newID(g.rng), fmt.Sprintf("139%08d", (int64(i)*104729+g.seed)%100_000_000)
		if err := g.bulk.add("users", id, "", false, true, hash, newID(g.rng)+newID(g.rng), "居民", phone, stamp, stamp); err != nil {
			g.bulk.rollback()
			return err
		}
		g.residentIDs = append(g.residentIDs, id)
		g.residentPhone = append(g.residentPhone, phone)
	}
	g.stats.Residents = n
	return g.bulk.commit()
}

// attach links the sample photo into the appeal's file folder under a
// stored name of PocketBase's form.
func (g *generator) attach(appealID string) (string, error) {
	name := "photo_" + newID(g.rng)[:10] + ".jpg"
	dir := filepath.Join(g.storage, appealID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// a file system allows some tens of thousands of links to one file
	// (65,000 on ext4): start a new source file every 50,000
	if g.stats.Files%50_000 == 0 {
		g.photo = filepath.Join(g.storage, fmt.Sprintf(".loadgen-photo-%d.jpg", g.stats.Files/50_000))
		if err := os.WriteFile(g.photo, samplePhoto, 0o644); err != nil {
			return "", err
		}
	}
	if err := os.Link(g.photo, filepath.Join(dir, name)); err != nil {
		return "", err
	}
	g.stats.Files++
	return name, nil
}

// samplePhoto is a 1×1 JPEG: enough for the file endpoints and thumbnails
// to have something real to serve.
var samplePhoto = []byte{
	0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	0xff, 0xdb, 0x00, 0x43, 0x00, 0x08, 0x06, 0x06, 0x07, 0x06, 0x05, 0x08, 0x07, 0x07, 0x07, 0x09, 0x09, 0x08, 0x0a, 0x0c,
	0x14, 0x0d, 0x0c, 0x0b, 0x0b, 0x0c, 0x19, 0x12, 0x13, 0x0f, 0x14, 0x1d, 0x1a, 0x1f, 0x1e, 0x1d, 0x1a, 0x1c, 0x1c, 0x20,
	0x24, 0x2e, 0x27, 0x20, 0x22, 0x2c, 0x23, 0x1c, 0x1c, 0x28, 0x37, 0x29, 0x2c, 0x30, 0x31, 0x34, 0x34, 0x34, 0x1f, 0x27,
	0x39, 0x3d, 0x38, 0x32, 0x3c, 0x2e, 0x33, 0x34, 0x32, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01,
	0x11, 0x00, 0xff, 0xc4, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x2a, 0x9f,
	0xff, 0xd9,
}
