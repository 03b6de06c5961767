// Package apikey issues and checks the keys of integrations (api_keys):
// department systems, Open311 clients and the upper-level 12345 platform.
// It is the small interface the deptapi and open311 plugins share; it
// registers nothing itself.
package apikey

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Kinds of key.
const (
	Department    = "department"     // a department's own system, X-Api-Key on /api/dept/v1
	Open311       = "open311"        // an Open311 client, api_key parameter
	UpperPlatform = "upper_platform" // the upper-level 12345 platform, Open311 with external_id
)

// Kinds lists every kind with its Chinese label.
var Kinds = map[string]string{
	Department:    "部门业务系统",
	Open311:       "Open311 客户端",
	UpperPlatform: "上级 12345 平台",
}

// secretPrefix makes a leaked key recognisable to secret scanners.
const secretPrefix = "syk_"

// prefixLen is how much of the key is stored in clear, to tell keys apart.
const prefixLen = 8

// ErrInvalid is a missing, unknown or revoked key.
var ErrInvalid = errors.New("apikey: invalid or revoked key")

// ErrWrongKind is a valid key used where another kind is needed.
var ErrWrongKind = errors.New("apikey: key of another kind")

// Hash is how keys are stored: the hex SHA-256 digest.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Generate answers a new random key (36 random characters after "syk_",
// about 214 bits).
func Generate() string {
	return secretPrefix + security.RandomString(36)
}

// SetSecret stores a new secret on the key record (create and rotate): its
// digest and its first characters. The secret itself is never stored.
func SetSecret(key *core.Record, secret string) {
	key.Set("key_hash", Hash(secret))
	key.Set("key_prefix", secret[:prefixLen])
}

// Check answers the active key record for secret when its kind is one of
// kinds. The lookup goes by the digest (indexed), so the time it takes says
// nothing about the secret; the digests are compared again in constant time.
func Check(app core.App, secret string, kinds ...string) (*core.Record, error) {
	secret = strings.TrimSpace(secret)
	if secret == "" || len(secret) > 200 {
		return nil, ErrInvalid
	}
	digest := Hash(secret)
	key, err := app.FindFirstRecordByData("api_keys", "key_hash", digest)
	if err != nil || key == nil {
		return nil, ErrInvalid
	}
	if subtle.ConstantTimeCompare([]byte(key.GetString("key_hash")), []byte(digest)) != 1 || !key.GetBool("active") {
		return nil, ErrInvalid
	}
	if len(kinds) > 0 {
		ok := false
		for _, k := range kinds {
			ok = ok || key.GetString("kind") == k
		}
		if !ok {
			return key, ErrWrongKind
		}
	}
	touch(app, key)
	return key, nil
}

// touch records last_used_at at most once a minute, with a plain UPDATE so
// that a polling system does not fire record hooks and realtime events.
func touch(app core.App, key *core.Record) {
	now := time.Now().UTC()
	if last := key.GetDateTime("last_used_at"); !last.IsZero() && now.Sub(last.Time()) < time.Minute {
		return
	}
	dt, _ := types.ParseDateTime(now)
	_, _ = app.NonconcurrentDB().NewQuery("UPDATE api_keys SET last_used_at = {:t} WHERE id = {:id}").
		Bind(dbx.Params{"t": dt.String(), "id": key.Id}).Execute()
}
