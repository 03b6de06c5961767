package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Residents' accounts: sign-in by e-mail with a one-time code (PocketBase's
// OTP on "users"), by password, or by phone with a code sent by SMS
// (plugins/residents, which keeps its codes in sign_in_codes). And the
// original names of uploaded files, which PocketBase's stored names lose
// (a Chinese name becomes random letters).
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		// A resident who signs in by phone has no e-mail address.
		if f, ok := users.Fields.GetByName("email").(*core.EmailField); ok {
			f.Required = false
		}
		// One account per phone number; the phone is set only by a
		// verified SMS code (plugins/residents refuses it in the record API).
		users.AddIndex("idx_users_phone", true, "phone", "phone != ''")
		users.PasswordAuth.IdentityFields = []string{"email", "phone"}
		users.OTP.Enabled = true
		users.OTP.Duration = 600
		users.OTP.Length = 6
		users.OTP.EmailTemplate = core.EmailTemplate{
			Subject: "泗阳网络直通车登录验证码：" + core.EmailPlaceholderOTP,
			Body: `<p>您好：</p>
<p>您正在登录泗阳网络直通车，验证码是：<strong style="font-size:24px;letter-spacing:4px">` + core.EmailPlaceholderOTP + `</strong></p>
<p>验证码 10 分钟内有效，只能使用一次。请勿把验证码告诉任何人，工作人员不会向您索要验证码。</p>
<p>如果这不是您本人的操作，请忽略本邮件。</p>
<p>泗阳网络直通车</p>`,
		}
		users.AuthAlert.EmailTemplate = core.EmailTemplate{
			Subject: "泗阳网络直通车：您的账号在新设备上登录",
			Body: `<p>您好：</p>
<p>您的泗阳网络直通车账号刚刚在新的设备或地点登录：</p>
<p><em>` + core.EmailPlaceholderAlertInfo + `</em></p>
<p><strong>如果不是您本人登录，请立即修改密码。</strong>如果是您本人，请忽略本邮件。</p>
<p>泗阳网络直通车</p>`,
		}
		users.ResetPasswordTemplate = core.EmailTemplate{
			Subject: "泗阳网络直通车：设置登录密码",
			Body: `<p>您好：</p>
<p>请点击下面的链接设置泗阳网络直通车的登录密码（30 分钟内有效）：</p>
<p><a href="` + core.EmailPlaceholderAppURL + `/_/#/auth/confirm-password-reset/` + core.EmailPlaceholderToken + `" target="_blank" rel="noopener">设置登录密码</a></p>
<p>如果这不是您本人的操作，请忽略本邮件，您的密码不会改变。</p>
<p>泗阳网络直通车</p>`,
		}
		if err := app.Save(users); err != nil {
			return err
		}

		// Codes sent by SMS (and a row per e-mail code request, for the rate
		// limits). No API rules: only the residents plugin reads them.
		codes := core.NewBaseCollection("sign_in_codes", "sy_sign_in_codes")
		codes.Fields.Add(
			selectOne("channel", true, "sms", "email"),
			&core.TextField{Name: "target", Required: true, Max: 255, Help: "手机号或邮箱"},
			&core.TextField{Name: "code_hash", Hidden: true, Max: 100, Help: "验证码的 bcrypt 摘要（邮件验证码由 PocketBase 保存，此处为空）"},
			text("ip", false, 64),
			&core.DateField{Name: "sent", Required: true, Help: "发送时间（平台时钟）"},
			&core.DateField{Name: "expires", Required: true},
			&core.NumberField{Name: "attempts", OnlyInt: true, Help: "已尝试次数"},
			boolean("used"),
		)
		codes.Fields.Add(&core.AutodateField{Name: "created", OnCreate: true})
		codes.AddIndex("idx_sign_in_codes_target", false, "channel, target, sent", "")
		codes.AddIndex("idx_sign_in_codes_ip", false, "ip, sent", "")
		if err := app.Save(codes); err != nil {
			return err
		}

		// Original file names, {stored name: name as uploaded}, kept by a hook
		// (hooks/filenames.go) so that pages can show 现场照片.jpg.
		for _, name := range []string{"appeals", "appeal_events", "replies"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.Fields.Add(&core.JSONField{Name: "attachment_names", MaxSize: 1 << 14, Help: "附件的原始文件名"})
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}
