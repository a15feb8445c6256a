#!/bin/sh
# Calls between port 0 and sipp through kamailio (Digest for REGISTER and
# INVITE), audio measured at the other end of each:
#   a. a sipp UAC (1010) calls port 0 (1000) and, once answered, plays a
#      1000 Hz tone as PCMU RTP (uac/call-rtp.xml); port 0 rings, the
#      handset answers and hears the tone; sipp hangs up (BYE) and port 0
#      hears reorder;
#   b. port 0 dials a sipp UAS (1011, registered first) that answers
#      (uas/answer-rtp.xml); the handset speaks 600 Hz, the RTP payload
#      captured on lo is decoded and has that tone; port 0 hangs up (BYE).
#   c. the UAS again, which never sends RTP: port 0 hangs up after the
#      media timeout (3 s here).
# tshark's RTP stream analysis of calls a and b: payload type PCMU, no
# loss, 20 ms spacing.
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

# --- a. sipp calls port 0 and plays a tone --------------------------------
# sipp 3.6 takes rtp_stream's file name literally: call-rtp.ul in its
# working directory.
sox -n -r 8000 -c 1 -t ul "$TMP/call-rtp.ul" synth 1 sine 1000 vol 0.3 2>/dev/null
cap_start call
cd "$TMP"
sipp_start uac -sf "$SIP_DIR/uac/call-rtp.xml" 127.0.0.1:"$KAM_PORT" -i 127.0.0.1 -p 5073 \
	-mp 6000 -m 1 -s 1000 -au 1010 -ap "$(kam_password 1010)" -set from 1010 -set hold_ms 8000
cd "$TOP"
# Under emulation sipp's RTP thread, at normal priority, sends late by up
# to 200 ms now and then; real-time priority (inherited by that thread,
# created at the answer) keeps its gaps near 50 ms.
# shellcheck disable=SC2154 # set by sipp_start
chrt -r -p 10 "$sipp_pid_uac" >/dev/null
"$VPHONE" 0 wait-ring 15 || { cat "$LCD_LOG"; fail "port 0 did not ring"; }
wait_call 0 ringing 5
expect_eq "caller seen at port 0" "$(lcd_field 0 peer)" 1010
ok "sipp (1010) called 1000 through kamailio: port 0 rings"

"$VPHONE" 0 offhook
wait_call 0 connected 5
rtp_a=$(lcd_rtp_port 0)
ok "handset 0 answered: connected"
sleep 1
"$VPHONE" 0 listen 3s >"$TMP/heard0.raw"
lcctl status
expect_eq "still in the call after listening" "$(lcd_field 0 call)" connected
check_tone_windows "handset 0 hears" "$TMP/heard0.raw" 1000 6
ok "sipp's 1000 Hz RTP heard at handset 0, SNR >= 35 dB"

sipp_wait uac 20 || fail "sipp UAC failed"
wait_call 0 reorder 5
ok "sipp hung up (BYE answered 200): port 0 hears reorder"
"$VPHONE" 0 onhook
wait_call 0 idle 5

# --- b. port 0 calls a sipp UAS that answers ------------------------------
sipp_start reg -sf "$SIP_DIR/uac/register-auth.xml" 127.0.0.1:"$KAM_PORT" -i 127.0.0.1 -p 5074 \
	-m 1 -nd -s 1011 -au 1011 -ap "$(kam_password 1011)"
sipp_wait reg 15 || fail "sipp could not register 1011"
kam_wait_registered 1011 5
sipp_start uas -sf "$SIP_DIR/uas/answer-rtp.xml" -i 127.0.0.1 -p 5074 -mi 127.0.0.1 -mp 6100 -m 1
wait_udp_port 5074 || fail "sipp UAS does not listen"

"$VPHONE" 0 offhook
wait_call 0 dialtone 5
"$VPHONE" 0 dial 1011
wait_call 0 connected 15
rtp_b=$(lcd_rtp_port 0)
expect_eq "callee seen at port 0" "$(lcd_field 0 peer)" 1011
ok "port 0 dialled 1011: the sipp UAS answered"

