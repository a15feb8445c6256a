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

# Tones measured by build/audiostat ("freq=HZ rms=RMS snr=DB"):
#
#   tone_ok AUDIOSTAT-LINE FREQ [TOL [SNR]]
#       status: strictly within TOL Hz of FREQ (default 5), SNR >= SNR dB
#       (default 35)
#   check_tone WHAT AUDIOSTAT-LINE FREQ [TOL [SNR]]
#       fail unless tone_ok
#   check_tone_windows WHAT FILE FREQ N [TOL [SNR]]
#       up to N windows of 500 ms of raw S16 8 kHz FILE, each printed,
#       until one has FREQ clean (tone_ok); fail if none has
#   two_way_audio FREQ0 FREQ1 TOL SNR [WINDOWS]
#       handset 0 speaks a sine of FREQ0 Hz, handset 1 one of FREQ1 Hz
#       (-10.5 dBFS, both at once); 1 s in, both listen at the same time.
#       Without WINDOWS each listens 1 s, measured whole; with WINDOWS,
#       WINDOWS * 500 ms, measured by check_tone_windows.  Fails unless
#       handset 1 hears FREQ0 and handset 0 hears FREQ1 (tone_ok with TOL
#       and SNR).  The recordings: $TMP/heard1.raw, $TMP/heard0.raw.

tone_ok() {
	to_f=$(echo "$1" | sed -n 's/.*freq=\([0-9.]*\).*/\1/p')
	to_snr=$(echo "$1" | sed -n 's/.*snr=\([-0-9.]*\).*/\1/p')
	to_tol=${3:-5}
	[ -n "$to_f" ] && [ -n "$to_snr" ] &&
		[ "$(echo "$to_f > $2 - $to_tol && $to_f < $2 + $to_tol && $to_snr >= ${4:-35}" | bc)" = 1 ]
}

check_tone() {
	tone_ok "$2" "$3" "${4:-5}" "${5:-35}" ||
		fail "$1: $2, wanted $3 Hz (within ${4:-5} Hz) with SNR >= ${5:-35} dB"
}

# A late packet, or a stall of the frame clock (an emulated guest on a
# busy host stops for a few hundred ms at times), makes the kernel's
# jitter buffer grow its delay and later shrink it again, time-scaling a
# steady tone meanwhile, for seconds (1000 Hz played 80 samples from 82
# is 1025 Hz; a window where that starts or stops has the right frequency
# but an SNR near 0 dB): such windows are shown, not failed, as long as a
# later one is clean.  (audiostat takes about a second for each window in
# the guest: stop at the first clean one.)
check_tone_windows() {
	good=0
	w=0
	while [ "$good" -eq 0 ] && [ "$w" -lt $(($4 * 500)) ]; do
		r=$("$TOP/build/audiostat" "$2" "$w" 500)
		echo "$1, $w..$((w + 500)) ms: $r"
		! tone_ok "$r" "$3" "${5:-5}" "${6:-35}" || good=$((w / 500 + 1))
		w=$((w + 500))
	done
	[ "$good" -gt 0 ] ||
		fail "$1: no 500 ms with $3 Hz (within ${5:-5} Hz) at SNR >= ${6:-35} dB"
	[ "$good" -eq 1 ] ||
		echo "note: $1: the first $((good - 1)) windows not clean (the jitter buffer adjusting?)"
}

two_way_audio() {
	ta_ms=$((${5:-2} * 500))
	sox -n -r 8000 -e signed -b 16 -c 1 -t raw "$TMP/speak0.raw" \
		synth $((ta_ms / 1000 + 2)) sine "$1" vol 0.3 2>/dev/null
	sox -n -r 8000 -e signed -b 16 -c 1 -t raw "$TMP/speak1.raw" \
		synth $((ta_ms / 1000 + 2)) sine "$2" vol 0.3 2>/dev/null
	"$VPHONE" 0 speak "$TMP/speak0.raw" &
	ta_s0=$!
	"$VPHONE" 1 speak "$TMP/speak1.raw" &
	ta_s1=$!
	sleep 1
	"$VPHONE" 1 listen "${ta_ms}ms" >"$TMP/heard1.raw" &
	ta_l1=$!
	"$VPHONE" 0 listen "${ta_ms}ms" >"$TMP/heard0.raw"
	wait $ta_l1 $ta_s0 $ta_s1
	if [ -n "${5:-}" ]; then
		check_tone_windows "handset 1 hears" "$TMP/heard1.raw" "$1" "$5" "$3" "$4"
		check_tone_windows "handset 0 hears" "$TMP/heard0.raw" "$2" "$5" "$3" "$4"
		return
	fi
	ta_r1=$("$TOP/build/audiostat" "$TMP/heard1.raw")
	ta_r0=$("$TOP/build/audiostat" "$TMP/heard0.raw")
	echo "handset 1 hears: $ta_r1"
	echo "handset 0 hears: $ta_r0"
	check_tone "handset 1 hears" "$ta_r1" "$1" "$3" "$4"
	check_tone "handset 0 hears" "$ta_r0" "$2" "$3" "$4"
}
