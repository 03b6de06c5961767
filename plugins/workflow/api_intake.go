package workflow

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"

	"siyang/hooks"
)

// Submission is what a resident (or an operator for them) submits.
type Submission struct {
	Kind          string   `json:"kind" form:"kind"`
	Title         string   `json:"title" form:"title"`
	Content       string   `json:"content" form:"content"`
	Category      string   `json:"category" form:"category"`
	Region        string   `json:"region" form:"region"`
	Address       string   `json:"address" form:"address"`
	Lat           *float64 `json:"lat" form:"lat"`
	Lon           *float64 `json:"lon" form:"lon"`
	ContactName   string   `json:"contact_name" form:"contact_name"`
	ContactPhone  string   `json:"contact_phone" form:"contact_phone"`
	PublicConsent bool     `json:"public_consent" form:"public_consent"`
	Confidential  bool     `json:"confidential" form:"confidential"`
	Anonymous     bool     `json:"anonymous" form:"anonymous"`
	Channel       string   `json:"channel" form:"channel"`

	Files []*filesystem.File `json:"-" form:"-"`
}

// Intake limits, in characters.
const (
	minTitle, maxTitle     = 4, 100
	minContent, maxContent = 10, 5000
	maxAddress             = 200
	maxName                = 40
)

// queryCodeAlphabet leaves out 0/O and 1/I/L, which residents misread.
const queryCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// validate checks the form and answers every problem at once, by field.
func (f *Submission) validate(app core.App) (category, region *core.Record, err error) {
	f.Title = strings.TrimSpace(f.Title)
	f.Content = strings.TrimSpace(f.Content)
	f.Address = strings.TrimSpace(f.Address)
	f.ContactName = strings.TrimSpace(f.ContactName)
	f.ContactPhone = hooks.NormalizePhone(f.ContactPhone)

	errs := &FieldErrors{}
	if _, ok := KindLabels[f.Kind]; !ok {
		errs.Add("kind", "请选择诉求类型：咨询、投诉、求助、建议或举报")
	}
	checkText(errs, "title", "标题", f.Title, minTitle, maxTitle)
	checkText(errs, "content", "诉求内容", f.Content, minContent, maxContent)
	if utf8.RuneCountInString(f.Address) > maxAddress || !utf8.ValidString(f.Address) || hasControl(f.Address) {
		errs.Add("address", "地址不能超过 200 字，且不能含有特殊控制字符")
	}
	switch {
	case f.ContactName == "":
		errs.Add("contact_name", "请填写联系人姓名，以便办理单位联系您（不会公开）")
	case utf8.RuneCountInString(f.ContactName) > maxName || hasControl(f.ContactName) || strings.ContainsAny(f.ContactName, "<>"):
		errs.Add("contact_name", "姓名不能超过 40 字，且不能含有特殊字符")
	}
	switch {
	case f.ContactPhone == "":
		errs.Add("contact_phone", "请填写联系电话，以便回访（不会公开）")
	case !hooks.ValidPhone(f.ContactPhone):
		errs.Add("contact_phone", hooks.ErrInvalidPhone)
	}
	if (f.Lat == nil) != (f.Lon == nil) {
		errs.Add("lat", "地图位置需要同时提供经度和纬度")
	} else if f.Lat != nil && (math.IsNaN(*f.Lat) || math.IsNaN(*f.Lon) || *f.Lat < -90 || *f.Lat > 90 || *f.Lon < -180 || *f.Lon > 180) {
		errs.Add("lat", "地图位置的经纬度超出范围")
	}
	if f.Category != "" {
		category, err = app.FindRecordById("categories", f.Category)
		if err != nil {
			category, err = app.FindFirstRecordByData("categories", "code", f.Category)
		}
		if err != nil {
			errs.Add("category", "所选分类不存在")
		}
	}
	if f.Region != "" {
		region, err = app.FindRecordById("regions", f.Region)
		if err != nil {
			region, err = app.FindFirstRecordByData("regions", "code", f.Region)
		}
		if err != nil {
			errs.Add("region", "所选乡镇/街道不存在")
		}
	}
	return category, region, errs.Err()
}

