#!/bin/sh
# Runs a command (default: the store package's tests) inside a private D-Bus session with an
# unlocked gnome-keyring: a real Secret Service, as CI uses. JCCONNECT_REQUIRE_KEYRING=1 makes
# the keyring tests fail rather than skip if the Secret Service is somehow not usable.
#
#   store/testdata/keyring-session.sh                      # go test ./store/...
#   store/testdata/keyring-session.sh go test -race ./...  # any command
#
# Needs dbus (dbus-run-session) and gnome-keyring; not dbus-x11, with which godbus autolaunches
# daemons that outlive the test. The keyring files go to a throwaway XDG_DATA_HOME; the daemon
# exits with the session.
set -eu
for tool in dbus-run-session gnome-keyring-daemon; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$0: $tool is missing: sudo apt-get install -y --no-install-recommends dbus gnome-keyring" >&2
		exit 2
	fi
done
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || set -- go test ./store/...
XDG_DATA_HOME=$(mktemp -d)
export XDG_DATA_HOME
export JCCONNECT_REQUIRE_KEYRING="${JCCONNECT_REQUIRE_KEYRING:-1}"
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
dbus-run-session -- sh -c 'echo -n ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' keyring-session "$@"
