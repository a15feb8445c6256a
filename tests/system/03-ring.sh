#!/bin/sh
# Ringing reaches the handset with its cadence; lifting the handset trips
# the ring; a ring cannot start on a line that is off hook.
. tests/system/lib.sh

load ports=2

listen done events -n 1 -t 30
# UK cadence 400 on, 200 off, 400 on, 2000 off, twice.
"$LCTL" ring 1 400 200 400 2000 -r 2
"$VPHONE" 1 wait-ring 2s || fail "handset 1 does not ring"
ok "handset 1 rings"
collect done
expect_eq "ring-done event" "$(cat "$TMP/done")" "line1 ring-done"

"$VPHONE" 1 ring-log | tee "$TMP/log"
# Intervals between transitions, ms: on-off-on-off... as programmed.
got=$(awk 'NR > 1 { printf "%s%d", sep, ($1 - prev) / 1000000; sep = " " } { prev = $1 }' "$TMP/log")
echo "intervals: $got"
echo "$got" | awk '{
	split("400 200 400 2000 400 200 400", want, " ")
	if (NF != 7) { print "want 7 intervals, got " NF; exit 1 }
	for (i = 1; i <= 7; i++) {
		d = $i - want[i]
		if (d < -15 || d > 15) { print "interval " i ": " $i " ms, want " want[i]; exit 1 }
	}
}' || fail "ring cadence"
ok "cadence 400/200/400/2000 twice, within 15 ms"
expect_eq "handset silent after the cadence" "$(cat /sys/class/vphone/vphone1/ring)" 0
expect_eq "ring bursts" "$(cat /sys/class/vphone/vphone1/rings)" 4

# Ring trip: ringing continuously, the handset is lifted.
"$LCTL" ring 0
"$VPHONE" 0 wait-ring 2s || fail "handset 0 does not ring"
"$VPHONE" 0 offhook
sleep 0.1
expect_eq "off hook stops the ring" "$(cat /sys/class/vphone/vphone0/ring)" 0
"$LCTL" ports 0 | grep -q "ring=0" || fail "port still has a ring cadence"
ok "ring trip"
if "$LCTL" ring 0 2>"$TMP/err"; then
	fail "ring accepted while off hook"
fi
grep -q "busy" "$TMP/err" || fail "ring off hook: $(cat "$TMP/err")"
ok "ring refused off hook: $(cat "$TMP/err")"
"$VPHONE" 0 onhook
# The line counts as on hook once the break outlasts the flash window.
sleep 1

# Stop ring.
"$LCTL" ring 0 1000 1000
"$VPHONE" 0 wait-ring 2s
"$LCTL" ring-stop 0
sleep 0.05
expect_eq "ring stop" "$(cat /sys/class/vphone/vphone0/ring)" 0
