#!/bin/sh
# A call whose answer picks another codec than the offer's placeholder:
# port 1 takes only PCMA, so port 0's stream (created as PCMU before the
# offer, for its port number) is recreated as PCMA on the same local port
# when the answer arrives.  Audio is measured both ways (A-law's SNR for a
# -10 dBFS sine is lower than mu-law's: 33 dB is asked for) in 500 ms
# windows: a stall of the emulated guest makes both jitter buffers
# time-scale the audio for a few seconds (see check_tone_windows), which
# in a single 1 s window once showed as the right frequency at an SNR near
# 0 dB both ways.
. tests/system/lib.sh
SIP_DIR=$TOP/tests/sip
. tests/sip/lib.sh
. tests/system/daemon.sh
. tests/sip/media.sh

load ports=2
kam_start
lcd_conf -- "$(lcd_port 0 1000 'dial_plan=(1xxx)')" \
	"$(lcd_port 1 1001 'dial_plan=(1xxx)' 'codecs=pcma')"
lcd_start
kam_wait_registered 1000 10
kam_wait_registered 1001 10
lcd_wait_state 0 registered 5

cap_start call 5060 5062
"$VPHONE" 0 offhook
wait_call 0 dialtone 5
"$VPHONE" 0 dial 1001
"$VPHONE" 1 wait-ring 10 || fail "port 1 did not ring"
"$VPHONE" 1 offhook
wait_call 1 connected 5
wait_call 0 connected 5

# The streams as linecardd's status shows them.
lcd_snap
cat "$TMP/snap.json"
LCD_SNAP=1
rtp0=$(lcd_rtp_port 0)
rtp1=$(lcd_rtp_port 1)
media0="$(lcd_field 0 codec) $(lcd_field 0 pt) $(lcd_field 0 direction) $(lcd_field 0 remote_address):$(lcd_field 0 remote_port)"
media1="$(lcd_field 1 codec) $(lcd_field 1 pt) $(lcd_field 1 direction) $(lcd_field 1 remote_address):$(lcd_field 1 remote_port)"
LCD_SNAP=
expect_eq "port 0's stream" "$media0" "pcma 8 sendrecv 127.0.0.1:$rtp1"
expect_eq "port 1's stream" "$media1" "pcma 8 sendrecv 127.0.0.1:$rtp0"
two_way_audio 1000 600 5 33 6
ok "PCMA chosen by the answer: audio both ways"
"$VPHONE" 0 onhook
"$VPHONE" 1 onhook
wait_call 0 idle 5
sleep 1
cap_stop call
pts=$(tshark -r "$TMP/call.pcap" -d udp.port==5062,sip -Y 'sdp.media' -T fields -e sdp.media \
	2>/dev/null | sort -u | tr '\n' '|')
echo "SDP media lines: $pts"
echo "|$pts" | grep -q "|audio $rtp0 RTP/AVP 0 8 101|" ||
	fail "no offer of PCMU, PCMA and telephone-event on port $rtp0: $pts"
echo "|$pts" | grep -q "|audio $rtp1 RTP/AVP 8 101|" || fail "no answer of PCMA on port $rtp1: $pts"
ok "port 0 offered PCMU first on port $rtp0; its stream there is PCMA"
lcd_stop
expect_eq "exit status" "$lcd_status" 0
