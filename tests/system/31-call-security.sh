#!/bin/sh
# SIP scanners: an INVITE sent straight to the device from an address that
# is neither the registrar nor the proxy is refused with 403 and the phone
# never rings; with allow_direct_calls = yes the same INVITE rings it.
. tests/system/lib.sh
SIP_DIR=$TOP/tests/sip
. tests/sip/lib.sh
. tests/system/daemon.sh

load ports=2
kam_start
lcd_conf -- "$(lcd_port 0 1000)" "$(lcd_port 1 1001)"
lcd_start
kam_wait_registered 1001 10

# 127.0.0.2 is on lo too, but it is not the registrar (127.0.0.1).
sipp_start scan -sf "$SIP_DIR/uac/invite-direct.xml" 127.0.0.1:5062 -i 127.0.0.2 -p 5074 \
	-m 1 -nd -s 1001
sipp_wait scan 60 || fail "the direct INVITE was not refused with 403"
grep -q "refused a request from 127.0.0.2" "$LCD_LOG" || fail "no log of the refusal"
expect_eq "rings at port 1" "$("$VPHONE" 1 ring-log | wc -l)" 0
expect_eq "port 1's call state" "$(lcd_field 1 call)" idle
ok "INVITE from 127.0.0.2 (not the registrar): 403, the phone never rang"
lcd_stop

# Opted in: the same INVITE rings the phone.
lcd_conf "allow_direct_calls = yes" -- "$(lcd_port 0 1000)" "$(lcd_port 1 1001)"
lcd_start
kam_wait_registered 1001 10
sipp_start direct -sf "$SIP_DIR/uac/invite-direct.xml" 127.0.0.1:5062 -i 127.0.0.2 -p 5075 \
	-m 1 -nd -s 1001 -timeout 10s
"$VPHONE" 1 wait-ring 10 || fail "allow_direct_calls = yes: the phone did not ring"
ok "allow_direct_calls = yes: a direct INVITE rings the phone"
lcd_stop
expect_eq "exit status" "$lcd_status" 0
sipp_stop direct
