package optime

import "testing"

func TestSecondField(t *testing.T) {
	for line, want := range map[string]int64{"4536379 7876932 3\n": 7876932, "1 0 0": 0, "garbage": 0} {
		if got := secondField([]byte(line)); got != want {
			t.Errorf("%q: %d, want %d", line, got, want)
		}
	}
}
