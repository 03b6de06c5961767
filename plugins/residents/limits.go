package residents

import (
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"
)

// tooMany is a 429 answer in Chinese; retry_after (seconds) lets the page
// count down.
func tooMany(message string, retry time.Duration) *router.ApiError {
	return &router.ApiError{Status: http.StatusTooManyRequests, Message: message,
		Data: map[string]any{"retry_after": int(retry.Seconds() + 0.999)}}
}

// checkLimits (run in the transaction that writes the new code's row, so
// that concurrent requests are counted one after the other) refuses a new code for target (a phone or an e-mail
// address) requested from ip when it comes too soon after the last one,
// when target had its hourly share, or when ip had its share.
func (p *plugin) checkLimits(app core.App, channel, target, ip string) error {
	now := p.now().UTC()
	since := now.Add(-time.Hour).Format(types.DefaultDateLayout)

	var last struct {
		Sent  types.DateTime `db:"sent"`
		Count int            `db:"n"`
	}
	err := app.DB().NewQuery(`SELECT MAX(sent) AS sent, COUNT(*) AS n FROM sign_in_codes
 WHERE channel = {:channel} AND target = {:target} AND sent > {:since}`).
		Bind(dbx.Params{"channel": channel, "target": target, "since": since}).One(&last)
	if err != nil {
		return err
	}
	if last.Count > 0 {
		if wait := last.Sent.Time().Add(p.config.ResendAfter).Sub(now); wait > 0 {
			return tooMany(fmt.Sprintf("验证码已发送，请 %d 秒后再重新获取", int(wait.Seconds()+0.999)), wait)
		}
	}
	if last.Count >= p.config.MaxPerTarget {
		what := "该手机号"
		if channel == "email" {
			what = "该邮箱"
		}
		return tooMany(what+"获取验证码的次数过多，请 1 小时后再试", time.Hour)
	}
	var fromIP int
	err = app.DB().NewQuery(`SELECT COUNT(*) FROM sign_in_codes WHERE ip = {:ip} AND sent > {:since}`).
		Bind(dbx.Params{"ip": ip, "since": since}).Row(&fromIP)
	if err != nil {
		return err
	}
	if fromIP >= p.config.MaxPerIP {
		return tooMany("您所在的网络获取验证码的次数过多，请稍后再试", time.Hour)
	}
	return nil
}

// newCodeRow writes the record of a code sent now (hash empty for e-mail
// codes, which PocketBase keeps itself).
func (p *plugin) newCodeRow(app core.App, channel, target, hash, ip string) (*core.Record, error) {
	c, err := app.FindCachedCollectionByNameOrId("sign_in_codes")
	if err != nil {
		return nil, err
	}
	now := p.now().UTC()
	r := core.NewRecord(c)
	r.Set("channel", channel)
	r.Set("target", target)
	r.Set("code_hash", hash)
	r.Set("ip", ip)
	r.Set("sent", now)
	r.Set("expires", now.Add(p.config.CodeTTL))
	return r, app.Save(r)
}
