#!/bin/sh
# Media in calls against sipp through kamailio: early media, re-INVITEs
# and DTMF in band.
#   a. port 0 (1000) dials a sipp UAS (1011) that answers 183 with SDP and
#      plays 800 Hz before its 200 (uas/early-media.xml): port 0 is in
#      early media (status "call": "early-media"), no local tone plays
#      (no ringback; the kernel's tone flag, seen to be set at dial tone)
#      and its handset hears that tone; the 200 connects; port 0 hangs up
#      (BYE).
#   b. a sipp UAC (1010) calls port 0 offering telephone-event and plays
#      1000 Hz (uac/call-reinvite.xml); answered, the handset hears it and
#      keys 3, which goes out as RFC 4733 events, not as a tone in the
#      audio.  Then re-INVITEs: a=sendonly (answered a=recvonly: the kernel
#      stream receives only, nothing is sent, the tone is still heard),
#      a=inactive (answered so: nothing sent, silence while sipp goes on
#      sending; then sipp sends nothing for 35 s, and the call must outlast
#      the daemon's 30 s media timeout), a=sendrecv (RTP
#      flows and the tone is heard again), and a=sendrecv at another
#      address and port (the RTP goes there).  Each phase is checked in
#      the kernel's stream (lctl streams), in what the handset hears and in
#      the port's RTP on the wire (a capture, between the 200s); sipp
#      checks every answer's direction.  Last, a re-INVITE switching to
#      fax (T.38 only) is refused 488 and the call goes on: sipp's BYE is
#      answered 200.
#   c. sipp (1010) calls port 1 (1001, dtmf = inband) offering
#      telephone-event (uac/call-inband.xml): the answer leaves it out,
#      and a key pressed on handset 1 is in the RTP audio as the DTMF pair
#      (found by spandsp's receiver, build/dtmfrx), with no RFC 4733 event.
. tests/system/lib.sh
SIP_DIR=$TOP/tests/sip
. tests/sip/lib.sh
. tests/system/daemon.sh
. tests/sip/media.sh

DTMFRX=$TOP/build/dtmfrx

# stream_line PORT: that port's kernel stream, as lctl shows it
stream_line() {
	"$LCTL" streams | grep " line$1 " || true
}

# wait_stream PORT REGEX TIMEOUT: until the port's stream matches REGEX
wait_stream() {
	ws_port=$1 ws_re=$2 ws_to=$3
	end=$(($(date +%s%N) / 1000000 + ws_to * 1000))
	until stream_line "$ws_port" | grep -Eq "$ws_re"; do
		[ "$(($(date +%s%N) / 1000000))" -lt "$end" ] ||
			fail "port $ws_port: stream '$(stream_line "$ws_port")' after $ws_to s, wanted /$ws_re/"
		sleep 0.1
	done
	echo "port $ws_port: $(stream_line "$ws_port")"
}

# check_heard WHAT FILE FREQ N: up to N windows of 500 ms of FILE until one
# has FREQ within 4 %, at rms >= 0.1 (-20 dBFS) and SNR >= 25 dB: the
# peer's tone is what the handset hears (anything mixed in, such as a
# local tone at -19 dBm0, brings the SNR well below).  Looser than
# check_tone_windows, which 32-call-sipp.sh uses to judge the audio
# itself: a stream that just started or changed may see its jitter buffer
# grow its delay under emulation, then shrink it for seconds,
# time-scaling the tone meanwhile (800 Hz heard as 820 Hz).
check_heard() {
	w=0
	while [ "$w" -lt $(($4 * 500)) ]; do
		r=$("$TOP/build/audiostat" "$2" "$w" 500)
		echo "$1, $w..$((w + 500)) ms: $r"
		f=$(echo "$r" | sed -n 's/.*freq=\([0-9.]*\).*/\1/p')
		rms=$(echo "$r" | sed -n 's/.*rms=\([0-9.]*\).*/\1/p')
		snr=$(echo "$r" | sed -n 's/.*snr=\([-0-9.]*\).*/\1/p')
		if [ -n "$f" ] && [ -n "$rms" ] && [ -n "$snr" ] &&
			[ "$(echo "$f > $3 * 0.96 && $f < $3 * 1.04 && $rms >= 0.1 && $snr >= 25" | bc)" = 1 ]; then
			return 0
		fi
		w=$((w + 500))
	done
	fail "$1: no 500 ms with $3 Hz (within 4 %) at rms >= 0.1 and SNR >= 25 dB"
}

