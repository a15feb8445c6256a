#!/bin/sh
# 100 000 hostile packets at a live stream: no warning, every one counted
# as discarded, and the stream's audio keeps flowing.  Stream ids are not
# reused at once.
. tests/system/lib.sh

load ports=2
ip link set lo up
# Loopback delivers through the backlog; let a burst of 200 fit.
sysctl -qw net.core.netdev_max_backlog=10000

"$LCTL" stream-new 0 local=127.0.0.1:0 remote=127.0.0.1:40000 --hold 120 >"$TMP/s" 2>"$TMP/s.err" &
holder=$!
for _ in $(seq 100); do grep -q holding "$TMP/s.err" && break; sleep 0.05; done
port=$(sed -n 's/.*local=127.0.0.1:\([0-9]*\).*/\1/p' "$TMP/s")
[ -n "$port" ] || fail "no stream: $(cat "$TMP/s.err")"
id=$(sed -n 's/^stream \([0-9]*\) .*/\1/p' "$TMP/s")

"$VPHONE" 0 offhook
"$TOP/build/rtpflood" "127.0.0.1:$port" 40000 10 100000 1000 >"$TMP/flood" &
fp=$!
sleep 4
"$VPHONE" 0 listen 2s >"$TMP/heard.raw"
wait $fp || fail "rtpflood could not send everything: $(cat "$TMP/flood")"
cat "$TMP/flood"
sleep 0.5

"$LCTL" streams "$id" | tee "$TMP/st"
discarded=$(sed -n 's/.* discarded=\([0-9]*\).*/\1/p' "$TMP/st")
expect_eq "every hostile packet counted as discarded" "$discarded" 100000
rx=$(sed -n 's/.* rx_packets=\([0-9]*\).*/\1/p' "$TMP/st")
[ "$rx" -ge 480 ] || fail "only $rx valid packets received"
ok "$rx valid packets received alongside"

r=$("$TOP/build/audiostat" "$TMP/heard.raw")
echo "handset 0 hears: $r"
echo "$r" | awk -F'[= ]' '{ exit !($2 > 999 && $2 < 1001 && $6 >= 30) }' ||
	fail "audio did not keep flowing cleanly"
ok "audio kept flowing"
if dmesg | grep -E "WARNING|BUG|Oops"; then
	fail "kernel complained"
fi
kill $holder
wait $holder || true

# Owners that come and go: each lctl below creates a stream on port 1 and
# exits, and its stream goes with its netlink socket.  The next owner
# finds the port free at once, gets a new id (so an event still queued
# about the old stream can never name the new one), and nothing is left.
ids=
for i in 1 2 3 4 5; do
	id=$("$LCTL" stream-new 1 local=127.0.0.1:0 2>"$TMP/new.err" |
	     sed -n 's/^stream \([0-9]*\) .*/\1/p')
	[ -n "$id" ] || fail "owner $i: $(cat "$TMP/new.err")"
	case " $ids " in *" $id "*) fail "stream id $id given again (ids:$ids)" ;; esac
	ids="$ids $id"
done
ok "five owners in a row got streams$ids on port 1"
# (the last one is reaped by a work item: give it a moment)
for _ in $(seq 20); do
	"$LCTL" streams >"$TMP/left"
	grep -q "line1" "$TMP/left" || break
	sleep 0.1
done
grep -q "line1" "$TMP/left" && fail "streams left behind: $(cat "$TMP/left")"
ok "no stream left behind"
