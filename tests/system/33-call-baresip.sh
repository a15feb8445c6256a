#!/bin/sh
# Calls between port 0 (1000) and baresip (1020, a real softphone,
# tests/sip/baresip), both registered to kamailio (Digest for REGISTER and
# INVITE); baresip sends a WAV file through its aufile source and records
# what it receives through the sndfile filter:
#   a. baresip dials 1000 sending 1000 Hz; port 0 rings, the handset
#      answers and hears the tone; baresip hangs up (BYE), port 0 hears
#      reorder;
#   b. port 0 dials 1020; baresip answers by itself (answermode=auto); the
#      handset speaks 600 Hz and baresip's recording has it; port 0 hangs
#      up (BYE) and baresip ends the call.
# tshark's RTP stream analysis of each call: PCMU, no loss, 20 ms spacing.
. tests/system/lib.sh
SIP_DIR=$TOP/tests/sip
. tests/sip/lib.sh
. tests/system/daemon.sh
. tests/sip/media.sh

BS_DIR=$TMP/baresip
BS_LOG=$TMP/baresip.log
BS_PID=
cleanup_hook() {
	[ -z "$BS_PID" ] || kill "$BS_PID" 2>/dev/null || true
	lcd_cleanup
}

# bs_cmd COMMAND [PARAMS]: one command over baresip's ctrl_tcp (a
# netstring of JSON on 127.0.0.1:4444); prints the response.
bs_cmd() {
	perl -MIO::Socket::INET -e '
		my ($cmd, $params) = @ARGV;
		my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:4444", Proto => "tcp",
			Timeout => 5) or die "baresip ctrl_tcp: $!\n";
		my $j = "{\"command\":\"$cmd\",\"params\":\"$params\",\"token\":\"t\"}";
		print $s length($j) . ":" . $j . ",";
		# events may come first: read until the response to this command
		my $in = "";
		local $SIG{ALRM} = sub { die "baresip ctrl_tcp: no response to $cmd\n" };
		alarm 10;
		while ($in !~ /"response":true[^}]*"ok":(true|false)/) {
			my $b;
			defined($s->recv($b, 4096)) && length($b) or die "baresip ctrl_tcp: closed\n";
			$in .= $b;
		}
		print "$in\n";
		my ($ok) = $in =~ /"response":true[^}]*"ok":(true|false)/;
		exit($ok eq "true" ? 0 : 1);
	' "$1" "${2:-}" >>"$TMP/bs_cmd.log" 2>&1 ||
		{ cat "$TMP/bs_cmd.log" "$BS_LOG" >&2; fail "baresip refused /$1 ${2:-}"; }
}

# bs_wait_log PATTERN TIMEOUT: until baresip's log has a line matching it
bs_wait_log() {
	end=$(($(date +%s%N) / 1000000 + $2 * 1000))
	until grep -q "$1" "$BS_LOG"; do
		[ "$(($(date +%s%N) / 1000000))" -lt "$end" ] ||
			{ cat "$BS_LOG" >&2; fail "baresip: no '$1' after $2 s"; }
		sleep 0.1
	done
}

load ports=1
kam_start
lcd_conf -- "$(lcd_port 0 1000 'dial_plan=(1xxx)')"
lcd_start

# baresip works in $BS_DIR: its config copied there (it writes into its
# config directory), tone.wav to send, rec/ for what it records.
mkdir -p "$BS_DIR/rec"
cp "$SIP_DIR/baresip/config" "$SIP_DIR/baresip/accounts" "$BS_DIR/"
sox -n -r 8000 -e signed -b 16 -c 1 "$BS_DIR/tone.wav" synth 30 sine 1000 vol 0.3 2>/dev/null
cd "$BS_DIR"
baresip -f "$BS_DIR" -v >"$BS_LOG" 2>&1 &
BS_PID=$!
cd "$TOP"
# Under emulation baresip's audio thread, at normal priority, sends late now
# and then; real-time priority (threads made later inherit it) helps.
chrt -a -r -p 10 "$BS_PID" >/dev/null
kam_wait_registered 1000 10
kam_wait_registered 1020 20
lcd_wait_state 0 registered 5
bs_wait_log "ctrl_tcp: TCP socket listening" 5
ok "port 0 (1000) and baresip (1020) registered"

