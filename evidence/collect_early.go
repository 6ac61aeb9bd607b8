package evidence

import (
	"context"
	"maps"

	"jcconnect/jumpcloud"
)

// The early snapshot (CollectOptions.Early): what a collection has read once every source but
// those read in the background is in, for a face to draw while the rest comes.

// handEarly starts waiting for the early snapshot when CollectOptions.Early asks for one. The
// returned function waits until it has been handed over (or will not be) and says whether it
// was. Call it after every source has started: the early group only shrinks from then on.
func (c *collector) handEarly(ctx context.Context) (wait func() (handed bool)) {
	if !c.drawsEarly() {
		close(c.earlyOver)
		return func() bool { return false }
	}
	done := make(chan struct{})
	var handed bool
	go func() {
		defer close(done)
		defer close(c.earlyOver)
		c.early.Wait()
		c.mu.Lock()
		stopped := c.fatal != nil
		c.mu.Unlock()
		if stopped || ctx.Err() != nil {
			return
		}
		e := c.earlySnapshot()
		if e == nil {
			return // nothing left in the background: the whole snapshot comes at once
		}
		// Sorting and compacting e sorts and compacts the lists it shares with c.snap: their
		// sources have finished, so nothing else touches them, and the final snapshot only
		// sorts and compacts what the background adds (finishBackground).
		e.normalize()
		compact(e)
		handed = true
		c.opt.Early(e)
	}()
	return func() bool {
		<-done
		return handed
	}
}

// earlySnapshot is what has been read so far, as a Snapshot of its own: it shares the lists of
// the sources that have finished (written no more), has its own source statuses with each
// source still read in the background marked StateReading, and none of what the background
// writes. nil when no background source is still reading.
func (c *collector) earlySnapshot() *Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	var reading []SourceStatus
	for src := range c.background {
		if c.snap.Status(src).State == "" {
			reading = append(reading, SourceStatus{Source: src, State: StateReading})
		}
	}
	if len(reading) == 0 {
		return nil
	}
	e := *c.snap
	e.Sources = append(append([]SourceStatus(nil), c.snap.Sources...), reading...)
	e.Insights = maps.Clone(c.snap.Insights)
	e.PolicyStatuses, e.statusRefs, e.statuses = nil, nil, nil
	return &e
}

// drawsEarly says whether this collection hands over an early snapshot (CollectOptions.Early):
// an export's collection (spooled) never does, its snapshot must be whole.
func (c *collector) drawsEarly() bool {
	return c.opt.Early != nil && c.spool == nil
}

// runAfterTable reads a source the device table does not need (the users, administrators, SSO
// applications, conditional access): when an early snapshot is drawn with the devices, it is
// marked StateReading there and read after it, at background priority, as the policies'
// statuses are; the device table waits only for what its cells show. Otherwise it is read
// with everything else.
func (c *collector) runAfterTable(ctx context.Context, src jumpcloud.Source, read func(ctx context.Context)) {
	if !c.drawsEarly() || !c.opt.Integrations.Endpoint || c.opt.EarlyUsers {
		c.run(func() { read(ctx) })
		return
	}
	c.mu.Lock()
	c.background[string(src)] = true
	c.mu.Unlock()
	c.wg.Go(func() {
		c.waitEarlyOver(ctx)
		read(jumpcloud.Background(ctx))
	})
}

// waitEarlyOver holds the background sources until the early snapshot has been handed over and
// drawn (or will not be): on a machine whose cores are busy, decoding hundreds of status pages
// meanwhile would delay the first table by as much. Without CollectOptions.Early it returns at
// once, so a collection nobody draws early overlaps everything.
func (c *collector) waitEarlyOver(ctx context.Context) {
	select {
	case <-c.earlyOver:
	case <-ctx.Done():
	}
}

// setPolicyStatuses records the statuses read in the background; guarded, as an early snapshot
// may be copying the Snapshot meanwhile.
func (c *collector) setPolicyStatuses(all []jumpcloud.PolicyResult, refs []policyStatuses) {
	c.mu.Lock()
	c.snap.PolicyStatuses, c.snap.statusRefs = all, refs
	c.mu.Unlock()
}

// finishBackground sorts and compacts what the background sources added to a snapshot whose
// other parts were sorted and compacted for its early snapshot (and are being drawn from now:
// they must not be written again).
func (s *Snapshot) finishBackground() {
	s.sortPeople()
	s.sortPolicyStatuses()
	s.sortSources()
	s.statuses, s.statusRefs = s.statusTable(), nil        // as compact makes it
	deviceIDInterner(s.Devices).statuses(s.PolicyStatuses) // the devices' ids, read only
}

// StillReading says whether source is still being read (StateReading): an early snapshot's
// background source.
func (s *Snapshot) StillReading(source string) bool { return s.Status(source).State == StateReading }

// Reading lists the sources an early snapshot is still reading ("" state: none).
func (s *Snapshot) Reading() []string {
	var out []string
	for _, st := range s.Sources {
		if st.State == StateReading {
			out = append(out, st.Source)
		}
	}
	return out
}

// ReadingStopped is an early snapshot whose collection stopped before its background sources
// were in (why: the error): a copy with each of them marked failed for that reason, so a face
// that keeps showing it shows them unread, not still coming.
func (s *Snapshot) ReadingStopped(why string) *Snapshot {
	c := *s
	c.Sources = append([]SourceStatus(nil), s.Sources...)
	for i := range c.Sources {
		if c.Sources[i].State == StateReading {
			c.Sources[i].State = StateFailed
			c.Sources[i].Reason = "the collection stopped before it was read: " + why
		}
	}
	return &c
}