# port_tone PORT: 1 while the kernel plays a local tone into the earpiece
# (in its cadence's silences too), else 0
port_tone() {
	"$LCTL" ports | awk -v p="line$1" '$1 == p' | sed -n 's/.* tone=\([0-9]*\) .*/\1/p'
}

# rtp_fields PCAP: one tshark pass; PCAP.fields, a line a packet (SIP or
# RTP): TIME SRC-IP SRC-PORT DST-IP DST-PORT PT EVENT STATUS METHOD CSEQ
# CSEQ-METHOD SDP-VERSION PAYLOAD, tab-separated, "" where absent; and
# PCAP.payload, "DST-PORT PAYLOAD-HEX" of each PCMU packet (rtp_payload).
rtp_fields() {
	tshark -r "$1" --enable-heuristic rtp_udp -d udp.port==5062,sip -d rtp.pt==101,rtpevent \
		-Y 'rtp || sip' -T fields -E separator=/t -E occurrence=f \
		-e frame.time_relative -e ip.src -e udp.srcport -e ip.dst -e udp.dstport \
		-e rtp.p_type -e rtpevent.event_id -e sip.Status-Code -e sip.Method \
		-e sip.CSeq.seq -e sip.CSeq.method -e sdp.owner.version -e rtp.payload \
		2>/dev/null >"$1.fields"
	awk -F '\t' '$6 == "0" && $13 != "" { print $5, $13 }' "$1.fields" >"$1.payload"
}

# rtp_count FIELDS SRC-PORT DST-IP DST-PORT FROM TO: RTP packets (any
# payload type) from 127.0.0.1:SRC-PORT to DST-IP:DST-PORT in [FROM, TO) s
rtp_count() {
	awk -F '\t' -v sp="$2" -v dip="$3" -v dp="$4" -v from="$5" -v to="$6" '
		$6 != "" && $2 == "127.0.0.1" && $3 == sp && $4 == dip && $5 == dp &&
		$1 + 0 >= from + 0 && $1 + 0 < to + 0 { n++ } END { print n + 0 }' "$1"
}

load ports=2
kam_start
lcd_conf -- "$(lcd_port 0 1000 'dial_plan=(1xxx)')" "$(lcd_port 1 1001 'dtmf=inband')"
lcd_start
kam_wait_registered 1000 10
kam_wait_registered 1001 10
lcd_wait_state 0 registered 5
lcd_wait_state 1 registered 5

# sipp 3.6 takes rtp_stream's file name literally: these are in its
# working directory, $TMP.
sox -n -r 8000 -c 1 -t ul "$TMP/early-media.ul" synth 1 sine 800 vol 0.3 2>/dev/null
sox -n -r 8000 -c 1 -t ul "$TMP/call-reinvite.ul" synth 1 sine 1000 vol 0.3 2>/dev/null

# --- a. early media -------------------------------------------------------
sipp_start reg -sf "$SIP_DIR/uac/register-auth.xml" 127.0.0.1:"$KAM_PORT" -i 127.0.0.1 -p 5074 \
	-m 1 -nd -s 1011 -au 1011 -ap "$(kam_password 1011)"
sipp_wait reg 15 || fail "sipp could not register 1011"
kam_wait_registered 1011 5
cd "$TMP"
sipp_start uas -sf "$SIP_DIR/uas/early-media.xml" -i 127.0.0.1 -p 5074 -mi 127.0.0.1 -mp 6100 \
	-m 1 -set early_ms 7000
cd "$TOP"
wait_udp_port 5074 || fail "sipp UAS does not listen"
# shellcheck disable=SC2154 # set by sipp_start
chrt -r -p 10 "$sipp_pid_uas" >/dev/null

