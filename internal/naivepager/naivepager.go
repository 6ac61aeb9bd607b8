// Package naivepager is the collector one writes first: the same JumpCloud endpoints and page
// sizes as jcconnect's client, one request after the other, each page read whole and decoded
// into raw records. It is the comparator of the performance figures ("at least 5× faster than a
// sequential pager in the same run"): the collection benchmarks in evidence run it interleaved
// with the client, and scripts/perf.sh runs it (scripts/naivepager) against the sandbox right
// after the built binary. It is not used by jcconnect itself.
package naivepager

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"jcconnect/jumpcloud"
)

// Plan is what to read. Each list is paged with limit 100 (v1 and v2 alike), each System
// Insights table with limit 10,000, as the client does.
type Plan struct {
	Lists    []string // e.g. /api/systems
	Optional []string // lists a Read Only key may be refused (403, 404): a refusal is not an error
	Insights []string // System Insights tables, read whole
	// RootMounts reads the mounts table with filter=path:eq:/ (the client's RootMounts).
	RootMounts bool
	// Policies lists /api/v2/policies, then reads GET /api/v2/policies/{id} for each policy
	// Settings accepts and every page of statuses for each policy Statuses accepts (nil: every
	// policy; Settings nil: none).
	Policies bool
	Settings func(jumpcloud.Policy) bool
	Statuses func(jumpcloud.Policy) bool
}

// Full is the whole collection of an export (evidence.Collect with every source), less the
// calls that verify the key.
func Full() Plan {
	return Plan{
		Lists:    []string{"/api/systems", "/api/systemusers", "/api/applications", "/api/v2/authn/policies"},
		Optional: []string{"/api/users"},
		Insights: jumpcloud.InsightTables, RootMounts: true, Policies: true,
	}
}

// Pager makes the requests, one at a time, and counts them.
type Pager struct {
	BaseURL, APIKey string
	Client          *http.Client // nil: http.DefaultClient
	Requests        int
}

// errRefused is an optional list the key may not read.
type errRefused struct {
	path   string
	status int
}

func (e errRefused) Error() string { return fmt.Sprintf("%s: HTTP %d", e.path, e.status) }

// fetch makes one request and returns the body of a 200 answer.
func (p *Pager) fetch(ctx context.Context, pathAndQuery string) ([]byte, error) {
	p.Requests++
	req, err := http.NewRequestWithContext(ctx, "GET", p.BaseURL+pathAndQuery, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("x-api-key", p.APIKey)
	req.Header.Set("Accept", "application/json")
	c := p.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, errRefused{pathAndQuery, resp.StatusCode}
	}
	return body, nil
}

// page reads one page; records are a v1 {"results": [...]} or a v2 bare array.
func (p *Pager) page(ctx context.Context, path string, q url.Values) ([]json.RawMessage, error) {
	body, err := p.fetch(ctx, path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	if len(body) > 0 && body[0] == '{' {
		var v1 struct {
			Results []json.RawMessage `json:"results"`
		}
		err = json.Unmarshal(body, &v1)
		return v1.Results, err
	}
	var list []json.RawMessage
	err = json.Unmarshal(body, &list)
	return list, err
}

// All reads every page of path, limit records at a time, until a short page.
func (p *Pager) All(ctx context.Context, path string, limit int, q url.Values) ([]json.RawMessage, error) {
	var out []json.RawMessage
	for {
		page := url.Values{"limit": {strconv.Itoa(limit)}, "skip": {strconv.Itoa(len(out))}}
		for k, v := range q {
			page[k] = v
		}
		recs, err := p.page(ctx, path, page)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
		if len(recs) < limit {
			return out, nil
		}
	}
}

// Collect reads plan, one request after the other, and returns the number of requests made.
func Collect(ctx context.Context, base, key string, plan Plan) (int, error) {
	p := &Pager{BaseURL: base, APIKey: key}
	err := p.Collect(ctx, plan)
	return p.Requests, err
}

// Collect reads plan with p.
func (p *Pager) Collect(ctx context.Context, plan Plan) error {
	for _, path := range plan.Lists {
		if _, err := p.All(ctx, path, 100, nil); err != nil {
			return err
		}
	}
	for _, path := range plan.Optional {
		if _, err := p.All(ctx, path, 100, nil); err != nil {
			if _, refused := err.(errRefused); !refused {
				return err
			}
		}
	}
	for _, t := range plan.Insights {
		if _, err := p.All(ctx, "/api/v2/systeminsights/"+t, jumpcloud.MaxInsightsPageSize, nil); err != nil {
			return err
		}
	}
	if plan.RootMounts {
		q := url.Values{"filter": {"path:eq:/"}}
		if _, err := p.All(ctx, "/api/v2/systeminsights/"+jumpcloud.TableMounts, jumpcloud.MaxInsightsPageSize, q); err != nil {
			return err
		}
	}
	if !plan.Policies {
		return nil
	}
	raws, err := p.All(ctx, "/api/v2/policies", 100, nil)
	if err != nil {
		return err
	}
	for _, raw := range raws {
		var pol jumpcloud.Policy
		if err := json.Unmarshal(raw, &pol); err != nil {
			return fmt.Errorf("a policy: %v", err)
		}
		if plan.Settings != nil && plan.Settings(pol) {
			if _, err := p.fetch(ctx, "/api/v2/policies/"+pol.ID); err != nil {
				return err
			}
		}
		if plan.Statuses == nil || plan.Statuses(pol) {
			if _, err := p.All(ctx, "/api/v2/policies/"+pol.ID+"/policystatuses", 100, nil); err != nil {
				return err
			}
		}
	}
	return nil
}
