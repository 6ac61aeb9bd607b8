package jumpcloud

import "encoding/json"

// memberScanner walks the members of one JSON object that encoding/json has already checked
// (a record a json.Decoder read whole), handing out each key and value as a slice of the
// record: no map, no copy per member. A System Insights row is read this way, its values
// looked up in the table's pools, so a decoded row allocates nothing unless a value is new.
type memberScanner struct {
	b []byte
	i int
}

func newMemberScanner(obj []byte) memberScanner {
	s := memberScanner{b: obj}
	s.skipSpace()
	if s.i < len(s.b) && s.b[s.i] == '{' {
		s.i++
	} else {
		s.i = len(s.b)
	}
	return s
}

// next returns the next member: its key as written (with quotes) and its value (no surrounding
// space). ok is false after the last one.
func (s *memberScanner) next() (key, val []byte, ok bool) {
	s.skipSpace()
	if s.i < len(s.b) && s.b[s.i] == ',' {
		s.i++
		s.skipSpace()
	}
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, nil, false
	}
	start := s.i
	s.i = stringEnd(s.b, s.i)
	key = s.b[start:s.i]
	s.skipSpace()
	if s.i < len(s.b) && s.b[s.i] == ':' {
		s.i++
	}
	s.skipSpace()
	start = s.i
	s.i = valueEnd(s.b, s.i)
	return key, s.b[start:s.i], start < s.i
}

func (s *memberScanner) skipSpace() { s.i = skipSpace(s.b, s.i) }

// stringEnd is the index just past the string literal that starts at b[i] ('"').
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd is the index just past the value that starts at b[i].
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = stringEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	for ; i < len(b); i++ {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
	}
	return len(b)
}

// memberName is a member's key as encoding/json decodes it into a map key (escapes resolved,
// invalid UTF-8 replaced), without a copy when it is plain ASCII without escapes.
func memberName(key []byte) []byte {
	if len(key) < 2 {
		return nil
	}
	if !plainString(key) {
		var s string
		_ = json.Unmarshal(key, &s)
		return []byte(s)
	}
	return key[1 : len(key)-1]
}
