package evidence

import "testing"

// Column names are keys of the JSON rows: a name used twice would silently drop a value (the
// device's OS version once shared its name with the os_version check).
func TestColumnNamesAreUnique(t *testing.T) {
	for name, cols := range map[string][]string{
		"devices": DeviceColumns(), "users": UserColumns(UserChecks), "checks": CheckColumns,
	} {
		seen := map[string]bool{}
		for _, c := range cols {
			if seen[c] {
				t.Errorf("%s columns repeat %q", name, c)
			}
			seen[c] = true
		}
	}
}
