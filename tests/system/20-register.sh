#!/bin/sh
# linecardd against kamailio (Digest, qop=auth): every enabled port
# registers at start, a disabled one does not; linecardctl enable puts a
# REGISTER on the wire within a second and disable removes the binding;
# status shows hook, numbers and states; an off-hook port registered hears
# dial tone, a disabled one nothing.  Port 4's Digest user (alice2000) is
# not its number (2000).
. tests/system/lib.sh
SIP_DIR=$TOP/tests/sip
. tests/sip/lib.sh
. tests/system/daemon.sh

load ports=5
kam_start

lcd_conf -- "$(lcd_port 0 1000)" "$(lcd_port 1 1001)" "$(lcd_port 2 1002)" \
	"$(lcd_port 3 1003 enabled=no)" "[port 4]
number = 2000
auth_user = alice2000
password = $(kam_password alice2000)"
cap_start sip 5060 5062
lcd_start
for n in 1000 1001 1002 2000; do
	kam_wait_registered "$n" 10
done
ok "ports 0-2 and 4 registered at start: $(kam_aors | sort | tr '\n' ' ')"
[ -z "$(kam_contacts 1003)" ] || fail "disabled port 3 registered"
ok "disabled port 3 did not register"

for p in 0 1 2; do
	lcd_wait_state $p registered 5
done
expect_eq "port 3 state" "$(lcd_field 3 state)" unregistered
expect_eq "port 3 enabled" "$(lcd_field 3 enabled)" false
expect_eq "port 1 number" "$(lcd_field 1 number)" 1001
granted=$(lcd_field 0 granted_expires)
[ -n "$granted" ] && [ "$granted" -gt 0 ] || fail "no granted expiry: $(lcctl --json status)"
ok "granted expiry $granted s"
lcctl status

# linecardctl enable: the REGISTER is on the wire within a second.
t0=$(date +%s.%N)
lcctl enable 3 || fail "linecardctl enable 3"
kam_wait_registered 1003 10
cap_stop sip
users=$(tshark -r "$TMP/sip.pcap" -d udp.port==5062,sip -Y 'sip.Method == "REGISTER" && sip.from.user == "2000"' \
	-T fields -e sip.auth.username 2>/dev/null | grep -v '^$' | sort -u)
expect_eq "port 4's Digest user name" "$users" '"alice2000"'
t1=$(cap_register_times "$TMP/sip.pcap" 1003 | head -1)
[ -n "$t1" ] || fail "no REGISTER from 1003 in the capture"
delay=$(echo "$t1 - $t0" | bc)
echo "enable -> REGISTER: $delay s"
[ "$(echo "$delay >= 0 && $delay < 1" | bc)" = 1 ] || fail "REGISTER $delay s after enable"
ok "enable 3: REGISTER after $delay s, registered"
lcd_wait_state 3 registered 5

# disable: Expires 0, the binding is gone.
lcctl disable 3 || fail "linecardctl disable 3"
kam_wait_unregistered 1003 5
lcd_wait_state 3 unregistered 5
ok "disable 3 removed the binding"

# Hook state in the status, and the tone an off-hook port hears.
"$VPHONE" 0 offhook
sleep 0.3
expect_eq "port 0 hook" "$(lcd_field 0 hook)" off
"$VPHONE" 0 listen 1s >"$TMP/dial.raw"
f=$(sox_freq "$TMP/dial.raw")
echo "registered port 0 off hook hears $f Hz"
[ "$(echo "$f > 415 && $f < 435" | bc)" = 1 ] || fail "dial tone at $f Hz, wanted 425"
ok "registered: dial tone (425 Hz)"
"$VPHONE" 0 onhook

# A disabled port is left alone: no tone off hook.
"$VPHONE" 3 offhook
sleep 0.3
"$VPHONE" 3 listen 1s >"$TMP/idle.raw"
rms=$("$TOP/build/audiostat" "$TMP/idle.raw" | sed -n 's/.*rms=\([0-9.]*\).*/\1/p')
[ "$(echo "$rms < 0.001" | bc)" = 1 ] || fail "disabled port 3 off hook hears rms $rms"
ok "disabled port: silence off hook"
"$VPHONE" 3 onhook

lcd_stop
expect_eq "exit status after SIGTERM" "$lcd_status" 0
