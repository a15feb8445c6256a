#!/bin/sh
# Unloading the virtual ports while descriptors are open, a port rings,
# a reader blocks and a listener polls: everyone is told the port went away
# (ENODEV, POLLHUP), nothing leaks, and linecard.ko unloads once the last
# descriptor closes.
. tests/system/lib.sh

load ports=2
exec 3<>/dev/line0
"$LCTL" ring 1
"$VPHONE" 1 wait-ring 2s || fail "no ring"
"$VPHONE" 0 offhook
"$LCTL" tone 0 425@-10
listen hup dev-events 1 -t 30
"$LCTL" read 0 1000000 >/dev/null 2>"$TMP/read.err" &
rp=$!
sleep 0.3

rmmod linecard_vport || fail "rmmod linecard_vport with open descriptors"
ok "linecard_vport unloaded with open descriptors and a ringing port"
[ ! -e /dev/line0 ] || fail "/dev/line0 still there"

collect hup
expect_eq "poller sees POLLHUP" "$(cat "$TMP/hup")" "hangup"
if wait $rp; then
	fail "blocked reader returned success"
fi
grep -q "No such device" "$TMP/read.err" || fail "blocked reader: $(cat "$TMP/read.err")"
ok "blocked reader gets ENODEV"

if "$LCTL" info 0 2>/dev/null; then
	fail "no /dev/line0 but lctl info works"
fi

if rmmod linecard 2>/dev/null; then
	fail "linecard unloaded while /dev/line0 is open"
fi
ok "linecard.ko stays while a descriptor is open"
exec 3<&-
rmmod linecard || fail "rmmod linecard after the last close"
ok "linecard.ko unloads after the last close"

load ports=2
[ -c /dev/line0 ] && [ -c /dev/line1 ] || fail "ports not back"
"$LCTL" ports | cut -d' ' -f1 | tr '\n' ' ' | grep -q "^line0 line1 $" || fail "port numbering"
ok "reload gives line0 and line1 again"
unload
