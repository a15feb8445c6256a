#!/bin/sh
# An INVITE without SDP (a delayed offer, RFC 3261 13.2.1), as some trunks
# and third-party call control send: a sipp UAC (1010) calls port 0
# through kamailio with no offer (uac/call-late-offer.xml); port 0 rings
# and answers with its offer in the 200 (sipp checks it offers PCMU), the
# answer comes in the ACK and sipp's 1000 Hz RTP is heard at the handset.
# A hook flash goes to sipp in an INFO (no telephone-event agreed).  A
# re-INVITE without SDP is answered the same way and the call goes on;
# sipp hangs up.
. tests/system/lib.sh
SIP_DIR=$TOP/tests/sip
. tests/sip/lib.sh
. tests/system/daemon.sh
. tests/sip/media.sh

load ports=1
kam_start
lcd_conf -- "$(lcd_port 0 1000 'dial_plan=(1xxx)')"
lcd_start
kam_wait_registered 1000 10
lcd_wait_state 0 registered 5

sox -n -r 8000 -c 1 -t ul "$TMP/call-late-offer.ul" synth 1 sine 1000 vol 0.3 2>/dev/null
cd "$TMP"
sipp_start late -sf "$SIP_DIR/uac/call-late-offer.xml" 127.0.0.1:"$KAM_PORT" -i 127.0.0.1 \
	-p 5073 -mp 6000 -m 1 -s 1000 -au 1010 -ap "$(kam_password 1010)" -set from 1010 \
	-set hold_ms 6000
cd "$TOP"
"$VPHONE" 0 wait-ring 15 || { cat "$LCD_LOG"; fail "port 0 did not ring"; }
# shellcheck disable=SC2154 # set by sipp_start
chrt -r -p 10 "$sipp_pid_late" >/dev/null
wait_call 0 ringing 5
ok "an INVITE without SDP rings port 0"

"$VPHONE" 0 offhook
wait_call 0 connected 5
for _ in $(seq 50); do
	"$LCTL" streams | grep " line0 " | grep -q "remote=127.0.0.1:6000 " && break
	sleep 0.1
done
"$LCTL" streams | grep " line0 " | tee "$TMP/stream"
grep -q "remote=127.0.0.1:6000 .*codec=pcmu.*dir=sendrecv" "$TMP/stream" ||
	fail "the ACK's answer did not set the stream: $(cat "$TMP/stream")"
ok "answered with our offer in the 200; the ACK's answer set the stream (PCMU to sipp)"
sleep 1
"$VPHONE" 0 listen 3s >"$TMP/heard.raw"
check_tone_windows "handset 0 hears" "$TMP/heard.raw" 1000 6
ok "sipp's 1000 Hz heard at handset 0"
# No telephone-event was agreed: a hook flash goes in an INFO (sipp waits
# for it, checks Signal=! and answers 200).
"$VPHONE" 0 flash
for _ in $(seq 50); do
	grep -q "hook flash sent in an INFO" "$LCD_LOG" && break
	sleep 0.1
done
grep -q "hook flash sent in an INFO" "$LCD_LOG" || fail "no INFO for the hook flash: $(tail -5 "$LCD_LOG")"
ok "a hook flash in the call relayed in an INFO"

# The re-INVITE without SDP comes hold_ms after the ACK; sipp fails unless
# its 200 offers PCMU; the call must be up and the tone heard after it.
sipp_wait late 30 || { cat "$LCD_LOG"; fail "sipp UAC failed (see its log above)"; }
grep "offer in the 200" "$TMP/late.log" || true
wait_call 0 reorder 5
ok "re-INVITE without SDP answered with an offer; sipp hung up (BYE answered 200)"
"$VPHONE" 0 onhook
wait_call 0 idle 5
lcd_stop
expect_eq "exit status" "$lcd_status" 0