# --- a. baresip calls port 0 ------------------------------------------------
cap_start call
bs_cmd dial 1000
"$VPHONE" 0 wait-ring 15 || { cat "$LCD_LOG" "$BS_LOG"; fail "port 0 did not ring"; }
wait_call 0 ringing 5
expect_eq "caller seen at port 0" "$(lcd_field 0 peer)" 1020
ok "baresip dialled 1000: port 0 rings"

"$VPHONE" 0 offhook
wait_call 0 connected 5
rtp_a=$(lcd_rtp_port 0)
bs_wait_log "Call established" 10
ok "handset 0 answered: connected, baresip says the call is established"
sleep 1
"$VPHONE" 0 listen 3s >"$TMP/heard0.raw"
lcctl status
check_tone_windows "handset 0 hears" "$TMP/heard0.raw" 1000 6
ok "baresip's 1000 Hz (aufile) heard at handset 0, SNR >= 35 dB"

bs_cmd hangup
wait_call 0 reorder 5
ok "baresip hung up (BYE): port 0 hears reorder"
"$VPHONE" 0 onhook
wait_call 0 idle 5

# --- b. port 0 calls baresip --------------------------------------------------
# what baresip recorded of call a is set aside
mkdir "$BS_DIR/rec-a"
mv "$BS_DIR/rec/"* "$BS_DIR/rec-a/"
"$VPHONE" 0 offhook
wait_call 0 dialtone 5
"$VPHONE" 0 dial 1020
wait_call 0 connected 15
rtp_b=$(lcd_rtp_port 0)
expect_eq "callee seen at port 0" "$(lcd_field 0 peer)" 1020
ok "port 0 dialled 1020: baresip answered by itself"

sox -n -r 8000 -e signed -b 16 -c 1 -t raw "$TMP/b.raw" synth 3 sine 600 vol 0.3 2>/dev/null
"$VPHONE" 0 speak "$TMP/b.raw"
sleep 0.3
lcctl status
n=$(grep -c "terminated" "$BS_LOG" || true)
"$VPHONE" 0 onhook
wait_call 0 idle 5
end=$(($(date +%s) + 10))
while [ "$(grep -c "terminated" "$BS_LOG" || true)" -le "$n" ]; do
	[ "$(date +%s)" -lt "$end" ] || { cat "$BS_LOG" >&2; fail "baresip did not end the call on port 0's BYE"; }
	sleep 0.1
done
ok "port 0 hung up (BYE): baresip ended the call"
sleep 0.5
cap_stop call

# baresip's recording of what it received, decoded (sndfile: *-dec.wav)
rec=
for f in "$BS_DIR/rec/"*-dec.wav; do
	[ -e "$f" ] && rec=$f
done
[ -n "$rec" ] || { ls -l "$BS_DIR/rec" >&2; cat "$BS_LOG" >&2; fail "baresip recorded nothing"; }
sox "$rec" -t raw -r 8000 -e signed -b 16 -c 1 "$TMP/rec.raw"
trim_silence "$TMP/rec.raw" "$TMP/tone.raw"
rb=$("$TOP/build/audiostat" "$TMP/tone.raw" 500 1000)
echo "baresip recorded $(($(stat -c %s "$TMP/rec.raw") / 16)) ms, tone $(($(stat -c %s "$TMP/tone.raw") / 16)) ms: $rb"
check_tone "baresip's recording" "$rb" 600
[ "$(stat -c %s "$TMP/tone.raw")" -ge 40000 ] ||
	fail "only $(($(stat -c %s "$TMP/tone.raw") / 16)) ms of the 3 s tone recorded"
ok "handset 0's 600 Hz is in baresip's recording (aufile/sndfile), SNR >= 35 dB"

# tshark once for both calls (it takes seconds to start in the guest)
rtp_analyse "$TMP/call.pcap"
echo "RTP streams (port 0 on $rtp_a in call a, on $rtp_b in call b):"
cat "$TMP/call.pcap.streams"
for c in a b; do
	eval "p=\$rtp_$c"
	check_rtp "call $c, baresip to port 0" "$(rtp_stream "$TMP/call.pcap" '[0-9]*' "$p")" 100
	check_rtp "call $c, port 0 to baresip" "$(rtp_stream "$TMP/call.pcap" "$p" '[0-9]*')" 100
done
ok "tshark: the RTP streams of both calls PCMU, nothing lost, 20 ms apart"

kill "$BS_PID"
wait "$BS_PID" 2>/dev/null || true
BS_PID=
lcd_stop
expect_eq "exit status" "$lcd_status" 0
