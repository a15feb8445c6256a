#!/bin/sh
# A person lifts the handset, keys DTMF digits, flashes, dials with the
# rotary dial and hangs up: the events arrive in order, with durations, on
# the netlink multicast group and on /dev/line0 at the same time.
. tests/system/lib.sh

load ports=2

listen nl events -n 11 -t 60
listen dev dev-events 0 -n 11 -t 60

"$VPHONE" 0 offhook
"$VPHONE" 0 dial 159#
"$VPHONE" 0 flash 300
"$VPHONE" 0 pulse 207
"$VPHONE" 0 dial 3
"$VPHONE" 0 onhook

want="line0 offhook
line0 digit 1 dtmf
line0 digit 5 dtmf
line0 digit 9 dtmf
line0 digit # dtmf
line0 flash
line0 digit 2 pulse
line0 digit 0 pulse
line0 digit 7 pulse
line0 digit 3 dtmf
line0 onhook"

shape() { awk '{ if ($2 == "digit") print $1, $2, $3, $4; else print $1, $2 }'; }

collect nl
nl=$(cat "$TMP/nl")
collect dev
dev=$(cat "$TMP/dev")
echo "$nl"
expect_eq "netlink events in order" "$(echo "$nl" | shape)" "$want"
expect_eq "/dev/line0 events in order" "$(echo "$dev" | shape)" "$want"

# Durations: keyed DTMF digits last 100 ms, the flash 300 ms.
echo "$nl" | awk '
	$2 == "digit" && $4 == "dtmf" { d = $5 + 0; if (d < 70 || d > 140) { print "dtmf duration " d; bad = 1 } }
	$2 == "flash" { d = $3 + 0; if (d < 270 || d > 340) { print "flash duration " d; bad = 1 } }
	END { exit bad }' || fail "durations out of range"
ok "DTMF and flash durations"

"$LCTL" ports 0 | grep -q "flashes=1 dtmf=5 pulse=3" || { "$LCTL" ports 0; fail "port counters"; }
ok "port counters"

# A 90 ms break is a dial pulse, not a flash: dial "1" with one long pulse.
echo 90 >/sys/module/linecard_vport/parameters/pulse_break_ms
listen nl2 events -n 3 -t 30
"$VPHONE" 0 offhook
"$VPHONE" 0 pulse 1
"$VPHONE" 0 onhook
collect nl2
expect_eq "90 ms break is a pulse" "$(cat "$TMP/nl2" | shape)" "line0 offhook
line0 digit 1 pulse
line0 onhook"
echo 60 >/sys/module/linecard_vport/parameters/pulse_break_ms

# A configurable flash window: 100-200 ms makes a 300 ms break a hang-up.
"$LCTL" set 0 flash_max=200
listen nl3 events -n 3 -t 30
"$VPHONE" 0 offhook
"$VPHONE" 0 flash 300
collect nl3
expect_eq "flash window 100-200: 300 ms break hangs up" "$(cat "$TMP/nl3" | shape)" "line0 offhook
line0 onhook
line0 offhook"
"$VPHONE" 0 onhook
"$LCTL" set 0 flash_max=800

# Overflow: a descriptor that does not read loses events, and is told how
# many, after the ones it kept and before any that come later.
"$LCTL" set 0 debounce=1 pulse_min=2 flash_min=3 flash_max=4
sleep 1
listen held dev-events 0 -w "$TMP/go" -t 60
i=0
while [ $i -lt 50 ]; do
	echo off >/sys/class/vphone/vphone0/hook
	sleep 0.03
	echo on >/sys/class/vphone/vphone0/hook
	sleep 0.03
	i=$((i + 1))
done
sleep 0.2
touch "$TMP/go"
collect held
held=$(cat "$TMP/held")
kept=$(echo "$held" | grep -c -E 'offhook|onhook' || true)
lost=$(echo "$held" | sed -n 's/.*overflow lost=\([0-9]*\).*/\1/p')
echo "kept $kept, lost $lost"
expect_eq "queue keeps $((64)) events" "$kept" 64
expect_eq "overflow reports the rest" "$lost" 36
expect_eq "overflow comes last" "$(echo "$held" | tail -n 1 | cut -d' ' -f2)" overflow