"$VPHONE" 0 offhook
wait_call 0 dialtone 5
expect_eq "dial tone: a local tone plays at port 0" "$(port_tone 0)" 1
"$VPHONE" 0 dial 1011
wait_call 0 early-media 15
ok "port 0 dialled 1011: 183 with SDP, early media"
expect_eq "early media: no local tone (ringback) at port 0" "$(port_tone 0)" 0
"$VPHONE" 0 listen 3s >"$TMP/early.raw"
lcctl status
# What the handset heard was heard before the answer.
expect_eq "still in early media after listening" "$(lcd_field 0 call)" early-media
wait_call 0 connected 15
expect_eq "callee seen at port 0" "$(lcd_field 0 peer)" 1011
ok "the UAS's 200 connects the call"
sleep 0.5
"$VPHONE" 0 listen 2s >"$TMP/early-after.raw"
"$VPHONE" 0 onhook
wait_call 0 idle 5
sipp_wait uas 15 || fail "sipp UAS did not see the call end with BYE"
ok "port 0 hung up: BYE answered 200"
check_heard "handset 0 hears, in early media" "$TMP/early.raw" 800 6
ok "in early media handset 0 hears the UAS's 800 Hz, and no local tone"
check_heard "handset 0 hears, answered" "$TMP/early-after.raw" 800 4
ok "the same stream goes on once answered"

# --- b. re-INVITEs: hold, inactive, resume, a new address ---------------------
cap_start reinv
cd "$TMP"
sipp_start rei -sf "$SIP_DIR/uac/call-reinvite.xml" 127.0.0.1:"$KAM_PORT" -i 127.0.0.1 -p 5073 \
	-mp 6000 -m 1 -s 1000 -au 1010 -ap "$(kam_password 1010)" -set from 1010 \
	-set talk_ms 7000 -set phase_ms 6000
cd "$TOP"
"$VPHONE" 0 wait-ring 15 || { cat "$LCD_LOG"; fail "port 0 did not ring"; }
# shellcheck disable=SC2154 # set by sipp_start
chrt -r -p 10 "$sipp_pid_rei" >/dev/null
wait_call 0 ringing 5
"$VPHONE" 0 offhook
wait_call 0 connected 5
rtp=$(lcd_rtp_port 0)
wait_stream 0 "remote=127\.0\.0\.1:6000 .* te=101 dir=sendrecv" 5
ok "sipp (1010) called port 0, answered: sendrecv to 127.0.0.1:6000, telephone-event 101"
sleep 0.5
"$VPHONE" 0 dial 3
"$VPHONE" 0 listen 3s >"$TMP/talk.raw"

wait_stream 0 "remote=127\.0\.0\.1:6000 .* dir=recvonly" 10
ok "re-INVITE a=sendonly (hold): the kernel stream is recvonly"
"$VPHONE" 0 listen 3s >"$TMP/hold.raw"
expect_eq "still held after listening" "$(stream_line 0 | grep -o 'dir=[a-z]*')" dir=recvonly

wait_stream 0 "remote=127\.0\.0\.1:6000 .* dir=inactive" 10
ok "re-INVITE a=inactive: the kernel stream is inactive"
sleep 0.3
"$VPHONE" 0 listen 1.5s >"$TMP/inactive.raw"
expect_eq "still inactive after listening" "$(stream_line 0 | grep -o 'dir=[a-z]*')" dir=inactive

# sipp now stops sending for 35 s, longer than the daemon's 30 s media
# timeout: a call held inactive must not be hung up for its silence.
end=$(($(date +%s%N) / 1000000 + 60000))
until stream_line 0 | grep -Eq "remote=127\.0\.0\.1:6000 .* dir=sendrecv"; do
	c=$(lcd_field 0 call)
	[ "$c" = connected ] ||
		fail "port 0 held inactive: call $c: $(grep 'port 0: ' "$LCD_LOG" | tail -n 3)"
	[ "$(($(date +%s%N) / 1000000))" -lt "$end" ] ||
		fail "port 0: stream '$(stream_line 0)' 60 s after inactive, wanted a resume"
	sleep 0.5
