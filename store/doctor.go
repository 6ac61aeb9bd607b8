package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
)

// Check is one step of the keyring doctor.
type Check struct {
	Name   string // "session bus", "secret service", "unlocked", "round trip"
	OK     bool
	Err    error
	Fix    string
	Detail string // what was found, worth showing even when OK ("gnome-keyring-daemon, pid 812")
}

// Diagnose runs the keyring doctor: session bus, Secret Service, unlock state, and a probe item's
// set/get/delete round trip under a separate service name (ProbeService, never a real key). On
// macOS and Windows the D-Bus checks do not apply and a single platform check says what does.
// k is the keyring to probe (Store.Keyring(); nil = the OS keyring with default deadlines). With
// the demo's Memory keyring only the round trip runs.
func Diagnose(ctx context.Context, k Keyring) []Check {
	if k == nil {
		k = WithDeadlines(OSKeyring(), DefaultDeadlines())
	}
	var checks []Check
	if _, ok := backend(k).(*Memory); ok {
		checks = append(checks, Check{Name: "keyring", OK: true,
			Detail: "the demo keeps keys in memory; the OS keyring is not used"})
	} else {
		// A keyring that already timed out in this command is not asked again: the checks
		// that need its answer take their verdict from that timeout (the bus itself still
		// answers), so the doctor after a failed save adds no deadline of its own.
		var earlier error
		dk := deadlineWrapper(k)
		if dk != nil {
			earlier = dk.stuck.get()
		}
		checks = append(checks, platformChecks(ctx, deadlinesOf(k).Read, earlier)...)
		for _, c := range checks {
			if dk != nil && isTimeout(c.Err) {
				dk.stuckUntilAnswered(c.Err) // the round trip below then fails at once
			}
		}
	}
	return append(checks, roundTrip(ctx, k))
}

// probeUser is the round trip's item, one per process: two doctors (or two test binaries probing
// the same Secret Service at once) must not overwrite each other's probe and report a
// read-back mismatch that is not the keyring's fault.
var probeUser = fmt.Sprintf("probe-%d", os.Getpid())

// roundTrip writes a random probe value, reads it back, compares and deletes it.
func roundTrip(ctx context.Context, k Keyring) Check {
	c := Check{Name: "round trip"}
	buf := make([]byte, 12)
	rand.Read(buf)
	value := "probe-" + hex.EncodeToString(buf)
	fail := func(err error) Check {
		c.Err, c.Fix = err, Fix(err)
		return c
	}
	if err := kset(ctx, k, ProbeService, probeUser, value); err != nil {
		return fail(err)
	}
	got, err := kget(ctx, k, ProbeService, probeUser)
	if err == nil && got != value {
		err = &KeyringError{Kind: kindReadBack, Op: "get", Profile: probeUser}
	}
	if err != nil {
		// Say so when the probe item could not be cleaned up either: it stays in the keyring.
		if derr := kdelete(ctx, k, ProbeService, probeUser); derr != nil && !errors.Is(derr, ErrKeyNotFound) {
			err = errors.Join(err, derr)
		}
		return fail(err)
	}
	if err := kdelete(ctx, k, ProbeService, probeUser); err != nil && !errors.Is(err, ErrKeyNotFound) {
		return fail(err)
	}
	c.OK = true
	c.Detail = "wrote, read back and deleted a probe item under service " + ProbeService
	return c
}

// notChecked fills the checks that depend on one that failed.
func notChecked(name, because string, cause error) Check {
	return Check{Name: name, Err: errors.New("not checked: " + because), Fix: Fix(cause)}
}

// deadlinesOf: the doctor's own D-Bus queries use the deadlines of the keyring it probes, so it
// gives up as fast as the store would; else those of the environment.
func deadlinesOf(k Keyring) Deadlines {
	if dk := deadlineWrapper(k); dk != nil {
		return dk.d
	}
	d, _ := DeadlinesFromEnv(os.Getenv) // nonsense is reported by Open; the doctor still runs
	return d
}
