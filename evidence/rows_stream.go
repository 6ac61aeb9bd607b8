package evidence

import (
	"bufio"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// WriteRows is `jcconnect devices --csv/--json`: one row per device (or per user, with users)
// in DeviceColumns (UserColumns) order, each written as soon as it is evaluated. It gives the
// rows of Evaluate's report without holding the report: at 50,000 devices the results and their
// evidence are about as large as the snapshot itself.
func WriteRows(w io.Writer, s *Snapshot, t Thresholds, users, jsonLines bool) error {
	if s.recordsDropped {
		return ErrRecordsDropped
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	header := DeviceColumns()
	if users {
		header = UserColumns(UserChecks)
	}
	out, err := NewRowWriter(bw, header, jsonLines)
	if err != nil {
		return err
	}
	switch {
	case users && s.Integrations.SSO:
		for i := range s.Users {
			if err := out.Write(UserRow(userReport(s, i))); err != nil {
				return err
			}
		}
	case !users && s.Integrations.Endpoint:
		t = t.withDefaults()
		ix := newIndex(s, t)
		if err := rowsInOrder(len(s.Devices), func(i int) []string { return deviceRow(s, ix, t, i) }, out.Write); err != nil {
			return err
		}
	}
	if err := out.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// deviceRow is DeviceRow(deviceReport(s, ix, t, i)) with the report's results and evidence in
// a scratch array for the time it takes to make the row (scratchDeviceReport): the row
// holds none of them.
func deviceRow(s *Snapshot, ix *index, t Thresholds, i int) []string {
	e := newDeviceEvidence()
	defer e.done()
	return DeviceRow(scratchDeviceReport(s, ix, t, &s.Devices[i], ix.statuses.of(i), e))
}

// inBlocks calls f(i) for i in 0..n-1 on every core, a block of rowBlock at a time, and returns
// when all are done. f must be safe to call concurrently for different i.
func inBlocks(n int, f func(i int)) {
	blocks := (n + rowBlock - 1) / rowBlock
	workers := min(runtime.GOMAXPROCS(0), blocks)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			for b := int(next.Add(1) - 1); b < blocks; b = int(next.Add(1) - 1) {
				for i := b * rowBlock; i < min((b+1)*rowBlock, n); i++ {
					f(i)
				}
			}
		})
	}
	wg.Wait()
}

// rowBlock is how many rows one worker of rowsInOrder evaluates at a time.
const rowBlock = 256

// rowsInOrder evaluates the rows 0..n-1 on every core, a block at a time, and writes them in
// order: the checks of 10,000 devices are about a third of a CPU-second that `devices --json`
// otherwise spends on one core after the collection. At most two blocks per worker are held
// ahead of the writer, so the output still streams in constant memory.
func rowsInOrder(n int, row func(i int) []string, write func([]string) error) error {
	blocks := (n + rowBlock - 1) / rowBlock
	workers := min(runtime.GOMAXPROCS(0), blocks)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			if err := write(row(i)); err != nil {
				return err
			}
		}
		return nil
	}
	done := make([]chan [][]string, blocks) // each block's rows, in its own slot
	for b := range done {
		done[b] = make(chan [][]string, 1)
	}
	next := make(chan int)
	ahead := make(chan struct{}, 2*workers) // blocks handed out and not yet written
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(next)
		for b := 0; b < blocks; b++ {
			select {
			case ahead <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- b:
			case <-stop:
				return
			}
		}
	}()
	for w := 0; w < workers; w++ {
		go func() {
			for b := range next {
				rows := make([][]string, 0, rowBlock)
				for i := b * rowBlock; i < min((b+1)*rowBlock, n); i++ {
					rows = append(rows, row(i))
				}
				done[b] <- rows // buffered: never waits, even when the writer gave up
			}
		}()
	}
	for b := 0; b < blocks; b++ {
		for _, r := range <-done[b] {
			if err := write(r); err != nil {
				return err
			}
		}
		<-ahead
	}
	return nil
}
