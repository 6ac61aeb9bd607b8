// Package glossary holds the user-facing names every face uses (the screens, plain output, the
// export's readable parts), so one thing never goes by two names on screen: "unknown", never
// "undecided"; "macOS", never "darwin"; "not applicable", never "not_applicable"; "SSO
// applications"; "1 character". Identifiers stay as they are in JSON and CSV, which machines
// read; these are only the words people read. It imports nothing of jcconnect, so any package
// may use it.
package glossary

import (
	"strconv"
	"strings"
)

// Unknown is the one word for a check without enough evidence to pass or fail.
const Unknown = "unknown"

// OS names an OS family ("darwin", "windows", "linux") as people know it.
func OS(family string) string {
	switch strings.ToLower(strings.TrimSpace(family)) {
	case "darwin", "mac os x", "macos":
		return "macOS"
	case "windows":
		return "Windows"
	case "linux":
		return "Linux"
	case "ios":
		return "iOS"
	case "ipados":
		return "iPadOS"
	case "android":
		return "Android"
	case "":
		return Unknown
	}
	return family
}

// Status names a check status ("pass", "fail", "unknown", "not_applicable") in words.
func Status(status string) string {
	switch status {
	case "not_applicable":
		return "not applicable"
	case "":
		return Unknown
	}
	return strings.ReplaceAll(status, "_", " ")
}

// acronyms are written in capitals wherever they appear in a name.
var acronyms = []string{"sso", "fde", "os", "mdm", "api", "id"}

// Source names an evidence source with its acronyms in capitals: "sso applications" is
// "SSO applications"; other words keep their case ("system insights").
func Source(name string) string {
	words := strings.Fields(name)
	for i, w := range words {
		for _, a := range acronyms {
			if strings.EqualFold(w, a) {
				words[i] = strings.ToUpper(w)
			}
		}
	}
	return strings.Join(words, " ")
}

// Count is "1 character", "2 characters", "0 devices": the noun agrees with n. nouns whose
// plural is not noun+"s" pass it as the third argument.
func Count(n int, noun string, plural ...string) string {
	if n == 1 {
		return "1 " + noun
	}
	p := noun + "s"
	if len(plural) > 0 {
		p = plural[0]
	}
	return strconv.Itoa(n) + " " + p
}
