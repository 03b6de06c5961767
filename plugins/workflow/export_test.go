package workflow

// SetQueueComputed has f called after each computation of a kept first
// page of the queue (by a reader or a refresh), with the department and
// view, before the page is kept; the returned func restores none.
func SetQueueComputed(f func(dept, view string)) (restore func()) {
	queueComputedHook.Store(&f)
	return func() { queueComputedHook.Store(nil) }
}
