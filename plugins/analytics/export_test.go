package analytics

// ForgetAnswers empties the kept answers, so a benchmark can time an
// answer computed afresh (as the first request after a job run is).
func (p *Plugin) ForgetAnswers() { p.answers.invalidate() }

// ForgetSnapshot drops the 在办/超期 snapshot, as a restart does.
func (p *Plugin) ForgetSnapshot() {
	p.open.Store(nil)
	p.answers.invalidate()
}
