package guard

import (
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// otpSubject and otpBody are the Chinese mail with the one-time code.
const (
	otpSubject = "泗阳网络直通车登录验证码"
	otpBody    = `<p>您好：</p><p>您正在登录泗阳网络直通车工作平台，验证码为 <strong>{OTP}</strong>，10 分钟内有效。</p>` +
		`<p>如非本人操作，请立即修改密码并告知系统管理员。</p>`
)

// bindMFA keeps the staff collection's MFA in line with Config.MFARoles and
// the mail settings: at start and whenever the settings change.
func (p *plugin) bindMFA() {
	if len(p.config.MFARoles) == 0 {
		return
	}
	p.app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		if err := p.applyMFA(e.App); err != nil {
			return err
		}
		return e.Next()
	})
	p.app.OnSettingsReload().BindFunc(func(e *core.SettingsReloadEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		if _, err := e.App.FindCachedCollectionByNameOrId("staff"); err != nil {
			return nil // before the migrations ran
		}
		return p.applyMFA(e.App)
	})
}

// mfaRule matches the staff records that need the second factor.
func (p *plugin) mfaRule() string {
	parts := make([]string, len(p.config.MFARoles))
	for i, role := range p.config.MFARoles {
		parts[i] = fmt.Sprintf("role = %q", role)
	}
	return strings.Join(parts, " || ")
}

// applyMFA switches MFA with email OTP on for the configured roles while
// mail can be sent, and off (with an error in the log) while it cannot.
func (p *plugin) applyMFA(app core.App) error {
	staff, err := app.FindCollectionByNameOrId("staff")
	if err != nil {
		return err
	}
	on := app.Settings().SMTP.Enabled
	if !on {
		app.Logger().Error("guard: staff MFA is configured but SMTP is off, so no code could be delivered; MFA stays off until mail is set up",
			"roles", p.config.MFARoles)
	}
	rule := p.mfaRule()
	if staff.MFA.Enabled == on && staff.OTP.Enabled == on && staff.MFA.Rule == rule &&
		staff.OTP.EmailTemplate.Subject == otpSubject {
		return nil
	}
	staff.MFA.Enabled = on
	staff.MFA.Rule = rule
	staff.MFA.Duration = 600
	staff.OTP.Enabled = on
	staff.OTP.Duration = 600
	staff.OTP.Length = 6
	staff.OTP.EmailTemplate.Subject = otpSubject
	staff.OTP.EmailTemplate.Body = otpBody
	return app.Save(staff)
}
