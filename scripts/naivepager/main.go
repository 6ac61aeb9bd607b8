// Command naivepager is the sequential comparator of scripts/perf.sh: it reads what
// `jcconnect devices --json` (or, with -export, `jcconnect evidence export`) reads, with the same
// page sizes, one request after the other (internal/naivepager, the collector the evidence
// benchmarks compare against). The key comes from JUMPCLOUD_API_KEY, never a flag.
//
//	JUMPCLOUD_API_KEY=jca_... go run ./scripts/naivepager -base-url http://127.0.0.1:8106
//
// It prints one line: requests and wall time in milliseconds ("requests=661 wall_ms=14210").
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"jcconnect/evidence"
	"jcconnect/internal/naivepager"
	"jcconnect/jumpcloud"
)

func main() {
	base := flag.String("base-url", "", "the sandbox's URL, e.g. http://127.0.0.1:8106")
	export := flag.Bool("export", false, "read every policy's statuses, as an export does (default: only those the checks need, as devices does)")
	flag.Parse()
	key := os.Getenv("JUMPCLOUD_API_KEY")
	if *base == "" || key == "" {
		fmt.Fprintln(os.Stderr, "naivepager: give -base-url and set JUMPCLOUD_API_KEY (the sandbox prints both)")
		os.Exit(2)
	}
	plan := naivepager.Full()
	plan.Settings = func(p jumpcloud.Policy) bool { return evidence.IsScreenLockTemplate(p.Template) }
	if !*export {
		plan.Statuses = func(p jumpcloud.Policy) bool { return evidence.NeedsPolicyStatuses(p.Template) }
	}
	start := time.Now()
	n, err := naivepager.Collect(context.Background(), *base, key, plan)
	if err != nil {
		fmt.Fprintln(os.Stderr, "naivepager:", err)
		os.Exit(1)
	}
	fmt.Printf("requests=%d wall_ms=%d\n", n, time.Since(start).Milliseconds())
}
