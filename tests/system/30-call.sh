#!/bin/sh
# A call between two ports through kamailio (registrar and proxy, Digest
# for REGISTER and INVITE): port 0 dials port 1's number, port 1 rings
# with caller ID (Bell 202 MDMF, decoded from the earpiece audio by
# spandsp's ADSI receiver) naming port 0's number and display name,
# answers; a tone spoken at each handset is heard at the other (frequency
# and SNR measured); a DTMF digit crosses as RFC 4733; port 0 hangs up and
# port 1 hears the reorder tone, then the howler.  Then busy (486) and
# CANCEL.  tshark's
# RTP stream analysis of the call: PCMU each way, no loss, 20 ms spacing.
. tests/system/lib.sh
SIP_DIR=$TOP/tests/sip
. tests/sip/lib.sh
. tests/system/daemon.sh
. tests/sip/media.sh

load ports=2
kam_start
lcd_conf "offhook_warning = 3" -- "$(lcd_port 0 1000 'dial_plan=(1xxx)' 'display_name=Kitchen')" \
	"$(lcd_port 1 1001 'dial_plan=(1xxx)')"
lcd_start
kam_wait_registered 1000 10
kam_wait_registered 1001 10
lcd_wait_state 0 registered 5
lcd_wait_state 1 registered 5

# Everything on lo: SIP, and the RTP of the call for tshark's analysis.
cap_start call
"$VPHONE" 0 offhook
wait_call 0 dialtone 5
"$VPHONE" 0 dial 1001
"$VPHONE" 1 wait-ring 10 || { cat "$LCD_LOG"; fail "port 1 did not ring"; }
# The caller ID goes out in the first silence of the cadence (ITU: 1 s
# ring, then 500 ms, then about 0.6 s of FSK), on hook.
"$VPHONE" 1 listen 3s >"$TMP/cid.raw"
wait_call 1 ringing 5
expect_eq "caller seen at port 1" "$(lcd_field 1 peer)" 1000
cid=$("$TOP/build/cidrx" "$TMP/cid.raw") || fail "no caller ID decoded at port 1"
echo "caller ID at port 1: $cid"
echo "$cid" | grep -q "number=1000 " || fail "caller ID number: $cid"
echo "$cid" | grep -q "name=Kitchen" || fail "caller ID name: $cid"
echo "$cid" | grep -q "datetime=$(date +%m%d)" || fail "caller ID date: $cid"
ok "caller ID at port 1: 1000, Kitchen, today (Bell 202 MDMF, decoded by spandsp)"
wait_call 0 ringback 5
ok "port 0 dialled 1001: port 1 rings, port 0 hears ringback"

"$VPHONE" 1 offhook
wait_call 1 connected 5
wait_call 0 connected 5
ok "answered: both connected"

rtp0=$(lcd_rtp_port 0)
rtp1=$(lcd_rtp_port 1)
two_way_audio 1000 600 5 35
lcctl status
ok "audio both ways through the kernel streams: 1000 Hz and 600 Hz, SNR >= 35 dB"

# A digit dialled in the call crosses as RFC 4733 and becomes a DIGIT
# event (source rtp) at port 1.
"$LCTL" dev-events 1 -n 1 -t 10 >"$TMP/digit" 2>"$TMP/digit.err" &
dl=$!
sleep 0.5
"$VPHONE" 0 dial 5
wait $dl || fail "no digit at port 1: $(cat "$TMP/digit.err")"
grep -q "digit 5.*rtp" "$TMP/digit" || fail "port 1 got: $(cat "$TMP/digit")"
ok "DTMF 5 from port 0 arrives at port 1 over RTP"

# A hook flash in the call goes on as RFC 4733 event 16 (for the far
# end's features: transfer, conference).
"$LCTL" dev-events 1 -n 1 -t 10 >"$TMP/flash" 2>"$TMP/flash.err" &
fl=$!
sleep 0.5
"$VPHONE" 0 flash
wait $fl || fail "no event at port 1 after the flash: $(cat "$TMP/flash.err")"
grep -q "telephone-event event=16" "$TMP/flash" || fail "port 1 got: $(cat "$TMP/flash")"
ok "a hook flash at port 0 arrives at port 1 as telephone-event 16"

"$VPHONE" 0 onhook
wait_call 0 idle 5
wait_call 1 reorder 5
ok "port 0 hung up: BYE; port 1 hears reorder"
# Left off hook: the off-hook warning (offhook_warning = 3 s), loud, in
# the earpiece (the US howler: 1400 + 2060 + 2450 + 2600 Hz).
wait_call 1 howler 6
"$VPHONE" 1 listen 1s >"$TMP/howler.raw"
r=$("$TOP/build/audiostat" "$TMP/howler.raw")
echo "handset 1 hears: $r"
echo "$r" | awk -F'[= ]' '{ exit !($4 > 0.3) }' || fail "no howler in the earpiece: $r"
ok "port 1 left off hook: the howler after the off-hook warning time"
"$VPHONE" 1 onhook
wait_call 1 idle 5

# Busy: port 1 off hook, port 0 calls it.
"$VPHONE" 1 offhook
wait_call 1 dialtone 5
"$VPHONE" 0 offhook
wait_call 0 dialtone 5
"$VPHONE" 0 dial 1001
wait_call 0 busy 10
ok "port 1 off hook: 486, port 0 hears busy"
"$VPHONE" 0 onhook
"$VPHONE" 1 onhook
wait_call 0 idle 5
wait_call 1 idle 5

# CANCEL: port 0 hangs up while port 1 rings.
"$VPHONE" 0 offhook
wait_call 0 dialtone 5
"$VPHONE" 0 dial 1001
"$VPHONE" 1 wait-ring 10 || fail "port 1 did not ring"
"$VPHONE" 0 onhook
wait_call 1 idle 5
sleep 0.5
"$VPHONE" 1 status | grep -q "ring=0\|ring 0\|ringing=0" || "$VPHONE" 1 status
ok "port 0 hung up while port 1 rang: CANCEL, port 1 idle"

sleep 1
cap_stop call
tshark -r "$TMP/call.pcap" -d udp.port==5062,sip -Y sip -T fields -e sip.Method -e sip.Status-Code \
	2>/dev/null | sort | uniq -c | sort -rn | head -20
# The answered call's RTP, each way: PCMU (and port 0's telephone-event),
# nothing lost, 20 ms apart, at least the 5 s of talking.
rtp_analyse "$TMP/call.pcap"
cat "$TMP/call.pcap.streams"
check_rtp "port 0 to port 1" "$(rtp_stream "$TMP/call.pcap" "$rtp0" "$rtp1")" 250
check_rtp "port 1 to port 0" "$(rtp_stream "$TMP/call.pcap" "$rtp1" "$rtp0")" 250
rtp_stream "$TMP/call.pcap" "$rtp0" "$rtp1" | grep -Eq "g711U,(rtpevent|telephone-event)" ||
	fail "no telephone-event in port 0's stream"
ok "tshark: the call's RTP both ways, PCMU, no loss, 20 ms spacing; the digit as telephone-event"
lcd_stop
expect_eq "exit status" "$lcd_status" 0
