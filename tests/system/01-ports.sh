#!/bin/sh
# Ports appear as /dev/lineN and in sysfs and netlink, with their handsets;
# 64 virtual ports work.
. tests/system/lib.sh

load ports=2
[ -c /dev/line0 ] && [ -c /dev/line1 ] || fail "no /dev/line0 and /dev/line1"
[ ! -e /dev/line2 ] || fail "/dev/line2 exists with ports=2"
[ -c /dev/vphone0 ] && [ -c /dev/vphone1 ] || fail "no handsets"
[ -d /sys/class/linecard/line0 ] || fail "no sysfs class linecard"
ok "two ports and their handsets"

mode=$(stat -c %a /dev/line0)
expect_eq "device mode" "$mode" 660

"$LCTL" ports >"$TMP/ports"
cat "$TMP/ports"
expect_eq "netlink dump lists both ports" "$(cut -d' ' -f1-3 "$TMP/ports")" \
"line0 backend=vport hook=on
line1 backend=vport hook=on"
grep -q "flash=100-800" "$TMP/ports" || fail "default flash window is not 100-800 ms"
ok "default flash window"

"$LCTL" info 1 >"$TMP/info"
expect_eq "GET_INFO" "$(cut -d' ' -f1-3 "$TMP/info")" "line1 backend=vport hook=on"

# The frame clock runs at 100 frames a second of wall time.
frames() { "$LCTL" ports 0 | sed 's/.* frames=\([0-9]*\).*/\1/'; }
# Each sample is timed at the middle of the command that takes it.
a=$(date +%s%N); f1=$(frames); b=$(date +%s%N)
sleep 3
c=$(date +%s%N); f2=$(frames); d=$(date +%s%N)
t1=$(( (a + b) / 2 )); t2=$(( (c + d) / 2 ))
rate=$(( (f2 - f1) * 1000000000 / (t2 - t1) ))
[ "$rate" -ge 85 ] && [ "$rate" -le 115 ] || fail "$((f2 - f1)) frames in $(( (t2 - t1) / 1000000 )) ms"
ok "frame clock: $rate frames a second"

unload
[ ! -e /dev/line0 ] || fail "/dev/line0 left behind"

load ports=64
[ -c /dev/line63 ] && [ -c /dev/vphone63 ] || fail "no /dev/line63 with ports=64"
n=$("$LCTL" ports | wc -l)
expect_eq "64 ports in the dump" "$n" 64
echo off >/sys/class/vphone/vphone63/hook
sleep 0.1
"$LCTL" ports 63 | grep -q "hook=off" || fail "port 63 not off hook"
ok "port 63 goes off hook"
unload

if insmod "$TOP/kernel/linecard.ko" && insmod "$TOP/kernel/linecard_vport.ko" ports=0 2>/dev/null; then
	fail "ports=0 accepted"
fi
ok "ports=0 refused"
rmmod linecard
