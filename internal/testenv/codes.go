package testenv

import (
	"context"
	"sync"
)

// CodeBox stands in for the SMS gateway of the residents' sign-in: it
// keeps the codes "sent", by phone.
type CodeBox struct {
	mu    sync.Mutex
	codes map[string][]string
	// Fail, when set, is answered by Send instead of keeping the code.
	Fail error
}

// Send keeps code for phone (residents.Config.SendCode).
func (b *CodeBox) Send(_ context.Context, phone, code string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Fail != nil {
		return b.Fail
	}
	if b.codes == nil {
		b.codes = map[string][]string{}
	}
	b.codes[phone] = append(b.codes[phone], code)
	return nil
}

// Last answers the latest code sent to phone ("" if none).
func (b *CodeBox) Last(phone string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.codes[phone]
	if len(c) == 0 {
		return ""
	}
	return c[len(c)-1]
}

// Count answers how many codes phone got.
func (b *CodeBox) Count(phone string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.codes[phone])
}
