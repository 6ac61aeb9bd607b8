package specgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Gen makes random values a schema allows, from one seed (the same seed gives the same values).
// It goes for the corners a hand-written fixture forgets: every property may be missing (the
// specs mark nothing required), nullable values are sometimes null, strings with a format are
// sometimes "" (the live API sends "" for unset dates), plain strings are anything (a `created`
// typed string need not be a date), integers reach their bounds, enums take every value, and
// objects carry unknown extra members.
type Gen struct {
	r *rand.Rand
	// Extras counts the unknown members added, Nulls the nulls, Empty the "" for formatted
	// strings, Missing the properties left out: a test can show the corners were visited.
	Extras, Nulls, Empty, Missing int
}

// NewGen returns a generator for seed.
func NewGen(seed uint64) *Gen {
	return &Gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// maxDepth bounds nesting (the specs' objects nest a few levels; some refer to themselves).
const maxDepth = 8

// Value returns a random value for s.
func (g *Gen) Value(s *openapi3.Schema) any { return g.value(s, 0) }

// Object returns a random object for s (an empty one when the schema gives something else): the
// shape of a record, which must be an object to be one.
func (g *Gen) Object(s *openapi3.Schema) map[string]any {
	m, _ := g.value(s, 0).(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

func (g *Gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *Gen) value(s *openapi3.Schema, depth int) any {
	if s == nil {
		return g.anyValue(depth, false)
	}
	if s.Nullable && g.chance(0.15) {
		g.Nulls++
		return nil
	}
	if len(s.Enum) > 0 {
		return s.Enum[g.r.IntN(len(s.Enum))]
	}
	if len(s.AllOf) > 0 {
		return g.allOf(s, depth)
	}
	if alts := append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...); len(alts) > 0 {
		return g.value(alts[g.r.IntN(len(alts))].Value, depth)
	}
	switch {
	case s.Type.Is("string"):
		return g.str(s)
	case s.Type.Is("integer"):
		return g.integer(s)
	case s.Type.Is("number"):
		return g.number(s)
	case s.Type.Is("boolean"):
		return g.chance(0.5)
	case s.Type.Is("array"):
		return g.array(s, depth)
	case s.Type.Is("object") || len(s.Properties) > 0:
		return g.object(s, depth)
	}
	return g.anyValue(depth, s.Nullable) // untyped: anything but null (OpenAPI 3.0), unless nullable
}

func (g *Gen) allOf(s *openapi3.Schema, depth int) any {
	merged := map[string]any{}
	for _, part := range s.AllOf {
		if m, ok := g.value(part.Value, depth).(map[string]any); ok {
			for k, v := range m {
				merged[k] = v
			}
		}
	}
	if len(s.Properties) > 0 {
		for k, v := range g.object(s, depth).(map[string]any) {
			merged[k] = v
		}
	}
	return merged
}

func (g *Gen) object(s *openapi3.Schema, depth int) any {
	m := map[string]any{}
	if depth >= maxDepth {
		return m
	}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names) // map order must not decide what a seed gives
	for _, n := range names {
		if !required[n] && g.chance(0.2) {
			g.Missing++
			continue
		}
		m[n] = g.value(s.Properties[n].Value, depth+1)
	}
	closed := s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has
	if ap := s.AdditionalProperties.Schema; ap != nil {
		for i := range g.r.IntN(3) {
			m[fmt.Sprintf("key%d", i)] = g.value(ap.Value, depth+1)
		}
	} else if !closed && g.chance(0.3) {
		// Members the spec does not name: allowed (additionalProperties is not false), and
		// what an API adds first when it grows.
		for i := range 1 + g.r.IntN(2) {
			g.Extras++
			m[fmt.Sprintf("zzUnknown%d", i)] = g.anyValue(depth+1, true)
		}
	}
	return m
}

func (g *Gen) array(s *openapi3.Schema, depth int) any {
	if depth >= maxDepth {
		return []any{}
	}
	n := g.r.IntN(4)
	if s.MaxItems != nil && uint64(n) > *s.MaxItems {
		n = int(*s.MaxItems)
	}
	n = max(n, int(s.MinItems))
	out := make([]any, n)
	var items *openapi3.Schema
	if s.Items != nil {
		items = s.Items.Value
	}
	for i := range out {
		out[i] = g.value(items, depth+1)
	}
	return out
}

// plainStrings are what a string without a format may be: anything, including what looks like
// a date, a number or a boolean, and text a terminal must not interpret.
var plainStrings = []string{"", "a", "Read Only", "MacBook-Pro.local", "ünïcødé ✓ 日本", "2026-08-01T10:00:00Z",
	"2026-08-01", "1690000000", "yesterday", "null", "0", "true", " padded ", "with\nnewline",
	"esc\x1b[31mred", "64aa00000000000000000001", "Windows 11 Pro", "darwin", "linux", "windows"}

func (g *Gen) str(s *openapi3.Schema) string {
	var v string
	switch s.Format {
	case "":
		v = plainStrings[g.r.IntN(len(plainStrings))]
		if g.chance(0.1) {
			v = strings.Repeat("x", 1+g.r.IntN(300))
		}
	case "date-time":
		if g.chance(0.2) {
			g.Empty++
			return ""
		}
		v = g.dateTime()
	case "date":
		if g.chance(0.2) {
			g.Empty++
			return ""
		}
		v = g.dateTime()[:10]
	default:
		if g.chance(0.2) {
			g.Empty++
			return ""
		}
		v = map[string]string{"email": "someone@example.com", "uri": "https://example.com/x",
			"url": "https://example.com/x", "uuid": "8c6ef9a0-2f6b-4c57-9a3b-1f0e6d8b2a11",
			"ipv4": "192.0.2.1", "password": "not-a-secret"}[s.Format]
	}
	if s.MaxLength != nil && uint64(len(v)) > *s.MaxLength {
		v = v[:*s.MaxLength]
	}
	for uint64(len(v)) < s.MinLength {
		v += "x"
	}
	return v
}

// dateTime is an RFC 3339 date-time in one of the spellings the format allows.
func (g *Gen) dateTime() string {
	t := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(g.r.Int64N(int64(12 * 365 * 24 * time.Hour))))
	switch g.r.IntN(4) {
	case 0:
		return t.Format("2006-01-02T15:04:05Z")
	case 1:
		return t.Format("2006-01-02T15:04:05.000Z")
	case 2:
		return t.In(time.FixedZone("", 2*3600)).Format(time.RFC3339)
	}
	return t.In(time.FixedZone("", -(5*3600 + 1800))).Format(time.RFC3339Nano)
}

