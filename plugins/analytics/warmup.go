package analytics

import (
	"context"
)

// WarmUp takes the 在办/超期 snapshot when there is none yet. The server
// runs it in the background as soon as it serves (timer.Soon, bound with
// the roll-up job): until the job's first run, a minute after the start,
// every metric, dashboard and report answer would otherwise count the
// county's open cases live (0.5–1.3 s a request at 1M appeals) and none
// would be kept. The cells are as the job's last run before the restart
// left them (as_of says so); its first run brings them up to date as
// usual. ctx is cancelled when the app terminates.
func (p *Plugin) WarmUp(ctx context.Context) error {
	p.rollupMu.Lock()
	defer p.rollupMu.Unlock()
	if p.open.Load() != nil {
		return nil // the job ran first
	}
	open, err := takeOpenSnapshot(ctx, p.app, sqlTime(p.now()))
	if err != nil {
		return err
	}
	p.open.Store(open)
	// answers computed live before it were not kept; begin a generation
	// anyway, as a job run does
	p.answers.invalidate()
	return nil
}
