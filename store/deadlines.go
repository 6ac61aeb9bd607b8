package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// go-keyring has no deadline and no cancellation: a Secret Service that waits on an unlock prompt
// or is wedged blocks a call forever. Every call therefore runs in its own goroutine, and the
// caller stops waiting at the deadline with ErrKeyringTimeout.
//
// The goroutine of a timed-out call is abandoned, not stopped (Go cannot stop it, and go-keyring
// offers no way to cancel the D-Bus call). That is acceptable because:
//   - it holds nothing of ours: no lock, and its result goes to a buffered channel, so when the
//     service wakes up the goroutine delivers into the buffer and exits instead of leaking forever;
//   - jcconnect is a short-lived program, so at worst the goroutine lives until exit;
//   - the one dangerous case, a timed-out Set that lands later, is handled by Replace and Key:
//     the metadata records the key being written as pending before the write, so whichever key
//     ends up in the keyring is recognised (see writeKey in save.go).

// Deadlines bounds keyring calls. Reads are short (status and every command read the key);
// writes are longer because the user is watching and may have to answer an unlock prompt.
type Deadlines struct {
	Read  time.Duration // Get
	Write time.Duration // Set, Delete
}

// DefaultDeadlines: 5s for reads, 20s for writes.
func DefaultDeadlines() Deadlines { return Deadlines{Read: 5 * time.Second, Write: 20 * time.Second} }

// EnvKeyringTimeout overrides both deadlines with one Go duration (for example "30s").
const EnvKeyringTimeout = "JCCONNECT_KEYRING_TIMEOUT"

const (
	minKeyringTimeout = 100 * time.Millisecond
	maxKeyringTimeout = 10 * time.Minute
)

// DeadlinesFromEnv returns DefaultDeadlines, or both set to JCCONNECT_KEYRING_TIMEOUT when that is
// set. Nonsense (not a duration, zero, negative, absurdly small or large) is refused with
// ErrBadTimeout rather than silently replaced, so the user learns their setting is ignored.
func DeadlinesFromEnv(getenv func(string) string) (Deadlines, error) {
	d := DefaultDeadlines()
	if getenv == nil {
		return d, nil
	}
	raw := strings.TrimSpace(getenv(EnvKeyringTimeout))
	if raw == "" {
		return d, nil
	}
	v, err := time.ParseDuration(raw)
	if err != nil {
		return d, &StoreError{Kind: kindBadTimeout,
			Detail: fmt.Sprintf("%s=%q is not a duration (write it with a unit, such as 10s or 1m30s)", EnvKeyringTimeout, clip(raw, 40))}
	}
	if v < minKeyringTimeout || v > maxKeyringTimeout {
		return d, &StoreError{Kind: kindBadTimeout,
			Detail: fmt.Sprintf("%s=%s is outside the usable range %s to %s", EnvKeyringTimeout, v, minKeyringTimeout, maxKeyringTimeout)}
	}
	return Deadlines{Read: v, Write: v}, nil
}

// clip shortens an environment value quoted in an error message.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// WithDeadlines wraps a Keyring so every call gives up at its deadline with ErrKeyringTimeout.
// The store additionally stops waiting when the caller's context ends.
func WithDeadlines(k Keyring, d Deadlines) Keyring {
	if d.Read <= 0 || d.Write <= 0 {
		def := DefaultDeadlines()
		if d.Read <= 0 {
			d.Read = def.Read
		}
		if d.Write <= 0 {
			d.Write = def.Write
		}
	}
	return &deadlineKeyring{next: k, d: d, stuck: &stuck{}}
}

type deadlineKeyring struct {
	next  Keyring
	d     Deadlines
	stuck *stuck
}

// stuck remembers a timeout: one command has ONE deadline for all its keyring work. While a call
// that timed out is still waiting for its answer, the keyring is known not to be answering, and
// every later call (the doctor's probes after a failed save, a rollback, a second profile's read)
// fails at once with that outcome instead of waiting a deadline of its own: a wedged Secret
// Service ends any command within one deadline. When the abandoned call does get its answer (the
// service woke up), the keyring is tried again, so a long-lived screen recovers.
type stuck struct {
	mu          sync.Mutex
	err         error // the first timeout among the calls still outstanding
	outstanding int   // timed-out calls still waiting for an answer
}

// call is one keyring call's bookkeeping.
type call struct{ finished, abandoned bool }

// finish is called when the keyring answers a call, in time or not.
func (s *stuck) finish(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.finished = true
	if c.abandoned {
		s.outstanding--
		if s.outstanding == 0 {
			s.err = nil
		}
	}
}

// abandon records that the caller stopped waiting for c with err (a timeout).
func (s *stuck) abandon(c *call, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.finished {
		return
	}
	c.abandoned = true
	s.outstanding++
	if s.err == nil {
		s.err = err
	}
}

func (s *stuck) get() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// notTried is the outcome of a call skipped because the keyring is not answering.
func (s *stuck) notTried(op, user string) error {
	first := s.get()
	if first == nil {
		return nil
	}
	return &KeyringError{Kind: kindTimeout, Op: op, Profile: user,
		Err: fmt.Errorf("not tried: the keyring gave no answer earlier in this command (%w)", errors.Unwrap(first))}
}

func isTimeout(err error) bool {
	var ke *KeyringError
	return errors.As(err, &ke) && ke.Kind == kindTimeout
}

