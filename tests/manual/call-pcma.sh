#!/bin/sh
# A call whose answer picks another codec than the offer's placeholder:
# port 1 takes only PCMA, so port 0's stream (created as PCMU before the
# offer, for its port number) is recreated as PCMA on the same local port
# when the answer arrives.  Audio is measured both ways (A-law's SNR for a
# -10 dBFS sine is lower than mu-law's; 33 dB is asked for).
#
# Not in make check yet: it passes run after run here, but failed once in a
# full make check on a quiet host with both directions at the right
# frequency and level yet an SNR near 0 dB (cause not found).  Run it with
#   scripts/qemu-run -- sh tests/manual/call-pcma.sh
. tests/system/lib.sh
SIP_DIR=$TOP/tests/sip
. tests/sip/lib.sh
. tests/system/daemon.sh

load ports=2
kam_start
lcd_conf -- "$(lcd_port 0 1000 'dial_plan=(1xxx)')" \
	"$(lcd_port 1 1001 'dial_plan=(1xxx)' 'codecs=pcma')"
lcd_start
kam_wait_registered 1000 10
kam_wait_registered 1001 10
lcd_wait_state 0 registered 5

wait_call() {
	end=$(($(date +%s%N) / 1000000 + $3 * 1000))
	while [ "$(lcd_field "$1" call)" != "$2" ]; do
		[ "$(($(date +%s%N) / 1000000))" -lt "$end" ] ||
			{ cat "$LCD_LOG" >&2; fail "port $1: call $(lcd_field "$1" call), wanted $2"; }
		sleep 0.1
	done
}

cap_start call 5060 5062
"$VPHONE" 0 offhook
wait_call 0 dialtone 5
"$VPHONE" 0 dial 1001
"$VPHONE" 1 wait-ring 10 || fail "port 1 did not ring"
"$VPHONE" 1 offhook
wait_call 1 connected 5
wait_call 0 connected 5

sox -n -r 8000 -e signed -b 16 -c 1 -t raw "$TMP/a.raw" synth 3 sine 1000 vol 0.3 2>/dev/null
sox -n -r 8000 -e signed -b 16 -c 1 -t raw "$TMP/b.raw" synth 3 sine 600 vol 0.3 2>/dev/null
"$VPHONE" 0 speak "$TMP/a.raw" &
s0=$!
"$VPHONE" 1 speak "$TMP/b.raw" &
s1=$!
sleep 1
"$VPHONE" 1 listen 1s >"$TMP/heard1.raw" &
l1=$!
"$VPHONE" 0 listen 1s >"$TMP/heard0.raw"
wait $l1 $s0 $s1
r1=$("$TOP/build/audiostat" "$TMP/heard1.raw")
r0=$("$TOP/build/audiostat" "$TMP/heard0.raw")
echo "handset 1 hears: $r1"
echo "handset 0 hears: $r0"
for pair in "1 $r1 1000" "0 $r0 600"; do
	set -- $pair
	f=$(echo "$2" | sed -n 's/.*freq=\([0-9.]*\).*/\1/p')
	snr=$(echo "$4" | sed -n 's/.*snr=\([-0-9.]*\).*/\1/p')
	want=$5
	[ "$(echo "$f > $want - 5 && $f < $want + 5 && $snr >= 33" | bc)" = 1 ] ||
		fail "handset $1 hears $2 $3 $4, wanted $want Hz"
done
ok "PCMA chosen by the answer: audio both ways"
"$VPHONE" 0 onhook
"$VPHONE" 1 onhook
wait_call 0 idle 5
sleep 1
cap_stop call
pts=$(tshark -r "$TMP/call.pcap" -d udp.port==5062,sip -Y 'sdp.media' -T fields -e sdp.media \
	2>/dev/null | sort -u | tr '\n' '|')
echo "SDP media lines: $pts"
lcd_stop
expect_eq "exit status" "$lcd_status" 0
