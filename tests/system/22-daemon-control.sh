#!/bin/sh
# linecardd as a service: a bad config line stops it with the file and
# line named; SIGHUP re-registers only the port whose section changed and
# a bad file is refused while the running config stays; enable/disable
# --save rewrite the file; SIGTERM unregisters every port and exits 0;
# linecardctl's exit codes; no password in any output.
. tests/system/lib.sh
SIP_DIR=$TOP/tests/sip
. tests/sip/lib.sh
. tests/system/daemon.sh

load ports=3
kam_start

# A bad line: exit 1, "FILE:LINE: ..." on stderr.
lcd_conf -- "$(lcd_port 0 1000)" "[port 1]" "number = 1001" "codecs = pcmu,opus"
if "$LCD" -c "$LCD_CONF" -s "$LCD_SOCK" 2>"$TMP/bad.err"; then
	fail "linecardd started with a bad config"
fi
cat "$TMP/bad.err"
grep -q "$LCD_CONF:12: codecs" "$TMP/bad.err" || fail "the bad line is not named"
ok "bad config: refused, line 12 named"
"$LCD" -t -c "$LCD_CONF" >/dev/null 2>&1 && fail "-t accepted a bad config"
ok "-t rejects it too"

# linecardctl without a daemon.
rc=0
lcctl status 2>"$TMP/ctl.err" || rc=$?
expect_eq "linecardctl exit status without linecardd" "$rc" 3
grep -q "is linecardd running" "$TMP/ctl.err" || fail "unclear error: $(cat "$TMP/ctl.err")"
rc=0
lcctl enable 999 2>/dev/null || rc=$?
expect_eq "linecardctl exit status for a bad port" "$rc" 2

# A config readable by others is warned about.
lcd_conf -- "$(lcd_port 0 1000)" "$(lcd_port 1 1001)" "$(lcd_port 2 1002 enabled=no)"
chmod 644 "$LCD_CONF"
lcd_start
grep -q "warning: .*readable" "$LCD_LOG" || fail "no warning for a world-readable config"
ok "world-readable config: warned"
chmod 600 "$LCD_CONF"
kam_wait_registered 1000 10
kam_wait_registered 1001 10
lcd_wait_state 0 registered 5
lcd_wait_state 1 registered 5

# SIGHUP with port 1 changed: only 1001 sends REGISTERs.
cap_start hup 5060 5062
lcd_conf -- "$(lcd_port 0 1000)" "$(lcd_port 1 1001 display_name=Kitchen)" \
	"$(lcd_port 2 1002 enabled=no)"
kill -HUP "$LCD_PID"
for _ in $(seq 100); do
	grep -q "configuration reloaded" "$LCD_LOG" && break
	sleep 0.05
done
grep -q "configuration reloaded: 1 ports changed" "$LCD_LOG" || fail "reload: $(tail -5 "$LCD_LOG")"
lcd_wait_state 1 registered 5
sleep 1
cap_stop hup
users=$(tshark -r "$TMP/hup.pcap" -d udp.port==5062,sip -Y 'sip.Method == "REGISTER"' \
	-T fields -e sip.from.user 2>/dev/null | sort -u | tr '\n' ' ')
expect_eq "REGISTERs after SIGHUP come from" "$users" "1001 "
tshark -r "$TMP/hup.pcap" -d udp.port==5062,sip -Y 'sip.Method == "REGISTER"' \
	-T fields -e sip.from.display.info 2>/dev/null | grep -q Kitchen ||
	fail "the new display name is not in the REGISTER"
ok "SIGHUP: only the changed port re-registered, with its new settings"

# A reload with a bad file keeps the running configuration.
cp "$LCD_CONF" "$TMP/good.conf"
bad=$(($(wc -l <"$LCD_CONF") + 1))
printf 'bogus line\n' >>"$LCD_CONF"
kill -HUP "$LCD_PID"
for _ in $(seq 100); do
	grep -q "reload refused" "$LCD_LOG" && break
	sleep 0.05
done
grep "reload refused" "$LCD_LOG" | grep -q "$LCD_CONF:$bad:" || fail "bad reload: $(tail -3 "$LCD_LOG")"
expect_eq "port 0 after a refused reload" "$(lcd_field 0 state)" registered
expect_eq "port 1 after a refused reload" "$(lcd_field 1 state)" registered
ok "reload with a bad line refused, line named, ports untouched"
cp "$TMP/good.conf" "$LCD_CONF"

# enable --save / disable --save rewrite the file, atomically.
lcctl --save enable 2 || fail "enable --save"
kam_wait_registered 1002 10
grep -A4 '^\[port 2\]' "$LCD_CONF" | grep -q '^enabled = yes$' || fail "not saved: $(cat "$LCD_CONF")"
"$LCD" -t -c "$LCD_CONF" >/dev/null || fail "the saved file does not parse"
expect_eq "mode of the saved file" "$(stat -c %a "$LCD_CONF")" 600
lcctl --save disable 0 || fail "disable --save"
kam_wait_unregistered 1000 5
grep -A4 '^\[port 0\]' "$LCD_CONF" | grep -q '^enabled = no$' || fail "not saved: $(cat "$LCD_CONF")"
ok "enable/disable --save: written, valid, mode kept"
# A reload now changes nothing: the running config matches the file.
kill -HUP "$LCD_PID"
for _ in $(seq 100); do
	[ "$(grep -c "configuration reloaded" "$LCD_LOG")" -ge 2 ] && break
	sleep 0.05
done
grep "configuration reloaded" "$LCD_LOG" | tail -1 | grep -q ": 0 ports changed" ||
	fail "reload after --save: $(grep "configuration reloaded" "$LCD_LOG" | tail -1)"
ok "reload after --save: nothing to do"

lcctl status >"$TMP/status.txt"
lcctl --json status >"$TMP/status.json"
cat "$TMP/status.txt"

# SIGTERM: every port unregisters, exit 0.
cap_start term 5060 5062
lcd_stop
sleep 1
cap_stop term
expect_eq "exit status after SIGTERM" "$lcd_status" 0
for n in 1000 1001 1002; do
	[ -z "$(kam_contacts $n)" ] || fail "$n still registered after SIGTERM"
done
unreg=$(tshark -r "$TMP/term.pcap" -d udp.port==5062,sip \
	-Y 'sip.Method == "REGISTER" && sip.Expires == 0' -T fields -e sip.from.user 2>/dev/null |
	sort -u | tr '\n' ' ')
expect_eq "un-REGISTERs at SIGTERM" "$unreg" "1001 1002 "
ok "SIGTERM: every registered port unregistered"

for f in "$LCD_LOG" "$TMP/status.txt" "$TMP/status.json" "$TMP/bad.err"; do
	for pw in secret-1000 secret-1001 secret-1002; do
		if grep -q "$pw" "$f"; then
			fail "password $pw in $f"
		fi
	done
done
ok "no password in the log, the status or the errors"
