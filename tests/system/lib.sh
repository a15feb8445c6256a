# Shared by the system tests, which run inside the QEMU guest
# (scripts/qemu-run) as root, from the top of the tree.
set -eu

TOP=$(pwd)
LCTL=$TOP/build/lctl
VPHONE=$TOP/build/vphone
TMP=$(mktemp -d)
trap 'rc=$?; cleanup_hook; rm -rf "$TMP"; exit $rc' EXIT
cleanup_hook() { :; }

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

ok() {
	echo "ok: $*"
}

# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" != "$3" ]; then
		printf 'FAIL: %s\n--- got:\n%s\n--- want:\n%s\n' "$1" "$2" "$3" >&2
		exit 1
	fi
	ok "$1"
}

load() {
	insmod "$TOP/kernel/linecard.ko"
	insmod "$TOP/kernel/linecard_vport.ko" "$@"
	# devtmpfs creates the nodes; give it a moment under emulation.
	for _ in $(seq 50); do
		[ -e /dev/line0 ] && [ -e /dev/vphone0 ] && return 0
		sleep 0.05
	done
	fail "no /dev/line0 after loading the modules"
}

unload() {
	rmmod linecard_vport
	rmmod linecard
}

# Start an event listener in the background; wait until it subscribed.
# listen NAME lctl-args...   (output in $TMP/NAME)
listen() {
	name=$1
	shift
	"$LCTL" "$@" >"$TMP/$name" 2>"$TMP/$name.err" &
	eval "pid_$name=\$!"
	for _ in $(seq 100); do
		grep -q listening "$TMP/$name.err" 2>/dev/null && return 0
		sleep 0.02
	done
	fail "listener $name did not start: $(cat "$TMP/$name.err")"
}

# collect NAME: wait for the listener to finish, print what it saw.
collect() {
	eval "wait \$pid_$1" || { cat "$TMP/$1.err" >&2; cat "$TMP/$1" >&2; fail "listener $1 failed"; }
	cat "$TMP/$1"
}

# The dominant frequency of raw S16 8 kHz audio, measured by sox.
sox_freq() {
	sox -t raw -r 8000 -e signed -b 16 -c 1 "$1" -n stat 2>&1 |
		awk '/Rough[ \t]+frequency/ { print $3 }'
}

# RMS amplitude (0..1) measured by sox.
sox_rms() {
	sox -t raw -r 8000 -e signed -b 16 -c 1 "$1" -n stat 2>&1 |
		awk '/RMS[ \t]+amplitude/ { print $3 }'
}
