#!/bin/sh
# linecardd under valgrind through a whole life: start, register against
# kamailio, a wrong-password port failing and retrying, status (text and
# JSON), enable/disable with --save, calls (answered and hung up, with
# caller ID and kernel streams; cancelled while ringing; to a number that
# does not exist), SIGHUP with a change and with a bad file, hook events,
# SIGTERM.  No leak, no invalid access.
. tests/system/lib.sh
SIP_DIR=$TOP/tests/sip
. tests/sip/lib.sh
. tests/system/daemon.sh
. tests/sip/media.sh

load ports=3
kam_start
lcd_conf -- "$(lcd_port 0 1000 'dial_plan=(1xxx)')" "$(lcd_port 1 1001 enabled=no)" \
	"[port 2]
number = 1002
password = wrong"
LCD_WRAP="valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --track-fds=no --log-file=$TMP/vg.log"
lcd_start
kam_wait_registered 1000 60
lcd_wait_state 0 registered 30
lcd_wait_state 2 failed 30
lcctl status >/dev/null
lcctl --json status >/dev/null
lcctl --save enable 1
kam_wait_registered 1001 30
lcd_wait_state 1 registered 30

# Calls, each path through call.c once.
"$VPHONE" 0 offhook
wait_call 0 dialtone 30
"$VPHONE" 0 dial 1001
"$VPHONE" 1 wait-ring 60 || fail "port 1 did not ring"
"$VPHONE" 1 offhook
wait_call 1 connected 30
wait_call 0 connected 30
lcctl --json status >/dev/null
"$VPHONE" 0 onhook
wait_call 1 reorder 30
"$VPHONE" 1 onhook
wait_call 0 idle 30
wait_call 1 idle 30
ok "a call answered and hung up under valgrind"
"$VPHONE" 0 offhook
wait_call 0 dialtone 30
"$VPHONE" 0 dial 1001
"$VPHONE" 1 wait-ring 60 || fail "port 1 did not ring"
"$VPHONE" 0 onhook
wait_call 1 idle 30
"$VPHONE" 0 offhook
wait_call 0 dialtone 30
"$VPHONE" 0 dial 1999
wait_call 0 reorder 30
"$VPHONE" 0 onhook
wait_call 0 idle 30
ok "a call cancelled and a call to nobody under valgrind"
lcctl disable 1
kam_wait_unregistered 1001 30
lcd_conf -- "$(lcd_port 0 1000 display_name=Hall)" "$(lcd_port 1 1001 enabled=no)"
kill -HUP "$LCD_PID"
for _ in $(seq 300); do
	grep -q "configuration reloaded" "$LCD_LOG" && break
	sleep 0.1
done
printf 'junk\n' >>"$LCD_CONF"
kill -HUP "$LCD_PID"
for _ in $(seq 300); do
	grep -q "reload refused" "$LCD_LOG" && break
	sleep 0.1
done
lcd_wait_state 0 registered 30
lcd_stop
cat "$TMP/vg.log" | grep -E "ERROR SUMMARY|definitely|indirectly|possibly|Invalid" || true
expect_eq "linecardd under valgrind: exit status" "$lcd_status" 0
grep -q "ERROR SUMMARY: 0 errors" "$TMP/vg.log" || { cat "$TMP/vg.log"; fail "valgrind errors"; }
ok "valgrind: no errors, no leaks"
