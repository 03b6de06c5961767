package hooks

import (
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// phoneFields are the phone fields each collection keeps, normalised and
// checked on every save.
var phoneFields = map[string]string{
	"appeals": "contact_phone",
	"users":   "phone",
	"staff":   "phone",
}

// ErrInvalidPhone is the message a person sees for a malformed phone number.
const ErrInvalidPhone = "请输入有效的手机号（11 位）或带区号的固定电话，如 0527-88888888"

// MaxEmail is the longest address mail can carry (RFC 5321: 254
// characters, 64 before the "@"); longer ones are refused at sign-up.
const MaxEmail = 254

func bindValidation(app core.App) {
	for _, collection := range []string{"users", "staff"} {
		app.OnRecordValidate(collection).BindFunc(func(e *core.RecordEvent) error {
			email := e.Record.Email()
			local, _, _ := strings.Cut(email, "@")
			if len(email) > MaxEmail || len(local) > 64 {
				return validation.Errors{"email": validation.NewError("validation_email_too_long", "邮箱地址过长（最多 254 个字符，@ 前最多 64 个字符）")}
			}
			return e.Next()
		})
	}
	for collection, field := range phoneFields {
		app.OnRecordValidate(collection).BindFunc(func(e *core.RecordEvent) error {
			raw := e.Record.GetString(field)
			if raw == "" {
				return e.Next()
			}
			phone := NormalizePhone(raw)
			if !ValidPhone(phone) {
				return validation.Errors{field: validation.NewError("validation_invalid_phone", ErrInvalidPhone)}
			}
			e.Record.Set(field, phone)
			return e.Next()
		})
	}
}
