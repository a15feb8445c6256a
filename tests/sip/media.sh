# Call state, audio and RTP checks for the call tests
# (tests/system/3*-call-*.sh): sourced after tests/system/lib.sh (which
# has the tone measurements: tone_ok, check_tone, check_tone_windows,
# two_way_audio), tests/sip/lib.sh and tests/system/daemon.sh.
#
#   wait_call PORT STATE TIMEOUT    until port PORT's call state is STATE
#                                   (the daemon's log shown when it is not)
#   lcd_rtp_port PORT               the local RTP port of port PORT's call
#                                   (its kernel stream, from the status)
#   rtp_analyse PCAP                one tshark pass over PCAP (tshark takes
#                                   seconds to start in the guest): RTP
#                                   found by heuristics or SDP; writes
#                                   PCAP.streams, tshark's RTP stream
#                                   analysis, one line a stream: "SRC:PORT
#                                   DST:PORT PAYLOAD PACKETS LOST
#                                   MEAN-DELTA-MS PROBLEM" (PROBLEM: X when
#                                   tshark saw sequence or timestamp
#                                   errors, else -), and PCAP.payload, one
#                                   line a packet: "DST-PORT PAYLOAD-HEX"
#   rtp_stream PCAP SRC-PORT DST-PORT
#                                   the line of PCAP.streams for that pair
#   check_rtp WHAT STREAM-LINE MIN-PACKETS
#                                   fail unless PCMU (with or without
#                                   telephone-events), >= MIN-PACKETS,
#                                   nothing lost, 18..23 ms mean spacing
#                                   (ptime 20 ms; an emulated guest on a
#                                   busy host misses frame ticks), no
#                                   problem flagged
#   rtp_payload PCAP DST-PORT OUT.raw
#                                   the PCMU payload of every RTP packet to
#                                   DST-PORT (from PCAP.payload), in
#                                   order, decoded to raw S16
#   trim_silence IN.raw OUT.raw     the audio between the leading and the
#                                   trailing silence

wait_call() {
	end=$(($(date +%s%N) / 1000000 + $3 * 1000))
	while [ "$(lcd_field "$1" call)" != "$2" ]; do
		[ "$(($(date +%s%N) / 1000000))" -lt "$end" ] ||
			{ cat "$LCD_LOG" >&2; fail "port $1: call $(lcd_field "$1" call) after $3 s, wanted $2"; }
		sleep 0.1
	done
}

lcd_rtp_port() {
	lrp=$(lcd_field "$1" local_port)
	[ -n "$lrp" ] && [ "$lrp" != null ] || fail "port $1: no stream in the status"
	echo "$lrp"
}

rtp_analyse() {
	tshark -r "$1" --enable-heuristic rtp_udp -Y rtp -T fields -e udp.dstport -e rtp.payload \
		-z rtp,streams 2>/dev/null >"$1.tshark"
	awk -F '\t' 'NF == 2 { print $1, $2 }' "$1.tshark" >"$1.payload"
	# Columns: start end src sport dst dport ssrc payload... pkts lost (pct)
	# min mean max ... [X]; the payload: "g711U", "g711U, telephone-event".
	awk '/RTP Streams/ { on = 1; next } on && $3 ~ /^[0-9.]+$/ && $4 ~ /^[0-9]+$/ {
		for (i = 9; i <= NF && $i !~ /^\(/; i++) ;
		pt = ""
		for (k = 8; k <= i - 3; k++) pt = pt $k
		print $3 ":" $4, $5 ":" $6, pt, $(i - 2), $(i - 1), $(i + 2), ($NF == "X" ? "X" : "-")
	}' "$1.tshark" >"$1.streams"
}

rtp_stream() {
	awk -v s="$2" -v d="$3" '$1 ~ ":" s "$" && $2 ~ ":" d "$"' "$1.streams"
}

check_rtp() {
	echo "$2" | awk -v min="$3" '$3 ~ /^g711U(,(rtpevent|telephone-event))?$/ && $4 >= min && $5 == 0 &&
		$6 >= 18 && $6 <= 23 && $7 == "-" { ok = 1 } END { exit !ok }' ||
		fail "$1: RTP stream: '$2' (wanted g711U, >= $3 packets, 0 lost, about 20 ms apart)"
}

rtp_payload() {
	awk -v p="$2" '$1 == p { print $2 }' "$1.payload" | tr -d ':' | xxd -r -p >"$3.ul"
	sox -t ul -r 8000 -c 1 "$3.ul" -t raw -e signed -b 16 "$3"
}

trim_silence() {
	sox -t raw -r 8000 -e signed -b 16 -c 1 "$1" -t raw "$2" \
		silence 1 0.02 1% reverse silence 1 0.02 1% reverse
}