done
echo "port 0: $(stream_line 0)"
ok "held inactive with no RTP for 35 s, the call lasted; re-INVITE a=sendrecv (resume): sendrecv again"
"$VPHONE" 0 listen 3s >"$TMP/resume.raw"

wait_stream 0 "remote=127\.0\.0\.2:6202 .* dir=sendrecv" 10
ok "re-INVITE at 127.0.0.2:6202: the kernel stream sends there"
expect_eq "call state through the re-INVITEs" "$(lcd_field 0 call)" connected

sipp_wait rei 30 || fail "sipp UAC: a re-INVITE was not answered as it should be"
grep "answer to" "$TMP/rei.log" || true
ok "sipp: the 200s answered telephone-event, recvonly, inactive, sendrecv, sendrecv; a switch to T.38 refused 488 and the call went on"
wait_call 0 reorder 5
"$VPHONE" 0 onhook
wait_call 0 idle 5
sleep 0.3
cap_stop reinv

# Audio at the handset in each phase.
check_heard "handset 0 hears, talking" "$TMP/talk.raw" 1000 6
check_heard "handset 0 hears, held (recvonly)" "$TMP/hold.raw" 1000 6
ok "handset 0 hears sipp's 1000 Hz talking and held (recvonly receives)"
r=$("$TOP/build/audiostat" "$TMP/inactive.raw" 500 1000)
echo "handset 0 hears, inactive, 500..1500 ms: $r"
rms=$(echo "$r" | sed -n 's/.*rms=\([0-9.]*\).*/\1/p')
{ [ -n "$rms" ] && [ "$(echo "$rms < 0.001" | bc)" = 1 ]; } ||
	fail "handset 0 hears $r while inactive (sipp keeps sending), wanted silence"
ok "inactive: sipp's RTP is not played, handset 0 hears silence"
check_heard "handset 0 hears, resumed" "$TMP/resume.raw" 1000 6
ok "resumed: handset 0 hears sipp's 1000 Hz again"

# The port's RTP on the wire, phase by phase: the phases run from the
# daemon's 200 to a re-INVITE (sent from 5062) to the next re-INVITE
# reaching it; the first 100 ms after a 200 are left out (a packet of
# the tick in progress may leave just after the change).
pcap=$TMP/reinv.pcap
rtp_fields "$pcap"
ok_t() { awk -F '\t' -v c="$1" '$3 == 5062 && $8 == 200 && $10 == c && $11 == "INVITE" {
	print $1; exit }' "$pcap.fields"; }
inv_t() { awk -F '\t' -v c="$1" '$5 == 5062 && $9 == "INVITE" && $10 == c { print $1; exit }' \
	"$pcap.fields"; }
bye_t=$(awk -F '\t' '$5 == 5062 && $9 == "BYE" { print $1; exit }' "$pcap.fields")
for c in 2 3 4 5 6; do
	eval "ok$c=\$(ok_t $c)"
	eval "[ -n \"\$ok$c\" ]" || fail "no 200 to the INVITE with CSeq $c from the daemon in the capture"
done
for c in 3 4 5 6; do
	eval "inv$c=\$(inv_t $c)"
	eval "[ -n \"\$inv$c\" ]" || fail "no INVITE with CSeq $c to the daemon in the capture"
done
[ -n "$bye_t" ] || fail "no BYE to the daemon in the capture"
# shellcheck disable=SC2154 # set by eval above
echo "200s at $ok2 $ok3 $ok4 $ok5 $ok6 s; re-INVITEs at $inv3 $inv4 $inv5 $inv6 s; BYE at $bye_t s"

