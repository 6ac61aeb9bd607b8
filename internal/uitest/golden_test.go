package uitest

import (
	"reflect"
	"testing"
)

func TestOrphansFindsTextWrappedTwice(t *testing.T) {
	// The 80×24 screen the last session saw: "Read Only" split by a second wrap.
	seen := "  ✓ Role                   role Read\n" +
		"Only\n" +
		"to read evidence, and nothing more\n" +
		"press tab to\n" +
		"insert\n" +
		"them in turn."
	if got, want := Orphans(seen), []int{1, 4}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Orphans = %v, want %v", got, want)
	}
}

func TestOrphansLeavesListsHeadingsAndLastLinesAlone(t *testing.T) {
	fine := "Integrations\n" +
		"  [x] Endpoint Management\n" +
		"Region\n" +
		"  (•) US\n" +
		"A paragraph that ends on one\n" +
		"word.\n" +
		"\n" +
		"│ A box whose text wraps once │\n" +
		"│ fine                        │\n" +
		"│ Done.                       │"
	if got := Orphans(fine); len(got) != 0 {
		t.Fatalf("Orphans = %v, want none", got)
	}
}
