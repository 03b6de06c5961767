// Package demo seeds a fresh data folder with sample departments and
// townships of 泗阳县 and one demo account per staff role, so that a
// newcomer can walk the whole loop at once. Every seeded row is marked as
// sample data; the accounts' passwords are random and printed once.
package demo

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
)

// Config configures the demo seeding.
type Config struct {
	// Enabled seeds sample data when the data folder has no departments yet
	// (a fresh folder). A folder that already has departments is never touched.
	Enabled bool

	// Out receives the printed demo accounts; nil means standard output.
	Out io.Writer
}

// AccountsFile is where the demo accounts are written, inside the data folder.
const AccountsFile = "demo_accounts.txt"

type plugin struct {
	app    core.App
	config Config
}

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) {
	if err := Register(app, config); err != nil {
		panic(err)
	}
}

// Register seeds on serve when enabled.
func Register(app core.App, config Config) error {
	if config.Out == nil {
		config.Out = os.Stdout
	}
	p := &plugin{app: app, config: config}
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		if p.config.Enabled {
			if err := p.seedIfFresh(); err != nil {
				return fmt.Errorf("demo data: %w", err)
			}
		}
		return e.Next()
	})
	return nil
}

func (p *plugin) seedIfFresh() error {
	n, err := p.app.CountRecords("departments")
	if err != nil || n > 0 {
		return err
	}
	var accounts []Account
	err = p.app.RunInTransaction(func(tx core.App) error {
		var err error
		accounts, err = Seed(tx)
		return err
	})
	if err != nil {
		return err
	}
	return p.printAccounts(accounts)
}

// Account is a seeded staff login.
type Account struct {
	Role, Name, Department, Email, Password string
}

func (p *plugin) printAccounts(accounts []Account) error {
	path := filepath.Join(p.app.DataDir(), AccountsFile)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	w := io.MultiWriter(f, p.config.Out)
	fmt.Fprintln(w, "泗阳网络直通车 — 演示账号（示例数据，正式上线前请删除；启动参数 --demo=false 可关闭）")
	fmt.Fprintln(w, "role\temail\tpassword\tname\tdepartment")
	for _, a := range accounts {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Role, a.Email, a.Password, a.Name, a.Department)
	}
	fmt.Fprintf(p.config.Out, "（以上账号已保存到 %s）\n", path)
	return nil
}

// newPassword is random, so that no two installations share a demo password.
func newPassword() string {
	return security.RandomStringWithAlphabet(14, "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
}
