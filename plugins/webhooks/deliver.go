package webhooks

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Result counts what one delivery pass did.
type Result struct {
	Delivered, Failed, Dead int
}

// batchSize bounds one query for due rows; maxRounds bounds one pass (each
// round can only send the next row of each appeal, so a pass goes round
// until nothing more is due).
const (
	batchSize = 200
	maxRounds = 50
)

// headsDue selects the rows due now that are first in line for their
// (webhook, appeal): no earlier row of the same pair is still pending. A
// dead row does not block the ones after it (it waits for a replay).
const headsDue = `status = 'pending' AND next_attempt_at <= {:now}
  AND NOT EXISTS (SELECT 1 FROM outbox o2 WHERE o2.webhook = outbox.webhook
      AND o2.appeal = outbox.appeal AND o2.status = 'pending' AND o2.seq < outbox.seq)`

// deliverDue sends every row that is due, in order per appeal and webhook.
func (p *plugin) deliverDue() (Result, error) {
	p.passMu.Lock()
	defer p.passMu.Unlock()
	var total Result
	for round := 0; round < maxRounds; round++ {
		now, _ := types.ParseDateTime(p.now())
		var rows []*core.Record
		err := p.app.RecordQuery("outbox").
			Where(dbx.NewExp(headsDue, dbx.Params{"now": now.String()})).
			OrderBy("next_attempt_at", "seq").Limit(batchSize).All(&rows)
		if err != nil {
			return total, fmt.Errorf("webhooks: due rows: %w", err)
		}
		if len(rows) == 0 {
			return total, nil
		}
		res, err := p.deliverRows(rows)
		total.Delivered += res.Delivered
		total.Failed += res.Failed
		total.Dead += res.Dead
		if err != nil {
			return total, err
		}
		if res.Delivered == 0 {
			// everything due failed (or waits for an inactive webhook):
			// the next pass tries again when the backoff says so
			return total, nil
		}
	}
	return total, nil
}

// deliverRows sends one round: each webhook's rows one after the other, up
// to Parallel webhooks at once.
func (p *plugin) deliverRows(rows []*core.Record) (Result, error) {
	byHook := map[string][]*core.Record{}
	var order []string
	for _, r := range rows {
		id := r.GetString("webhook")
		if _, ok := byHook[id]; !ok {
			order = append(order, id)
		}
		byHook[id] = append(byHook[id], r)
	}
	var (
		mu  sync.Mutex
		res Result
		wg  sync.WaitGroup
	)
	sem := make(chan struct{}, p.config.Parallel)
	for _, id := range order {
		hook, err := p.app.FindRecordById("webhooks", id)
		if err != nil || !hook.GetBool("active") {
			continue // deleted (rows go with it) or paused: rows wait
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(hook *core.Record, list []*core.Record) {
			defer func() { <-sem; wg.Done() }()
			for _, row := range list {
				outcome := p.attempt(hook, row)
				mu.Lock()
				switch outcome {
				case "delivered":
					res.Delivered++
				case "dead":
					res.Dead++
				default:
					res.Failed++
				}
				mu.Unlock()
			}
		}(hook, byHook[id])
	}
	wg.Wait()
	return res, nil
}

// attempt POSTs one row and records the outcome on it.
func (p *plugin) attempt(hook, row *core.Record) string {
	body := []byte(row.GetString("payload"))
	now := p.now()
	status, err := p.post(hook, row, body, now)

	row.Set("attempts", row.GetInt("attempts")+1)
	row.Set("last_status", status)
	outcome := "delivered"
	switch {
	case err == nil:
		row.Set("status", "delivered")
		row.Set("delivered_at", now)
		row.Set("last_error", "")
	case row.GetInt("attempts") >= p.config.MaxAttempts:
		outcome = "dead"
		row.Set("status", "dead")
		row.Set("last_error", truncate(err.Error(), 1000))
	default:
		outcome = "failed"
		row.Set("next_attempt_at", p.now().Add(p.backoff(row.GetInt("attempts"))))
		row.Set("last_error", truncate(err.Error(), 1000))
	}
	if saveErr := p.app.Save(row); saveErr != nil {
		// the receiver may get this row again: that is why every delivery
		// carries X-Siyang-Delivery for de-duplication
		p.app.Logger().Error("webhooks: record delivery", "outbox", row.Id, "error", saveErr)
	}
	if outcome == "dead" {
		p.app.Logger().Warn("webhooks: delivery dead after retries", "outbox", row.Id,
			"webhook", hook.Id, "attempts", row.GetInt("attempts"), "error", err)
	}
	return outcome
}

// post sends the signed request and answers the HTTP status (0 when the
// receiver could not be reached) and an error for anything but 2xx.
func (p *plugin) post(hook, row *core.Record, body []byte, now time.Time) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), p.config.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.GetString("url"), bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Siyang-Webhooks/1")
	req.Header.Set("X-Siyang-Event", row.GetString("event"))
	req.Header.Set("X-Siyang-Delivery", row.Id)
	req.Header.Set("X-Siyang-Timestamp", ts)
	req.Header.Set("X-Siyang-Signature", Sign(hook.GetString("secret"), ts, body))
	resp, err := p.config.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // reuse the connection
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(snippet))
	}
	return resp.StatusCode, nil
}

// backoff is the delay before the next attempt after the given number of
// failed attempts: uniformly random below min(MaxDelay, BaseDelay·2^(n-1)).
func (p *plugin) backoff(attempts int) time.Duration {
	ceiling := p.config.BaseDelay
	for i := 1; i < attempts && ceiling < p.config.MaxDelay; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, p.config.MaxDelay)
	if p.config.Rand != nil {
		return p.config.Rand(ceiling)
	}
	return rand.N(ceiling)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
