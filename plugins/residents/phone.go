package residents

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/security"
	"golang.org/x/crypto/bcrypt"

	"siyang/hooks"
	"siyang/plugins/workflow"
)

// mobileRe: codes go to mainland mobile numbers only.
var mobileRe = regexp.MustCompile(`^1[3-9]\d{9}$`)

const codeDigits = "0123456789"

// readPhone normalises the phone field as hooks/phone.go does and checks
// that it is a mobile number.
func readPhone(raw string, errs *workflow.FieldErrors) string {
	phone := hooks.NormalizePhone(raw)
	switch {
	case phone == "":
		errs.Add("phone", "请输入手机号")
	case !mobileRe.MatchString(phone):
		errs.Add("phone", "请输入 11 位手机号（验证码只能发送到手机）")
	}
	return phone
}

// handlePhoneCode runs POST /api/residents/phone-code {phone}: a 6-digit
// code by SMS, valid for CodeTTL, within the limits (limits.go). Only the
// code's bcrypt digest is stored.
func (p *plugin) handlePhoneCode(e *core.RequestEvent) error {
	var in struct {
		Phone string `json:"phone" form:"phone"`
	}
	if err := e.BindBody(&in); err != nil {
		return workflow.BodyError(err)
	}
	errs := &workflow.FieldErrors{}
	phone := readPhone(in.Phone, errs)
	if err := errs.Err(); err != nil {
		return err
	}
	code := security.RandomStringWithAlphabet(6, codeDigits)
	hash, err := bcrypt.GenerateFromPassword([]byte(code), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	var row *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := p.checkLimits(tx, "sms", phone, e.RealIP()); err != nil {
			return err
		}
		row, err = p.newCodeRow(tx, "sms", phone, string(hash), e.RealIP())
		return err
	})
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(e.Request.Context(), 15*time.Second)
	defer cancel()
	if err := p.config.SendCode(ctx, phone, code); err != nil {
		// The row stays (it counts towards the limits) but can never sign in.
		row.Set("used", true)
		if serr := e.App.Save(row); serr != nil {
			e.App.Logger().Error("residents: cannot retire an unsent code", "error", serr)
		}
		if errors.Is(err, ErrNoSMS) {
			return &router.ApiError{Status: http.StatusServiceUnavailable, Message: "暂未开通短信验证码登录，请使用邮箱验证码或密码登录", Data: map[string]any{}}
		}
		e.App.Logger().Error("residents: sign-in code not sent", "phone", hooks.MaskPhone(phone), "error", err)
		return &router.ApiError{Status: http.StatusBadGateway, Message: "短信发送失败，请稍后重试，或使用邮箱验证码登录", Data: map[string]any{}}
	}
	return e.JSON(http.StatusOK, map[string]any{
		"message":      "验证码已发送到 " + hooks.MaskPhone(phone) + "，" + minutes(p.config.CodeTTL) + "内有效",
		"phone":        hooks.MaskPhone(phone),
		"expires_in":   int(p.config.CodeTTL.Seconds()),
		"resend_after": int(p.config.ResendAfter.Seconds()),
	})
}

func minutes(d time.Duration) string {
	return itoa(int(d.Minutes())) + " 分钟"
}

// handlePhoneSignIn runs POST /api/residents/phone-sign-in {phone, code}:
// the latest unexpired code of that phone, at most MaxAttempts tries; a
// right code answers PocketBase's auth response (token and record) for the
// account with that phone, made on the first sign-in.
func (p *plugin) handlePhoneSignIn(e *core.RequestEvent) error {
	var in struct {
		Phone string `json:"phone" form:"phone"`
		Code  string `json:"code" form:"code"`
	}
	if err := e.BindBody(&in); err != nil {
		return workflow.BodyError(err)
	}
	errs := &workflow.FieldErrors{}
	phone := readPhone(in.Phone, errs)
	code := strings.TrimSpace(in.Code)
	if code == "" {
		errs.Add("code", "请输入短信验证码")
	} else if len(code) != 6 || strings.Trim(code, codeDigits) != "" {
		errs.Add("code", "验证码是 6 位数字")
	}
	if err := errs.Err(); err != nil {
		return err
	}

	now := p.now().UTC()
	rows, err := e.App.FindRecordsByFilter("sign_in_codes",
		"channel = 'sms' && target = {:phone} && used = false && expires > {:now}", "-sent", 1, 0,
		dbx.Params{"phone": phone, "now": now.Format("2006-01-02 15:04:05.000Z")})
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return workflow.FieldError("code", "验证码已过期或已使用，请重新获取")
	}
	row := rows[0]
	// Count the try before checking it, in one statement, so that parallel
	// guesses cannot exceed the cap.
	res, err := e.App.DB().NewQuery("UPDATE sign_in_codes SET attempts = attempts + 1 WHERE id = {:id} AND attempts < {:max} AND used = 0").
		Bind(dbx.Params{"id": row.Id, "max": p.config.MaxAttempts}).Execute()
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tooMany("验证码输错次数过多，请重新获取验证码", 0)
	}
	if bcrypt.CompareHashAndPassword([]byte(row.GetString("code_hash")), []byte(code)) != nil {
		left := p.config.MaxAttempts - row.GetInt("attempts") - 1
		if left <= 0 {
			return tooMany("验证码输错次数过多，请重新获取验证码", 0)
		}
		return workflow.FieldError("code", "验证码不正确，还可以再试 "+itoa(left)+" 次")
	}
	res, err = e.App.DB().NewQuery("UPDATE sign_in_codes SET used = 1 WHERE id = {:id} AND used = 0").
		Bind(dbx.Params{"id": row.Id}).Execute()
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return workflow.FieldError("code", "验证码已过期或已使用，请重新获取")
	}

	var user *core.Record
	var linked int
	err = e.App.RunInTransaction(func(tx core.App) error {
		var err error
		if user, err = accountByPhone(tx, phone); err != nil {
			return err
		}
		linked, err = p.linkEarlierAppeals(tx, user, phone, e.RealIP())
		return err
	})
	if err != nil {
		return err
	}
	return apis.RecordAuthResponse(e, user, core.MFAMethodOTP, map[string]any{"linked_appeals": linked})
}

// accountByPhone finds the resident account with phone, or makes one (no
// e-mail, a random password: it signs in by phone code until the resident
// sets a password).
func accountByPhone(app core.App, phone string) (*core.Record, error) {
	user, err := app.FindFirstRecordByData("users", "phone", phone)
	if err == nil {
		return user, nil
	}
	users, err := app.FindCachedCollectionByNameOrId("users")
	if err != nil {
		return nil, err
	}
	user = core.NewRecord(users)
	user.Set("phone", phone)
	user.SetRandomPassword()
	return user, app.Save(user)
}