sox -n -r 8000 -e signed -b 16 -c 1 -t raw "$TMP/b.raw" synth 3 sine 600 vol 0.3 2>/dev/null
"$VPHONE" 0 speak "$TMP/b.raw"
sleep 0.3
lcctl status
"$VPHONE" 0 onhook
wait_call 0 idle 5
sipp_wait uas 15 || fail "sipp UAS did not see the call end with BYE"
ok "port 0 hung up: BYE answered 200"
sleep 0.5
cap_stop call

# tshark once for both calls (it takes seconds to start in the guest)
rtp_analyse "$TMP/call.pcap"
echo "RTP streams (call a: port 0 on $rtp_a, sipp on 6000; call b: port 0 on $rtp_b, sipp on 6100):"
cat "$TMP/call.pcap.streams"
check_rtp "call a, sipp to port 0" "$(rtp_stream "$TMP/call.pcap" 6000 "$rtp_a")" 150
check_rtp "call a, port 0 to sipp" "$(rtp_stream "$TMP/call.pcap" "$rtp_a" 6000)" 150
check_rtp "call b, port 0 to sipp" "$(rtp_stream "$TMP/call.pcap" "$rtp_b" 6100)" 150
ok "tshark: the RTP streams of both calls PCMU, nothing lost, 20 ms apart"

# What port 0 sent in call b: the payload of every RTP packet to the UAS,
# in order; the tone alone lies between the silences before and after it.
rtp_payload "$TMP/call.pcap" 6100 "$TMP/sent.raw"
trim_silence "$TMP/sent.raw" "$TMP/tone.raw"
rb=$("$TOP/build/audiostat" "$TMP/tone.raw" 500 1000)
echo "sipp UAS received $(($(stat -c %s "$TMP/sent.raw") / 16)) ms of audio, tone $(($(stat -c %s "$TMP/tone.raw") / 16)) ms: $rb"
check_tone "RTP payload port 0 sent" "$rb" 600
[ "$(stat -c %s "$TMP/tone.raw")" -ge 40000 ] || fail "only $(($(stat -c %s "$TMP/tone.raw") / 16)) ms of the 3 s tone arrived"
ok "handset 0's 600 Hz is in the RTP payload the UAS received, SNR >= 35 dB"

lcd_stop
expect_eq "exit status" "$lcd_status" 0

# --- c. the far end answers and never sends: the media timeout ------------
# The UAS answers and sends no RTP; with media_timeout = 3 the port hangs
# up (BYE) 3 s after the answer, and the subscriber hears reorder.
lcd_conf "media_timeout = 3" -- "$(lcd_port 0 1000 'dial_plan=(1xxx)')"
: >"$LCD_LOG"
lcd_start
lcd_wait_state 0 registered 10
sipp_start uas2 -sf "$SIP_DIR/uas/answer-rtp.xml" -i 127.0.0.1 -p 5074 -mi 127.0.0.1 -mp 6100 -m 1
wait_udp_port 5074 || fail "sipp UAS does not listen"
"$VPHONE" 0 offhook
wait_call 0 dialtone 5
"$VPHONE" 0 dial 1011
wait_call 0 connected 15
t0=$(date +%s%N)
wait_call 0 reorder 15
dt=$((($(date +%s%N) - t0) / 1000000))
echo "hung up $dt ms after the answer"
[ "$dt" -ge 1500 ] || fail "hung up after $dt ms, long before the 3 s media timeout"
grep -q "no media from the far end" "$LCD_LOG" || fail "not hung up for silence: $(tail -5 "$LCD_LOG")"
sipp_wait uas2 15 || fail "sipp UAS did not see the call end with BYE"
ok "a far end that never sends is hung up (BYE) after media_timeout, $dt ms"
"$VPHONE" 0 onhook
wait_call 0 idle 5
lcd_stop
expect_eq "exit status" "$lcd_status" 0
