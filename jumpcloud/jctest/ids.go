package jctest

import "fmt"

// Object ids look like JumpCloud's (24 lower-case hex digits, MongoDB ObjectId style) and are
// derived, not stored: kind, organisation, a salt from the seed and a sequence number. Ids of
// one kind sort in the order the objects were generated, so sort=_id is the storage order and
// paging needs no sorting.
const (
	kindOrg            = 0x5f
	kindSystem         = 0x64
	kindUser           = 0x65
	kindPolicy         = 0x66
	kindResult         = 0x67
	kindApp            = 0x68
	kindAdmin          = 0x69
	kindAuthn          = 0x6a
	kindTemplate       = 0x6b
	kindProvider       = 0x6c
	kindSystemGroup    = 0x6e
	kindServiceAccount = 0x6d
)

func objectID(kind byte, org int, salt uint16, n int) string {
	return fmt.Sprintf("%02x%02x%04x%016x", kind, org, salt, n)
}

// isObjectID reports whether s is 24 hex digits, the only form JumpCloud accepts for ids
// (a malformed x-org-id is a 400 per the spec's "Multi-Tenant Portal Headers" section).
func isObjectID(s string) bool {
	if len(s) != 24 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// mix is splitmix64: a cheap, well-spread hash used for per-(policy, device) decisions so they
// need no random stream (and stay the same whatever else is generated).
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// timeFormat is how JumpCloud writes timestamps (millisecond precision, Z).
const timeFormat = "2006-01-02T15:04:05.000Z"
