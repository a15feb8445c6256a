#!/bin/sh
# A wrong password against kamailio: the attempts back off exponentially
# with jitter (measured from a capture), each attempt answers one
# challenge only, status says failed with the code, and the off-hook port
# hears the special information tone.  With the right password after a
# SIGHUP, it registers.
. tests/system/lib.sh
SIP_DIR=$TOP/tests/sip
. tests/sip/lib.sh
. tests/system/daemon.sh

load ports=1
kam_start

# retry_min 1, retry_max 8: waits in [1,2], [2,4], [4,8], [4,8] s.
lcd_conf -- "[port 0]
number = 1000
password = not-the-password"
cap_start sip 5060 5062
lcd_start
sleep 17
"$VPHONE" 0 offhook
sleep 0.3
"$VPHONE" 0 listen 1200ms >"$TMP/sit.raw"
cap_stop sip

expect_eq "state" "$(lcd_field 0 state)" failed
expect_eq "last status" "$(lcd_field 0 last_status)" 401
lcctl status

# Attempts: REGISTERs without credentials start one; with them, one each.
tshark -r "$TMP/sip.pcap" -d udp.port==5062,sip -Y 'sip.Method == "REGISTER"' \
	-T fields -e frame.time_epoch -e sip.Authorization 2>/dev/null >"$TMP/regs"
awk -F '\t' '$2 == "" { print $1 }' "$TMP/regs" >"$TMP/starts"
plain=$(wc -l <"$TMP/starts")
auth=$(awk -F '\t' '$2 != ""' "$TMP/regs" | wc -l)
echo "attempts: $plain, with credentials: $auth"
[ "$plain" -ge 4 ] || fail "only $plain attempts in 17 s"
[ "$auth" -le "$plain" ] || fail "$auth authenticated REGISTERs for $plain attempts: a retry loop"
ok "one challenge answered per attempt ($plain attempts)"

# Intervals: within [1,2], [2,4], [4,8], ... (plus the time of one
# exchange), growing, and not all at the same point of their interval.
awk 'NR > 1 { print $1 - prev } { prev = $1 }' "$TMP/starts" >"$TMP/gaps"
cat "$TMP/gaps" | tr '\n' ' '
echo
awk 'BEGIN { lo = 1; hi = 2; bad = 0; jit = 0 }
	NR <= 3 {
		if ($1 < lo - 0.05 || $1 > hi + 0.5) { bad = 1; print "gap " NR ": " $1 " not in [" lo ", " hi "]" }
		f = ($1 - lo) / (hi - lo)
		if (NR > 1 && (f - pf > 0.05 || pf - f > 0.05)) jit = 1
		pf = f; lo *= 2; hi *= 2; if (hi > 8) hi = 8; if (lo > 4) lo = 4
	}
	END { if (bad) exit 1; if (!jit) { print "no jitter"; exit 2 } }' "$TMP/gaps" ||
	fail "back-off intervals wrong"
ok "back-off grows within its bounds, with jitter"

f=$(sox_freq "$TMP/sit.raw")
echo "unregistered port off hook hears $f Hz"
case $(echo "$f" | cut -d. -f1) in
9[45]?|139?|140?|179?|180?) ok "no service: special information tone ($f Hz)" ;;
*) fail "off-hook tone $f Hz is not the special information tone" ;;
esac
"$VPHONE" 0 onhook

# The right password through SIGHUP: registers without waiting for the
# back-off to run out.
lcd_conf -- "$(lcd_port 0 1000)"
kill -HUP "$LCD_PID"
kam_wait_registered 1000 5
lcd_wait_state 0 registered 5
ok "after SIGHUP with the right password: registered"
if grep -q "not-the-password\|secret-1000" "$LCD_LOG"; then
	fail "a password in the log"
fi
ok "no password in the log"
lcd_stop
expect_eq "exit status" "$lcd_status" 0
