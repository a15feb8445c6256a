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

# linecard.ko uses the kernel's UDP tunnel helpers (its RTP sockets);
# insmod does not resolve dependencies, so load them first.
deps() {
	modprobe -q udp_tunnel
	modprobe -q ip6_udp_tunnel
}

load() {
	deps
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

# collect NAME: wait for the listener to finish (in this shell, not a
# command substitution); what it saw is then in "$TMP/NAME".
collect() {
	eval "wait \$pid_$1" || { cat "$TMP/$1.err" >&2; cat "$TMP/$1" >&2; fail "listener $1 failed"; }
}

# The dominant frequency of raw S16 8 kHz audio: the peak of sox's
# spectrum (bins of 1.95 Hz; its "rough frequency" is biased).
sox_freq() {
	sox -t raw -r 8000 -e signed -b 16 -c 1 "$1" -n stat -freq 2>&1 |
		awk 'NF == 2 && $1 + 0 == $1 { if ($2 > m) { m = $2; f = $1 } } END { printf "%.1f\n", f }'
}

# RMS amplitude (0..1) measured by sox.
sox_rms() {
	sox -t raw -r 8000 -e signed -b 16 -c 1 "$1" -n stat 2>&1 |
		awk '/RMS[ \t]+amplitude/ { print $3 }'
}
