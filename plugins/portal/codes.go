package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"siyang/hooks"
)

// codeAlphabet leaves out 0/O, 1/I/L, which people misread when they copy
// a code from a screen or a text message (the same as query codes).
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// codeLength: 31^6, about 887 million codes.
const codeLength = 6

// newCode is a fresh appointment code, shown once to the resident.
func newCode() string { return security.RandomStringWithAlphabet(codeLength, codeAlphabet) }

// hashCode is how appointment codes are stored: only the SHA-256 digest of
// the upper-case code, so that "ab3k9x" works as well as "AB3K9X". Codes are
// looked up by digest together with the phone number.
func hashCode(code string) string {
	sum := sha256.Sum256([]byte(strings.ToUpper(strings.TrimSpace(code))))
	return hex.EncodeToString(sum[:])
}

// slotStart is when a slot begins, in China time.
func slotStart(slot *core.Record) (time.Time, error) {
	return time.ParseInLocation("2006-01-02 15:04", slot.GetString("date")+" "+slot.GetString("start"), hooks.ChinaTime())
}

// AppointmentStatusLabels are the Chinese names of appointment states.
var AppointmentStatusLabels = map[string]string{
	"booked":    "已预约",
	"cancelled": "已取消",
	"done":      "已办理",
	"no_show":   "未到场",
}
