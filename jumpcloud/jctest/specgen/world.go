package specgen

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"jcconnect/jumpcloud"
)

// Endpoint is one answer the client decodes, and where in the specs its shape comes from.
type Endpoint struct {
	Path   string // as requested; {id} stands for an id
	From   string // the spec's words for it
	Shape  Shape
	schema func(*Specs) *openapi3.Schema // the whole answer's schema
}

// Shape is how an endpoint's answer is laid out.
type Shape int

const (
	Object  Shape = iota // one JSON object
	Wrapped              // {"totalCount": n, "results": [...]} (v1)
	Bare                 // [...] (v2), x-total-count in a header or not
)

// InsightTables are the System Insights tables the client reads: every table it reads whole,
// and mounts (read for the root file system only). Taken from the client, so a table it starts
// reading is covered at once (and a table the spec lacks fails the generator loudly).
var InsightTables = append(append([]string{}, jumpcloud.InsightTables...), jumpcloud.TableMounts)

// Endpoints lists every answer the client (package jumpcloud) decodes.
func Endpoints() []Endpoint {
	eps := []Endpoint{
		{Path: "/api/organizations", From: "v1 GET /organizations 200", Shape: Wrapped, schema: op("/api/organizations")},
		{Path: "/api/organizations/{id}", From: "v1 GET /organizations/{id} 200", Shape: Object, schema: op("/api/organizations/{id}")},
		{Path: "/api/users/getSelf", From: "undocumented: v1 definition userreturn", Shape: Object, schema: def("v1", "userreturn")},
		{Path: "/api/settings", From: "undocumented: {ORG_ID, ROLE, SETTINGS: v1 definition organizationsettings}", Shape: Object, schema: settingsSchema},
		{Path: "/api/users", From: "undocumented: {totalCount, results: [v1 definition userreturn]}", Shape: Wrapped, schema: adminListSchema},
		{Path: "/api/systems", From: "v1 GET /systems 200", Shape: Wrapped, schema: op("/api/systems")},
		{Path: "/api/systemusers", From: "v1 GET /systemusers 200", Shape: Wrapped, schema: op("/api/systemusers")},
		{Path: "/api/applications", From: "v1 GET /applications 200", Shape: Wrapped, schema: op("/api/applications")},
		{Path: "/api/v2/policies", From: "v2 GET /policies 200", Shape: Bare, schema: op("/api/v2/policies")},
		{Path: "/api/v2/policies/{id}/policystatuses", From: "v2 GET /policies/{policy_id}/policystatuses 200", Shape: Bare,
			schema: op("/api/v2/policies/{policy_id}/policystatuses")},
		{Path: "/api/v2/policies/{id}", From: "v2 GET /policies/{id} 200", Shape: Object, schema: op("/api/v2/policies/{id}")},
		{Path: "/api/v2/policyresults", From: "v2 GET /policyresults 200", Shape: Bare, schema: op("/api/v2/policyresults")},
		{Path: "/api/v2/authn/policies", From: "v2 GET /authn/policies 200", Shape: Bare, schema: op("/api/v2/authn/policies")},
	}
	for _, t := range InsightTables {
		p := "/api/v2/systeminsights/" + t
		eps = append(eps, Endpoint{Path: p, From: "v2 GET /systeminsights/" + t + " 200", Shape: Bare, schema: op(p)})
	}
	return eps
}

// Schema is the schema of the endpoint's whole answer.
func (e Endpoint) Schema(s *Specs) *openapi3.Schema { return e.schema(s) }

// RecordSchema is the schema of one record of a list (the answer's own schema for an object).
func (e Endpoint) RecordSchema(s *Specs) *openapi3.Schema {
	sc := e.schema(s)
	switch e.Shape {
	case Wrapped:
		return sc.Properties["results"].Value.Items.Value
	case Bare:
		return sc.Items.Value
	}
	return sc
}

// op is the 200 answer schema of GET path (an /api or /api/v2 path).
func op(apiPath string) func(*Specs) *openapi3.Schema {
	return func(s *Specs) *openapi3.Schema {
		rel := strings.TrimPrefix(apiPath, "/api")
		if strings.HasPrefix(apiPath, "/api/v2/") {
			rel = strings.TrimPrefix(apiPath, "/api/v2")
		}
		item := s.Doc(apiPath).Paths.Find(rel)
		if item == nil || item.Get == nil {
			panic("specgen: the spec has no GET " + rel)
		}
		resp := item.Get.Responses.Status(200)
		if resp == nil || resp.Value == nil {
			panic("specgen: GET " + rel + " documents no 200 answer")
		}
		for _, mt := range resp.Value.Content {
			if mt.Schema != nil {
				return mt.Schema.Value
			}
		}
		panic("specgen: GET " + rel + " has no answer schema")
	}
}

func def(version, name string) func(*Specs) *openapi3.Schema {
	return func(s *Specs) *openapi3.Schema {
		doc := s.V1
		if version == "v2" {
			doc = s.V2
		}
		ref, ok := doc.Components.Schemas[name]
		if !ok {
			panic("specgen: no definition " + version + " " + name)
		}
		return ref.Value
	}
}

func settingsSchema(s *Specs) *openapi3.Schema {
	str := openapi3.NewStringSchema()
	return openapi3.NewObjectSchema().WithProperties(map[string]*openapi3.Schema{
		"ORG_ID": str, "ROLE": str, "SETTINGS": def("v1", "organizationsettings")(s)})
}

func adminListSchema(s *Specs) *openapi3.Schema {
	return openapi3.NewObjectSchema().WithProperties(map[string]*openapi3.Schema{
		"totalCount": openapi3.NewIntegerSchema(),
		"results":    openapi3.NewArraySchema().WithItems(def("v1", "userreturn")(s))})
}

