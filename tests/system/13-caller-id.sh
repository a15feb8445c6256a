#!/bin/sh
# Caller ID between the first and second ring burst, Bell 202 and V.23,
# heard in the earpiece audio on hook and decoded by spandsp (build/cidrx),
# not by the module's own code; the next burst waits for the message;
# going off hook cuts the message short; hostile requests are refused.
. tests/system/lib.sh

CIDRX=$TOP/build/cidrx
[ -x "$CIDRX" ] || fail "no $CIDRX: run make"

load ports=1

# First and last non-zero sample (1-based) and the RMS between, full scale 1.
span() {
	od -An -td2 -v -w2 "$1" | awk '$1 != 0 { if (!f) f = NR; l = NR; s += $1 * $1 }
		END { if (!f) { print "0 0 0"; exit } printf "%d %d %.4f\n", f, l, sqrt(s / (l - f + 1)) / 32768 }'
}

# record NAME SECONDS: earpiece audio of handset 0 in the background, in
# $TMP/NAME.raw; returns once the handset is listening.
record() {
	"$VPHONE" 0 listen "$2" >"$TMP/$1.raw" &
	rec_pid=$!
	for _ in $(seq 200); do
		[ -s "$TMP/$1.raw" ] && return 0
		sleep 0.02
	done
	fail "vphone listen did not start"
}

# check_cid NAME STANDARD MARK_HZ: decode, compare, measure the mark tone.
check_cid() {
	got=$("$CIDRX" -s "$2" "$TMP/$1.raw") || fail "$2: cidrx decoded nothing"
	expect_eq "$2: decoded by spandsp" "$got" \
		"type=0x80 datetime=11241305 number=1000 name=Kitchen"
	set -- "$1" "$2" "$3" $(span "$TMP/$1.raw")
	# The 180 mark bits follow 250 ms of channel seizure.
	stat=$("$TOP/build/audiostat" "$TMP/$1.raw" $(($4 / 8 + 260)) 130)
	echo "$2: $stat; signal rms $6"
	echo "$stat $6" | awk -v want="$3" '{
		split($1, f, "="); split($2, r, "=")
		# -13 dBm0: 10^((-13 - 3.14) / 20) / sqrt(2) of full scale
		if (f[2] < want - 5 || f[2] > want + 5) { print "mark at " f[2] " Hz"; exit 1 }
		if ($4 < 0.104 || $4 > 0.117) { print "level " $4; exit 1 }
	}' || fail "$2: mark frequency or level"
	ok "$2: mark at $3 Hz, -13 dBm0"
}

# Bell 202.  The silence after the first burst (300 ms) is shorter than
# 500 ms + the message + 200 ms, so the second burst has to wait for it.
record bell 4s
"$LCTL" ring-cid 0 -s bell202 -d 11241305 -n 1000 -N Kitchen 500 300 500 300 -r 1 ||
	fail "ring-cid"
wait $rec_pid
check_cid bell bell202 1200
"$VPHONE" 0 ring-log | tee "$TMP/log"
got=$(awk 'NR > 1 { printf "%s%d", sep, ($1 - prev) / 1000000; sep = " " } { prev = $1 }' "$TMP/log")
echo "ring intervals: $got"
# 27 message bytes + checksum: 300 + 180 + 280 + 5 bits = 637.5 ms
echo "$got" | awk '{
	if (NF != 3) { print "want 3 intervals, got " NF; exit 1 }
	if ($1 < 485 || $1 > 515) { print "first burst " $1 " ms"; exit 1 }
	if ($2 < 1320 || $2 > 1450) { print "silence " $2 " ms, want 500 + 638 + 200"; exit 1 }
	if ($3 < 485 || $3 > 515) { print "second burst " $3 " ms"; exit 1 }
}' || fail "the second burst did not wait for the message"
ok "second burst after lead-in, message and guard time"

# ETSI V.23, in a silence long enough for it.
record v23 3s
"$LCTL" ring-cid 0 -s v23 -d 11241305 -n 1000 -N Kitchen 400 1500 -r 1 || fail "ring-cid v23"
wait $rec_pid
check_cid v23 v23 1300

# A tone while a caller ID message waits for its silence or is on the
# line would be mixed into it: refused until the message is over.
"$LCTL" ring-cid 0 -n 1000 500 3000 -r 1 || fail "ring-cid for the tone check"
if "$LCTL" tone 0 440 2>"$TMP/err"; then
	fail "a tone accepted while caller ID was pending"
fi
grep -q "busy" "$TMP/err" || fail "tone during caller ID: $(cat "$TMP/err")"
sleep 2.5
"$LCTL" tone 0 440 || fail "a tone refused once the message was over"
"$LCTL" tone-stop 0
"$LCTL" ring-stop 0
ok "a tone is refused while caller ID is pending, accepted after"

# Off hook during the message: it stops at once.  The longest message (128
# bytes and the checksum) lasts 300 + 180 + 1290 + 5 bits, 1.48 s; the
# handset is lifted about 0.5 s into it.
long=$(printf '%0108d' 0)
record cut 4s
"$LCTL" ring-cid 0 -d 11241305 -n 1000 -N "$long" 300 3000 -r 1 || fail "ring-cid long"
# 300 ms ring, 500 ms lead-in, 500 ms of message
sleep 1.3
"$VPHONE" 0 offhook
wait $rec_pid
set -- $(span "$TMP/cut.raw")
echo "message heard from sample $1 to $2"
len_ms=$((($2 - $1) * 1000 / 8000))
[ "$1" -gt 0 ] || fail "no message before going off hook"
[ "$len_ms" -lt 1300 ] || fail "message went on for $len_ms ms after going off hook"
ok "off hook cut the message after $len_ms ms"
if "$CIDRX" "$TMP/cut.raw" >"$TMP/cut.txt" 2>&1; then
	fail "a cut message decoded: $(cat "$TMP/cut.txt")"
fi
ok "nothing decodes from the cut message"
expect_eq "no ring after the cut" "$(cat /sys/class/vphone/vphone0/ring)" 0
"$LCTL" ports 0 | grep -q "ring=0" || fail "port still has a ring cadence"

# Off hook: refused.
if "$LCTL" ring-cid 0 -n 1000 2>"$TMP/err"; then
	fail "ring-cid accepted while off hook"
fi
grep -q "busy" "$TMP/err" || fail "ring-cid off hook: $(cat "$TMP/err")"
ok "ring-cid refused off hook"
"$VPHONE" 0 onhook
sleep 1

# Hostile arguments, and a process without CAP_NET_ADMIN.
"$LCTL" cid-bad 0 || fail "hostile RING_CID arguments"
chmod 666 /dev/line0
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$LCTL" unpriv 0 || fail "unprivileged process"
if dmesg | grep -E "WARNING|BUG|Oops"; then
	fail "kernel complained"
fi
ok "no kernel warning"
