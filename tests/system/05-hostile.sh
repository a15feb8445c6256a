#!/bin/sh
# Malformed netlink attributes and ioctl arguments are refused with
# EINVAL / EFAULT / ENODEV / ENOTTY, an unprivileged process gets EPERM, and
# none of it makes the kernel warn (the guest runs with panic_on_warn).
. tests/system/lib.sh

load ports=2
"$LCTL" malformed || fail "malformed netlink requests"
"$LCTL" ioctl-bad 0 || fail "malformed ioctls"

chmod 666 /dev/line0
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$LCTL" unpriv 0 || fail "unprivileged process"

# Still healthy: the port works after all of that.
listen ev events -n 2 -t 20
"$VPHONE" 0 offhook
"$VPHONE" 0 dial 7
collect ev
expect_eq "port works after hostile input" "$(cat "$TMP/ev" | cut -d' ' -f1-3)" "line0 offhook
line0 digit 7"
if dmesg | grep -E "WARNING|BUG|Oops"; then
	fail "kernel complained"
fi
ok "no kernel warning"
