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

# The frame clock runs: frames advance by about 100 a second.
f1=$("$LCTL" ports 0 | sed 's/.* frames=\([0-9]*\).*/\1/')
sleep 1
f2=$("$LCTL" ports 0 | sed 's/.* frames=\([0-9]*\).*/\1/')
d=$((f2 - f1))
[ "$d" -ge 80 ] && [ "$d" -le 130 ] || fail "frames advanced by $d in 1 s, want about 100"
ok "frame clock: $d frames in 1 s"

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
