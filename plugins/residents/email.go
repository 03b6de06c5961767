package residents

import (
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

func itoa(n int) string { return strconv.Itoa(n) }

// onEmailCode runs before PocketBase makes and mails an e-mail code
// (POST /api/collections/users/request-otp): the same limits as SMS codes,
// and a first-time address gets its account here, unverified with a random
// password, so that the code can be sent (PocketBase marks it verified when
// the code is used). The code itself stays with PocketBase (_otps, hashed).
func (p *plugin) onEmailCode(e *core.RecordCreateOTPRequestEvent) error {
	var in struct {
		Email string `json:"email" form:"email"`
	}
	if err := e.BindBody(&in); err != nil {
		return e.Next() // PocketBase answers the malformed body
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	err := e.App.RunInTransaction(func(tx core.App) error {
		if err := p.checkLimits(tx, "email", email, e.RealIP()); err != nil {
			return err
		}
		if e.Record == nil {
			user := core.NewRecord(e.Collection)
			user.SetEmail(email)
			user.SetRandomPassword()
			if err := tx.Save(user); err != nil {
				return err
			}
			e.Record = user
		}
		_, err := p.newCodeRow(tx, "email", email, "", e.RealIP())
		return err
	})
	if err != nil {
		return err
	}
	return e.Next()
}