// World is one seed's answers for every endpoint: what a test serves to the client and counts
// against what the client returns.
type World struct {
	Seed  uint64
	OrgID string
	Gen   *Gen
	// Policies are the ids of the generated policies, each of which has its own statuses.
	Policies []string

	answers map[string]*answer
}

type answer struct {
	shape       Shape
	object      []byte            // Object
	wrapper     map[string]any    // Wrapped: the other members of the list object
	records     []json.RawMessage // Wrapped, Bare
	totalHeader bool              // Bare: send x-total-count
}

// NewWorld generates every endpoint's answer for seed (per policy: its statuses and its details). Lists have 0 to 6 records (one page),
// except devices and users on every 20th seed, which have 101 to 200 (two pages). A
// few things are fixed where the spec is silent on meaning rather than shape: totalCount (body or
// header) is the number of records, a list object always has its results, and policies have
// distinct ids (their statuses are asked for by id).
func NewWorld(s *Specs, seed uint64) *World {
	g := NewGen(seed)
	w := &World{Seed: seed, Gen: g, OrgID: fmt.Sprintf("%024x", seed), answers: map[string]*answer{}}
	perPolicy := func(path string) bool {
		return path == "/api/v2/policies/{id}/policystatuses" || path == "/api/v2/policies/{id}"
	}
	for _, e := range Endpoints() {
		if !perPolicy(e.Path) {
			w.answers[e.Path] = w.generate(e, s)
		}
	}
	for i, rec := range w.answers["/api/v2/policies"].records {
		id := fmt.Sprintf("%016x%08x", seed, i)
		var m map[string]any
		_ = json.Unmarshal(rec, &m)
		m["id"] = id
		w.answers["/api/v2/policies"].records[i], _ = json.Marshal(m)
		w.Policies = append(w.Policies, id)
	}
	for _, e := range Endpoints() {
		for _, id := range w.Policies {
			switch e.Path {
			case "/api/v2/policies/{id}/policystatuses":
				w.answers["/api/v2/policies/"+id+"/policystatuses"] = w.generate(e, s)
			case "/api/v2/policies/{id}":
				a := w.generate(e, s)
				var m map[string]any
				_ = json.Unmarshal(a.object, &m)
				m["id"] = id
				a.object, _ = json.Marshal(m)
				w.answers["/api/v2/policies/"+id] = a
			}
		}
	}
	w.answers["/api/organizations/"+w.OrgID] = w.answers["/api/organizations/{id}"]
	return w
}

func (w *World) generate(e Endpoint, s *Specs) *answer {
	a := &answer{shape: e.Shape}
	if e.Shape == Object {
		a.object, _ = json.Marshal(w.Gen.Object(e.Schema(s)))
		return a
	}
	n := w.Gen.r.IntN(7)
	if w.Seed%20 == 0 && (e.Path == "/api/systems" || e.Path == "/api/systemusers") {
		n = 101 + w.Gen.r.IntN(100) // more than a page: the pager must put them together
	}
	rec := e.RecordSchema(s)
	for range n {
		b, _ := json.Marshal(w.Gen.Object(rec))
		a.records = append(a.records, b)
	}
	if e.Shape == Wrapped {
		a.wrapper = w.Gen.Object(e.Schema(s))
		delete(a.wrapper, "results")
	} else {
		a.totalHeader = w.Gen.chance(0.5)
	}
	return a
}

// Override makes path answer body as it is (a test's hand-made shape), whatever was generated.
func (w *World) Override(path string, body []byte) {
	w.answers[path] = &answer{shape: Object, object: body}
}

// Records is how many records the world holds for a list path ("/api/systems",
// "/api/v2/policies/<id>/policystatuses"), or -1 when it has no such list.
func (w *World) Records(path string) int {
	a, ok := w.answers[path]
	if !ok || a.shape == Object {
		return -1
	}
	return len(a.records)
}

// Body is the answer to path with no paging (the whole list), for validating against the spec.
func (w *World) Body(path string) []byte {
	a, ok := w.answers[path]
	if !ok {
		return nil
	}
	b, _ := a.page(0, len(a.records))
	return b
}

// page renders records [skip, skip+limit).
func (a *answer) page(skip, limit int) ([]byte, int) {
	if a.shape == Object {
		return a.object, -1
	}
	lo := min(skip, len(a.records))
	hi := min(lo+limit, len(a.records))
	recs := a.records[lo:hi]
	if recs == nil {
		recs = []json.RawMessage{}
	}
	if a.shape == Bare {
		b, _ := json.Marshal(recs)
		return b, len(a.records)
	}
	m := make(map[string]any, len(a.wrapper)+2)
	for k, v := range a.wrapper {
		m[k] = v
	}
	m["results"] = recs
	m["totalCount"] = len(a.records)
	b, _ := json.Marshal(m)
	return b, len(a.records)
}

// ServeHTTP answers GETs from the world, honouring limit and skip; anything else is a 404.
func (w *World) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	a, ok := w.answers[r.URL.Path]
	rw.Header().Set("Content-Type", "application/json")
	if !ok || r.Method != http.MethodGet {
		rw.WriteHeader(http.StatusNotFound)
		_, _ = rw.Write([]byte(`{"message":"Not Found","error":"Not Found"}`))
		return
	}
	skip, _ := strconv.Atoi(r.URL.Query().Get("skip"))
	limit, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || limit <= 0 {
		limit = 10
	}
	body, total := a.page(max(skip, 0), limit)
	if a.shape == Bare && a.totalHeader {
		rw.Header().Set("x-total-count", strconv.Itoa(total))
	}
	_, _ = rw.Write(body)
}