func checkText(errs *FieldErrors, field, label, s string, min, max int) {
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s) || hasControl(s):
		errs.Add(field, label+"含有无效字符，请删除后重试")
	case n == 0:
		errs.Add(field, "请填写"+label)
	case n < min:
		errs.Add(field, label+"太短，至少需要 "+itoa(min)+" 个字")
	case n > max:
		errs.Add(field, label+"不能超过 "+itoa(max)+" 个字（当前 "+itoa(n)+" 字）")
	}
}

// hasControl finds control characters other than line breaks and tabs.
func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }

// Receipt is what the resident keeps: the ticket number and the query
// code (shown once; only its digest is stored).
type Receipt struct {
	Appeal    *core.Record
	QueryCode string
}

// Submit validates and registers an appeal for actor: a resident (channel
// web, or the channel the caller sets for integrations), or an operator
// registering it for a resident who phoned, wrote or came to the hall.
// The appeal, its ticket number and its first timeline entry commit together.
func (en *Engine) Submit(app core.App, f Submission, actor Actor) (*Receipt, error) {
	switch {
	case actor.StaffRole == "operator" || actor.StaffRole == "admin":
		if f.Channel == "" {
			f.Channel = "phone"
		}
		if f.Channel != "phone" && f.Channel != "letter" && f.Channel != "window" {
			return nil, FieldError("channel", "代录诉求的来源只能是 phone（电话）、letter（信件）或 window（窗口）")
		}
	case actor.IsStaff():
		return nil, Forbidden("只有平台话务员可以代居民登记诉求")
	case actor.IsSystem:
		if _, ok := ChannelLabels[f.Channel]; !ok {
			return nil, FieldError("channel", "未知的诉求来源")
		}
	default:
		f.Channel = "web"
	}
	if err := checkFiles(f.Files); err != nil {
		return nil, err
	}
	category, region, err := f.validate(app)
	if err != nil {
		return nil, err
	}

	code := security.RandomStringWithAlphabet(6, queryCodeAlphabet)
	collection, err := app.FindCachedCollectionByNameOrId("appeals")
	if err != nil {
		return nil, err
	}
	// newAppeal builds the record from the submission: once as the draft
	// the preparation reads (and the first attempt of the transaction
	// saves), then afresh in each further attempt (a retried attempt must
	// not inherit a ticket from a rolled-back one).
	newAppeal := func() *core.Record {
		appeal := core.NewRecord(collection)
		appeal.Load(map[string]any{
			"query_code_hash": HashQueryCode(code),
			"channel":         f.Channel,
			"kind":            f.Kind,
			"title":           f.Title,
			"content":         f.Content,
			"address":         f.Address,
			"contact_name":    f.ContactName,
			"contact_phone":   f.ContactPhone,
			"public_consent":  f.PublicConsent && !f.Confidential,
			"confidential":    f.Confidential,
			"anonymous":       f.Anonymous,
			"status":          string(Submitted),
			"priority":        "normal",
			"sla_state":       "normal",
		})
		if category != nil {
			appeal.Set("category", category.Id)
		}
		if region != nil {
			appeal.Set("region", region.Id)
		}
		if f.Lat != nil {
			appeal.Set("location", types.GeoPoint{Lat: *f.Lat, Lon: *f.Lon})
		}
		if actor.IsResidentAccount() {
			appeal.Set("resident", actor.Record.Id)
		}
		if actor.IsStaff() && actor.Record != nil && actor.Record.Collection().Name == "staff" {
			appeal.Set("registered_by", actor.Record.Id)
		}
		if len(f.Files) > 0 {
			appeal.Set("attachments", f.Files)
		}
		return appeal
	}
	draft := newAppeal()
	prep := &PrepareIntakeEvent{App: app, Appeal: draft, Context: context.Background()}
	if err := OnPrepareIntake(app).Trigger(prep); err != nil {
		return nil, err
	}

	// The timeline entry is built here, beside other submissions, not in
	// the single writer: its values come from the submission and the actor
	// alone; the transaction only adds the appeal's id. Like the draft,
	// only the first attempt saves it (a rolled-back attempt leaves it with
	// an id and marked as saved).
	entry, err := submitEvent(app, draft, actor)
	if err != nil {
		return nil, err
	}

	var appeal *core.Record
	err = en.intakes.do(app, func(tx core.App) error {
		// the first attempt saves the draft itself (the preparation only
		// read it); a retried one starts from a fresh record
		ev := entry
		if draft != nil {
			appeal, draft, entry = draft, nil, nil
		} else {
			appeal = newAppeal()
		}
		if ev == nil {
			var err error
			if ev, err = submitEvent(tx, appeal, actor); err != nil {
				return err
			}
		}
		now := en.now().UTC()
		policy, err := PolicyFor(tx, appeal)
		if err != nil {
			return err
		}
		appeal.Set("sla_policy", policy.Id)
		due, err := Deadline(tx, en.clock, policy, now, "accept")
		if err != nil {
			return err
		}
		appeal.Set("due_accept", due)
		if err := tx.SaveWithContext(withPreparedInsert(prep.Context), appeal); err != nil {
			return err
		}
		return writeSubmitEvent(tx, appeal, ev)
	})
	if err != nil {
		return nil, err
	}
	return &Receipt{Appeal: appeal, QueryCode: code}, nil
}