// guarded runs one call under the keyring's deadline unless the keyring is known not to be
// answering, and remembers a timeout for the calls that follow.
func guarded[T any](ctx context.Context, k *deadlineKeyring, limit time.Duration, op, user string, fn func() (T, error)) (T, error) {
	var zero T
	if err := k.stuck.notTried(op, user); err != nil {
		return zero, err
	}
	c := &call{}
	v, err := withDeadline(ctx, limit, op, user, func() (T, error) {
		defer k.stuck.finish(c)
		return fn()
	})
	if isTimeout(err) {
		k.stuck.abandon(c, err)
	}
	return v, err
}

// stuckUntilAnswered records a timeout seen outside the keyring calls (the doctor's own D-Bus
// query), and asks the keyring a harmless question in the background, whose answer ends it.
func (k *deadlineKeyring) stuckUntilAnswered(err error) {
	if k.stuck.get() != nil {
		return
	}
	c := &call{}
	k.stuck.abandon(c, err)
	go func() {
		defer k.stuck.finish(c)
		// Any answer (the probe item is usually absent: not found) means the keyring answers
		// again; what it answered does not matter.
		_, _ = k.next.Get(ProbeService, probeUser)
	}()
}

// deadlineWrapper is the deadline wrapper around k, nil when there is none.
func deadlineWrapper(k Keyring) *deadlineKeyring {
	for {
		if dk, ok := k.(*deadlineKeyring); ok {
			return dk
		}
		u, ok := k.(unwrapper)
		if !ok {
			return nil
		}
		k = u.Unwrap()
	}
}

func (k *deadlineKeyring) Unwrap() Keyring { return k.next }

func (k *deadlineKeyring) Get(service, user string) (string, error) {
	return k.getContext(context.Background(), service, user)
}

func (k *deadlineKeyring) Set(service, user, secret string) error {
	return k.setContext(context.Background(), service, user, secret)
}

func (k *deadlineKeyring) Delete(service, user string) error {
	return k.deleteContext(context.Background(), service, user)
}

func (k *deadlineKeyring) getContext(ctx context.Context, service, user string) (string, error) {
	return guarded(ctx, k, k.d.Read, "get", user, func() (string, error) { return k.next.Get(service, user) })
}

func (k *deadlineKeyring) setContext(ctx context.Context, service, user, secret string) error {
	_, err := guarded(ctx, k, k.d.Write, "set", user, func() (struct{}, error) {
		return struct{}{}, k.next.Set(service, user, secret)
	})
	return err
}

func (k *deadlineKeyring) deleteContext(ctx context.Context, service, user string) error {
	_, err := guarded(ctx, k, k.d.Write, "delete", user, func() (struct{}, error) {
		return struct{}{}, k.next.Delete(service, user)
	})
	return err
}

// withDeadline runs fn in its own goroutine and returns its result, or a timeout at limit (0 = no
// limit of its own), or when ctx ends, whichever comes first. See the comment at the top of the
// file for why abandoning the goroutine is acceptable.
func withDeadline[T any](ctx context.Context, limit time.Duration, op, user string, fn func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, contextOutcome(ctx, op, user)
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned call still delivers and its goroutine exits
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	var expired <-chan time.Time
	if limit > 0 {
		t := time.NewTimer(limit)
		defer t.Stop()
		expired = t.C
	}
	select {
	case r := <-done:
		return r.v, classify(op, user, r.err)
	case <-expired:
		return zero, &KeyringError{Kind: kindTimeout, Op: op, Profile: user,
			Err: fmt.Errorf("no answer within %s", limit)}
	case <-ctx.Done():
		return zero, contextOutcome(ctx, op, user)
	}
}

// contextOutcome: a context deadline is a keyring timeout like any other; a cancellation is the
// caller's own decision and is returned as context.Canceled.
func contextOutcome(ctx context.Context, op, user string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &KeyringError{Kind: kindTimeout, Op: op, Profile: user, Err: ctx.Err()}
	}
	return fmt.Errorf("keyring %s: %w", op, ctx.Err())
}

// The store's own calls go through these, so that the caller's context is honoured even for a
// Keyring that was not wrapped with WithDeadlines (a test fake, or a custom Options.Keyring), and
// every error is classified.
type contextKeyring interface {
	getContext(ctx context.Context, service, user string) (string, error)
	setContext(ctx context.Context, service, user, secret string) error
	deleteContext(ctx context.Context, service, user string) error
}

func kget(ctx context.Context, k Keyring, service, user string) (string, error) {
	if c, ok := k.(contextKeyring); ok {
		return c.getContext(ctx, service, user)
	}
	return withDeadline(ctx, 0, "get", user, func() (string, error) { return k.Get(service, user) })
}

func kset(ctx context.Context, k Keyring, service, user, secret string) error {
	if c, ok := k.(contextKeyring); ok {
		return c.setContext(ctx, service, user, secret)
	}
	_, err := withDeadline(ctx, 0, "set", user, func() (struct{}, error) { return struct{}{}, k.Set(service, user, secret) })
	return err
}

func kdelete(ctx context.Context, k Keyring, service, user string) error {
	if c, ok := k.(contextKeyring); ok {
		return c.deleteContext(ctx, service, user)
	}
	_, err := withDeadline(ctx, 0, "delete", user, func() (struct{}, error) { return struct{}{}, k.Delete(service, user) })
	return err
}
