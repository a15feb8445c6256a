#!/bin/sh
# The RTP fast path between two ports over loopback: audio both ways with
# its SNR measured, DTMF as RFC 4733 telephone-events (decoded by tshark),
# a clean RTP stream analysis, and streams torn down with their owner.
. tests/system/lib.sh

load ports=2
ip link set lo up

# The capture runs before the streams exist, and without a kernel filter.
# dumpcap starts capturing when it binds its packet socket and only then
# attaches a capture filter, through a reject-all filter in between: a
# packet arriving in that window is missing from a capture that already
# holds the packets before it, which tshark then counts as lost.  The
# pcapng header is written once dumpcap is capturing.
tshark -q -i lo -w "$TMP/cap.pcapng" 2>"$TMP/tshark.err" &
tsp=$!
for _ in $(seq 600); do [ -s "$TMP/cap.pcapng" ] && break; sleep 0.05; done
[ -s "$TMP/cap.pcapng" ] || fail "tshark did not start capturing: $(cat "$TMP/tshark.err")"

# Stream pair 0 <-> 1, PCMU, 20 ms, telephone-event 101, held by lctl.
"$LCTL" stream-pair 0 1 local=127.0.0.1:0 te=101 timeout=2000 --hold 120 >"$TMP/pair" 2>"$TMP/pair.err" &
holder=$!
for _ in $(seq 100); do grep -q holding "$TMP/pair.err" && break; sleep 0.05; done
grep -q holding "$TMP/pair.err" || fail "stream-pair: $(cat "$TMP/pair.err")"
cat "$TMP/pair"
p0=$(sed -n '1s/.*local=127.0.0.1:\([0-9]*\).*/\1/p' "$TMP/pair")
p1=$(sed -n '2s/.*local=127.0.0.1:\([0-9]*\).*/\1/p' "$TMP/pair")
[ -n "$p0" ] && [ -n "$p1" ] || fail "no local ports"
[ $((p0 % 2)) -eq 0 ] && [ $((p1 % 2)) -eq 0 ] || fail "RTP ports must be even: $p0 $p1"
ok "streams on ports $p0 and $p1"

# Raw PCM is refused while a stream owns the port.
if "$LCTL" read 0 160 >/dev/null 2>"$TMP/busy"; then
	fail "raw read allowed during a stream"
fi
grep -q "busy" "$TMP/busy" || fail "raw read: $(cat "$TMP/busy")"
ok "raw PCM refused while a stream owns the port"

"$VPHONE" 0 offhook
"$VPHONE" 1 offhook
# 1 kHz into handset 0 and 600 Hz into handset 1 for 3 s; each listens
# to the other in the middle, within 1 Hz at SNR >= 35 dB.
two_way_audio 1000 600 1 35
ok "audio both ways through G.711 and RTP, SNR >= 35 dB"

# A DTMF digit keyed on handset 0 crosses as telephone-events.
listen dig events -n 3 -t 20
"$VPHONE" 0 dial 7
collect dig
expect_eq "digit detected at port 0, received as RFC 4733 at port 1" \
	"$(cut -d' ' -f1-4 "$TMP/dig" | sed 's/ event=7 .*/ event=7/')" "line0 digit 7 dtmf
line1 telephone-event event=7
line1 digit 7 rtp"
sleep 1

kill $tsp
wait $tsp 2>/dev/null || true
tshark -r "$TMP/cap.pcapng" -d "udp.port==$p0,rtp" -d "udp.port==$p1,rtp" \
	-d "rtp.pt==101,rtpevent" -Y rtpevent -T fields -e rtpevent.event_id \
	-e rtpevent.end_of_event -e rtpevent.duration 2>/dev/null >"$TMP/ev"
cat "$TMP/ev"
grep -q "^7" "$TMP/ev" || fail "tshark saw no telephone-event 7"
grep -q "^7[[:space:]]*1" "$TMP/ev" || grep -q "^7[[:space:]]*True" "$TMP/ev" ||
	fail "tshark saw no end of event 7"
ok "tshark decodes telephone-event 7 with its end"

tshark -r "$TMP/cap.pcapng" -d "udp.port==$p0,rtp" -d "udp.port==$p1,rtp" \
	-d "rtp.pt==101,rtpevent" -q -z rtp,streams 2>/dev/null | tee "$TMP/streams"
# Per stream: "... Pkts Lost (pct) MinDelta MeanDelta MaxDelta ... Problems?"
# Packets leave at the frame clock's deadlines: the mean spacing is the
# ptime, 20 ms and not 10 or 30.  (Under software emulation on a busy host
# the guest stops for up to a second now and then and the clock skips the
# ticks it missed, which stretches the mean by a few percent; the clock's
# lateness counters and scripts/bench/fastpath measure timing itself.)
awk '/g711U/ { n++
	for (i = 1; i <= NF; i++) if ($i ~ /^\(/) { lost = $(i - 1); mean = $(i + 2) }
	if (lost != 0 || mean < 18 || mean > 23 || $NF == "X") bad = 1 }
	END { exit !(n == 2 && !bad) }' "$TMP/streams" ||
	fail "RTP stream analysis: want two PCMU streams, no loss, no sequence errors, 20 ms spacing"
ok "tshark RTP stream analysis: two PCMU streams, no loss or sequence errors, 20 ms spacing"

# RTCP on the next ports: sender reports both ways, parsed by tshark.
tshark -r "$TMP/cap.pcapng" -d "udp.port==$((p0 + 1)),rtcp" -d "udp.port==$((p1 + 1)),rtcp" \
	-Y "rtcp.pt == 200" -T fields -e udp.srcport 2>/dev/null | sort | uniq -c | tee "$TMP/sr"
[ "$(wc -l <"$TMP/sr")" -eq 2 ] || fail "want RTCP sender reports from both streams"
ok "RTCP sender reports from both ends"

"$LCTL" streams | tee "$TMP/st"
grep -q "rx_packets=[1-9]" "$TMP/st" || fail "no packets received"
# The receivers' own count (RFC 3550 A.3, over the streams' whole life, as
# their RTCP reports give it) agrees with the capture: nothing lost.
[ "$(grep -c "remote_lost=0 " "$TMP/st")" -eq 2 ] ||
	fail "a receiver reports lost packets"
ok "RTCP receiver reports: no packet lost either way"

kill $holder
wait $holder || true
sleep 0.5
[ -z "$("$LCTL" streams)" ] || fail "streams survive their owner"
"$LCTL" read 0 160 >/dev/null || fail "raw PCM after the streams went"
ok "killing the owner tears the streams down; the ports are free again"
