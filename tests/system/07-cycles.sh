#!/bin/sh
# 100 load/unload cycles leave no leaked minors, devices or slab memory.
. tests/system/lib.sh

slab_kb() { awk '/^Slab:/ { print $2 }' /proc/meminfo; }
# Memory in use outside the page cache (the PCM FIFOs are page allocations).
used_kb() {
	awk '/^MemTotal:/ { t = $2 } /^MemFree:/ { f = $2 } /^Buffers:/ { b = $2 }
	     /^Cached:/ { c = $2 } END { print t - f - b - c }' /proc/meminfo
}
cycle() {
	insmod "$TOP/kernel/linecard.ko"
	insmod "$TOP/kernel/linecard_vport.ko" ports=8
	echo off >/sys/class/vphone/vphone3/hook
	exec 4</dev/line2
	exec 4<&-
	rmmod linecard_vport
	rmmod linecard
}

deps
i=0
while [ $i -lt 20 ]; do cycle; i=$((i + 1)); done
sync
echo 3 >/proc/sys/vm/drop_caches
s1=$(slab_kb)
u1=$(used_kb)
while [ $i -lt 100 ]; do cycle; i=$((i + 1)); done
sync
echo 3 >/proc/sys/vm/drop_caches
s2=$(slab_kb)
u2=$(used_kb)
echo "slab after 20 cycles: $s1 kB, after 100: $s2 kB"
# One cycle allocates about 800 kB (8 ports, their handsets and FIFOs); a
# leak of even one port per cycle grows these by megabytes over 80 cycles.
[ $((s2 - s1)) -lt 512 ] || fail "slab grew by $((s2 - s1)) kB over 80 cycles"
ok "slab growth $((s2 - s1)) kB over 80 cycles"
echo "memory in use after 20 cycles: $u1 kB, after 100: $u2 kB"
[ $((u2 - u1)) -lt 4096 ] || fail "memory in use grew by $((u2 - u1)) kB over 80 cycles"
ok "memory growth $((u2 - u1)) kB over 80 cycles"

[ "$(grep -c ' line$' /proc/devices)" -eq 0 ] || fail "char region 'line' leaked"
[ "$(grep -c ' vphone$' /proc/devices)" -eq 0 ] || fail "char region 'vphone' leaked"
ok "no char regions left"

load ports=8
ls /dev/line* | tr '\n' ' '
echo
expect_eq "minors start at 0 again" "$(ls /sys/class/linecard | sort -V | tr '\n' ' ')" \
	"line0 line1 line2 line3 line4 line5 line6 line7 "
unload