# check_phase WHAT FROM TO TO-6000 TO-6202: the port's RTP packets in the
# phase, to sipp's first port and to the new address; "flow" means at
# least a quarter of one every 20 ms (the emulated frame clock of a
# guest on a busy host misses ticks; the other side of each check is 0).
check_phase() {
	a=$(echo "$2 + 0.1" | bc)
	n1=$(rtp_count "$pcap.fields" "$rtp" 127.0.0.1 6000 "$a" "$3")
	n2=$(rtp_count "$pcap.fields" "$rtp" 127.0.0.2 6202 "$a" "$3")
	want=$(echo "($3 - $a) * 12.5 / 1" | bc)
	echo "$1, $a..$3 s: $n1 RTP packets to 127.0.0.1:6000, $n2 to 127.0.0.2:6202 (flowing: >= $want)"
	for v in "$n1:$4" "$n2:$5"; do
		case ${v#*:} in
		0) [ "${v%%:*}" -eq 0 ] || fail "$1: RTP sent where nothing should be: $n1 to 6000, $n2 to 6202" ;;
		flow) [ "${v%%:*}" -ge "$want" ] || fail "$1: RTP not flowing: $n1 to 6000, $n2 to 6202" ;;
		esac
	done
}
check_phase "talking" "$ok2" "$inv3" flow 0
check_phase "held (recvonly)" "$ok3" "$inv4" 0 0
check_phase "inactive" "$ok4" "$inv5" 0 0
# The silence heard early in the inactive phase is the kernel's doing:
# sipp went on sending for 6 s; then it was quiet for more than 30 s.
a=$(echo "$ok4 + 5" | bc)
n=$(rtp_count "$pcap.fields" 6000 127.0.0.1 "$rtp" "$ok4" "$a")
echo "inactive: sipp sent $n RTP packets to port 0 in $ok4..$a s"
[ "$n" -ge 62 ] || fail "sipp sent only $n RTP packets early in the inactive phase"
last=$(awk -F '\t' -v sp="$rtp" -v to="$inv5" '$6 != "" && $3 == 6000 && $5 == sp && $1 + 0 < to + 0 {
	t = $1 } END { print t + 0 }' "$pcap.fields")
echo "inactive: sipp's last RTP packet at $last s, the resuming re-INVITE at $inv5 s"
[ "$(echo "$inv5 - $last > 30.5" | bc)" = 1 ] ||
	fail "sipp was quiet for only $(echo "$inv5 - $last" | bc) s before resuming"
check_phase "resumed" "$ok5" "$inv6" flow 0
check_phase "moved" "$ok6" "$bye_t" 0 flow
ok "on the wire: port 0 sends talking, nothing held or inactive, again resumed, then to 127.0.0.2:6202 only"

# Our o= version grows with each answer that changes (RFC 3264 s. 8).
vers=$(awk -F '\t' '$3 == 5062 && $8 == 200 && $11 == "INVITE" && $12 != "" && !seen[$10]++ {
	printf "%s%s", sep, $12; sep = " " }' "$pcap.fields")
echo "o= versions of the daemon's answers (CSeq 2..6): $vers"
echo "$vers" | awk 'NF == 5 && $2 > $1 && $3 > $2 && $4 > $3 && $5 >= $4 { ok = 1 } END { exit !ok }' ||
	fail "the answers' o= versions do not grow with each change: $vers"
ok "the o= version of the daemon's answers grows with each change"

# RFC 4733: key 3 as telephone-events (PT 101, event 3), and no DTMF in
# the audio the port sent (it is muted while the event goes).
ev=$(awk -F '\t' -v sp="$rtp" '$2 == "127.0.0.1" && $3 == sp && $5 == 6000 && $6 == 101 {
	print $7 }' "$pcap.fields" | sort | uniq -c | tr -s ' ' | tr '\n' ';')
echo "telephone-events from port 0 (count event): $ev"
expect_eq "RFC 4733 events port 0 sent" "$(echo "$ev" | sed 's/^ *[0-9]* //; s/;$//')" 3
n=$(echo "$ev" | awk '{ print $1 }')
[ "$n" -ge 3 ] || fail "only $n telephone-event packets for key 3"
rtp_payload "$pcap" 6000 "$TMP/sent-b.raw"
echo "port 0 sent $(($(stat -c %s "$TMP/sent-b.raw") / 16)) ms of PCMU to sipp"
if d=$("$DTMFRX" "$TMP/sent-b.raw" 2>/dev/null); then
	fail "port 0 (rfc4733) sent DTMF in its audio as well: $d"
