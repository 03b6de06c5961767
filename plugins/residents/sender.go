package residents

import (
	"context"
	"errors"

	"github.com/pocketbase/pocketbase/core"

	"siyang/hooks"
)

// ErrNoSMS means no SMS gateway is configured.
var ErrNoSMS = errors.New("residents: no SMS gateway configured")

// LogSender is the sender without an SMS gateway. In --dev mode it writes
// the code to the log with the phone masked, so that developers can sign
// in; otherwise it sends nothing and answers ErrNoSMS (a code in a
// production log would let anyone who reads the log into the account).
func LogSender(app core.App) func(ctx context.Context, phone, code string) error {
	return func(_ context.Context, phone, code string) error {
		if !app.IsDev() {
			app.Logger().Warn("residents: sign-in code not sent, no SMS gateway configured", "phone", hooks.MaskPhone(phone))
			return ErrNoSMS
		}
		app.Logger().Info("短信验证码（开发模式，未发送）", "phone", hooks.MaskPhone(phone), "code", code)
		return nil
	}
}
