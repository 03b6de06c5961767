package migrations

import (
	"github.com/pocketbase/pocketbase/core"
)

// Residents' accounts have an optional e-mail (phone accounts are created by
// a verified SMS code in plugins/residents, never through the record API).
// Registering through the record API therefore must carry an e-mail: an
// account with neither e-mail nor phone could never sign in again, receive
// a password reset or be found for a data request.
func init() {
	core.AppMigrations.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		rule := `@request.body.email != ""`
		users.CreateRule = &rule
		return app.Save(users)
	}, nil)
}