func (g *Gen) integer(s *openapi3.Schema) any {
	lo, hi := float64(-1<<40), float64(1<<40)
	if s.Format == "int32" {
		lo, hi = math.MinInt32, math.MaxInt32
	}
	if s.Min != nil {
		lo = math.Max(lo, *s.Min)
	}
	if s.Max != nil {
		hi = math.Min(hi, *s.Max)
	}
	candidates := []float64{lo, hi, 0, 1, -1, 8}
	for {
		v := candidates[g.r.IntN(len(candidates))]
		if g.chance(0.4) {
			v = lo + math.Floor(g.r.Float64()*(hi-lo+1))
		}
		if v >= lo && v <= hi {
			return int64(v)
		}
	}
}

func (g *Gen) number(s *openapi3.Schema) any {
	v := []float64{0, 1, -1, 0.5, 1e10, -2.25}[g.r.IntN(6)]
	if s.Min != nil && v < *s.Min {
		v = *s.Min
	}
	if s.Max != nil && v > *s.Max {
		v = *s.Max
	}
	return v
}

// anyValue is any JSON value: what an untyped schema or an unknown member may hold.
func (g *Gen) anyValue(depth int, null bool) any {
	switch k := g.r.IntN(7); {
	case k == 0 && null:
		return nil
	case k == 1:
		return g.chance(0.5)
	case k == 2:
		return int64(g.r.IntN(1000))
	case k == 3:
		return 2.5
	case k == 4 && depth < maxDepth:
		return map[string]any{"nested": g.anyValue(depth+1, true)}
	case k == 5 && depth < maxDepth:
		return []any{g.anyValue(depth+1, false)}
	}
	return plainStrings[g.r.IntN(len(plainStrings))]
}