// handleIntake runs POST /api/appeals (JSON or multipart with up to 9
// "attachments").
func (p *plugin) handleIntake(e *core.RequestEvent) error {
	var f Submission
	if err := e.BindBody(&f); err != nil {
		return BodyError(err)
	}
	files, err := uploadedFiles(e)
	if err != nil {
		return err
	}
	f.Files = files
	actor := ActorFromAuth(e.Auth)
	actor.IP = e.RealIP()
	receipt, err := p.engine.Submit(e.App, f, actor)
	if err != nil {
		return err
	}
	appeal := receipt.Appeal
	return e.JSON(http.StatusCreated, intakeAnswer{
		DueAccept:   appeal.GetDateTime("due_accept"),
		Id:          appeal.Id,
		Message:     "提交成功。请牢记受理编号和查询码，凭它们可以随时查询办理进度。",
		QueryCode:   receipt.QueryCode,
		Status:      Submitted,
		StatusLabel: StatusLabels[Submitted],
		Ticket:      appeal.GetString("ticket"),
	})
}

// intakeAnswer is the body of a created appeal: the same keys and values
// the map it replaced gave, encoded without building a map per intake
// (keys now in a fixed order, that of their names).
type intakeAnswer struct {
	DueAccept   types.DateTime `json:"due_accept"`
	Id          string         `json:"id"`
	Message     string         `json:"message"`
	QueryCode   string         `json:"query_code"`
	Status      Status         `json:"status"`
	StatusLabel string         `json:"status_label"`
	Ticket      string         `json:"ticket"`
}

// writeSubmitEvent saves ev, built by submitEvent for appeal (before
// appeal had its id), as the first line of appeal's timeline.
func writeSubmitEvent(tx core.App, appeal, ev *core.Record) error {
	ev.Set("appeal", appeal.Id)
	// Saved without PocketBase's validation (its hooks all run): every
	// value is set by submitEvent from constants and from records this
	// transaction has just saved or authenticated, so the checks could not
	// fail, and they cost a relation count(*) on the appeal per intake.
	// TestSubmitEventSameAsValidatedSave compares it with a validated save.
	return tx.SaveNoValidateWithContext(withPreparedInsert(context.Background()), ev)
}

// submitEvent builds the submission's timeline entry. It reads of appeal
// only its channel (and its id, which writeSubmitEvent sets again once
// the appeal is saved).
func submitEvent(tx core.App, appeal *core.Record, actor Actor) (*core.Record, error) {
	collection, err := tx.FindCachedCollectionByNameOrId("appeal_events")
	if err != nil {
		return nil, err
	}
	ev := core.NewRecord(collection)
	ev.Set("appeal", appeal.Id)
	ev.Set("action", "submit")
	ev.Set("to_status", string(Submitted))
	ev.Set("public", true)
	ev.Set("summary", "诉求已提交（"+ChannelLabels[appeal.GetString("channel")]+"），等待平台受理")
	if actor.IsStaff() && actor.Record.Collection().Name == "staff" {
		ev.Set("actor_role", actor.StaffRole)
		ev.Set("actor_staff", actor.Record.Id)
	} else {
		ev.Set("actor_role", "resident")
	}
	return ev, nil
}
