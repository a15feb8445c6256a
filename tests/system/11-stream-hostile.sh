#!/bin/sh
# 100 000 hostile packets at a live stream: no warning, every one counted
# as discarded, and the stream's audio keeps flowing.
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