fi
ok "rfc4733: key 3 went as $n telephone-event packets, no DTMF in the audio (spandsp found none)"
# Handset 0 said nothing but the key: every PCMU packet port 0 sent is
# silence (0xff, 0x7f) except, at most, the one in which the key began:
# the audio is muted from the frame the kernel's detector has the digit,
# and what goes before is shorter than any detector takes for a digit.
loud=$(awk -F '\t' -v sp="$rtp" '$2 == "127.0.0.1" && $3 == sp && $5 == 6000 && $6 == "0" {
	p = $13
	gsub(/:/, "", p)
	for (i = 1; i < length(p); i += 2) {
		b = substr(p, i, 2)
		if (b != "ff" && b != "7f") { n++; print "loud PCMU packet at " $1 " s" >"/dev/stderr"; break }
	}
} END { print n + 0 }' "$pcap.fields")
[ "$loud" -le 1 ] || fail "port 0 sent $loud PCMU packets that are not silence around key 3"
ok "rfc4733: port 0's audio is silence but for $loud packet of the key's onset"

# --- c. DTMF in band --------------------------------------------------------
cap_start inb
sipp_start inb -sf "$SIP_DIR/uac/call-inband.xml" 127.0.0.1:"$KAM_PORT" -i 127.0.0.1 -p 5075 \
	-mp 6300 -m 1 -s 1001 -au 1010 -ap "$(kam_password 1010)" -set from 1010 -set hold_ms 6000
"$VPHONE" 1 wait-ring 15 || { cat "$LCD_LOG"; fail "port 1 did not ring"; }
wait_call 1 ringing 5
"$VPHONE" 1 offhook
wait_call 1 connected 5
rtp1=$(lcd_rtp_port 1)
wait_stream 1 "remote=127\.0\.0\.1:6300 .*dir=sendrecv" 5
stream_line 1 | grep -q " te=" && fail "port 1 (dtmf = inband) has telephone-event: $(stream_line 1)"
ok "sipp called port 1 (dtmf = inband) offering telephone-event: answered without it"
sleep 1
"$VPHONE" 1 dial 5
sipp_wait inb 30 || fail "sipp UAC: port 1's answer carried telephone-event, or the call failed"
grep "answer to" "$TMP/inb.log" || true
wait_call 1 reorder 5
"$VPHONE" 1 onhook
wait_call 1 idle 5
sleep 0.3
cap_stop inb

pcap=$TMP/inb.pcap
rtp_fields "$pcap"
n=$(awk -F '\t' -v sp="$rtp1" '$2 == "127.0.0.1" && $3 == sp && $5 == 6300 && $6 != "" && $6 != 0' \
	"$pcap.fields" | wc -l)
np=$(awk -F '\t' -v sp="$rtp1" '$2 == "127.0.0.1" && $3 == sp && $5 == 6300 && $6 == 0' \
	"$pcap.fields" | wc -l)
echo "port 1 sent $np PCMU packets and $n of other payload types"
[ "$np" -ge 150 ] || fail "port 1 sent only $np PCMU packets in a 6 s call"
expect_eq "packets port 1 sent that are not PCMU (no telephone-event)" "$n" 0
rtp_payload "$pcap" 6300 "$TMP/sent-c.raw"
d=$("$DTMFRX" "$TMP/sent-c.raw") || fail "no DTMF in the audio port 1 sent"
echo "spandsp in port 1's RTP audio: $d"
expect_eq "digits in port 1's RTP audio" "$(echo "$d" | sed -n 's/^digit=\(.\) .*/\1/p' | tr -d '\n')" 5
ok "dtmf = inband: key 5 is in the RTP audio as its tone pair (spandsp), no telephone-event"

lcd_stop
expect_eq "exit status" "$lcd_status" 0
