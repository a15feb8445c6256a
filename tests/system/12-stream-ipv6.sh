#!/bin/sh
# Streams over IPv6 work like IPv4 ones; modify changes direction (hold)
# and a remote that falls silent raises a stream-timeout event.
. tests/system/lib.sh

load ports=2
ip link set lo up
"$LCTL" stream-pair 0 1 'local=[::1]:0' timeout=1000 --hold 60 >"$TMP/pair" 2>"$TMP/pair.err" &
holder=$!
for _ in $(seq 100); do grep -q holding "$TMP/pair.err" && break; sleep 0.05; done
grep -q holding "$TMP/pair.err" || fail "stream-pair over IPv6: $(cat "$TMP/pair.err")"
cat "$TMP/pair"
grep -q 'local=\[::1\]:' "$TMP/pair" || fail "not bound to ::1"

sox -n -r 8000 -e signed -b 16 -c 1 -t raw "$TMP/a.raw" synth 2 sine 800 vol 0.3 2>/dev/null
"$VPHONE" 0 speak "$TMP/a.raw" &
sp=$!
sleep 0.8
"$VPHONE" 1 listen 0.5s >"$TMP/heard.raw"
wait $sp
r=$("$TOP/build/audiostat" "$TMP/heard.raw")
echo "handset 1 hears: $r"
echo "$r" | awk -F'[= ]' '{ exit !($2 > 799 && $2 < 801 && $6 >= 30) }' || fail "no 800 Hz over IPv6"
ok "audio over IPv6"

# Hold: stream 1 (port 0) stops sending; port 1's stream times out.
id0=$(sed -n '1s/^stream \([0-9]*\) .*/\1/p' "$TMP/pair")
listen to events -n 1 -t 10
"$LCTL" stream-set "$id0" dir=recvonly
collect to
cat "$TMP/to"
grep -q "line1 stream-timeout" "$TMP/to" || fail "no stream-timeout at port 1"
ok "holding one side times out the other after 1 s"

kill $holder
wait $holder || true
