package hooks

import (
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

func bindValidation(app core.App) {
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
