// Package password hashes people's passwords (argon2id, in bounded shares of hashing slots) and
// says what is wrong with a new one (length and the list of common passwords).
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// OWASP's argon2id parameters: 19 MiB of memory, 2 iterations, 1 degree of parallelism.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// Hashing is bounded, so a burst cannot exhaust memory (19 MiB each) or the cores, and split in
// two shares of slots, so a flood of one kind cannot starve the other: signing in (Check)
// has slots that hashing a new password (Hash: signup, password change, invite) cannot
// take (what one shared pool did to sign-ins: docs/benchmarks.md, "Measurements behind the code").
var (
	signInSlots      = make(hashShare, 2)
	newPasswordSlots = make(hashShare, 2)
)

// hashShare is a set of hashing slots: a slot is taken by sending and given back by receiving.
type hashShare chan struct{}

var errMalformedHash = errors.New("password: malformed password hash")

// Hash returns the argon2id hash of a new password in PHC string format. It waits for a
// slot of the new-password share, never of sign-in's.
func Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := newPasswordSlots.argonKey(ctx, password, salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemoryKiB, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Check reports whether password matches the PHC-format hash, in constant time: a
// sign-in, or a signed-in user proving they know it. It waits for a slot of the sign-in share.
func Check(ctx context.Context, hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errMalformedHash
	}
	var memory, iterations uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &iterations, &threads); err != nil {
		return false, errMalformedHash
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errMalformedHash
	}
	got, err := signInSlots.argonKey(ctx, password, salt, iterations, memory, threads, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// argonKey derives the key in a slot of share, waiting for one as long as ctx allows.
func (share hashShare) argonKey(ctx context.Context, password string, salt []byte, t, m uint32, p uint8, keyLen uint32) ([]byte, error) {
	select {
	case share <- struct{}{}:
		defer func() { <-share }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return argon2.IDKey([]byte(password), salt, t, m, p, keyLen), nil
}
