package browser

import (
	"bytes"
	"jcconnect/connect"
	"strings"
	"testing"
	"time"

	"jcconnect/jumpcloud"
)

// Without a terminal a long wait is one line on stderr; a wait inside one already told is not
// told again, a longer one is.
func TestWaitNoticeIsOneLinePerLongerWaitWithoutATerminal(t *testing.T) {
	var errb bytes.Buffer
	notice := waitNotice(&connect.Env{Err: &errb})
	now := time.Now()
	reason := "JumpCloud asked to slow down (429)"
	notice(jumpcloud.Wait{Until: now.Add(30 * time.Second), Reason: reason})
	notice(jumpcloud.Wait{Until: now.Add(20 * time.Second), Reason: reason})
	notice(jumpcloud.Wait{Until: now.Add(45 * time.Second), Reason: reason})
	lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], reason+": waiting 30s before going on (until ") ||
		!strings.HasPrefix(lines[1], reason+": waiting 45s") {
		t.Fatalf("stderr:\n%s", errb.String())
	}
}
