#!/bin/sh
# linecardd against sipp registrars that each check one behaviour and fail
# when it is wrong (tests/sip/reg-*.xml): a refresh timed from the expiry
# granted, not the one requested; 423 retried with Min-Expires; 503 with
# Retry-After honoured; a registrar that stops answering and comes back;
# Digest with qop=auth verified by the scenario.
. tests/system/lib.sh
SIP_DIR=$TOP/tests/sip
KAM_PORT=5070	# lcd_conf's registrar: sipp here, no kamailio
. tests/sip/lib.sh
. tests/system/daemon.sh

load ports=1
ip link set lo up

# scenario NAME EXPIRES [SIPP-ARGS...]: sipp as the registrar on 5070,
# linecardd with one port asking for EXPIRES s, until sipp ends;
# scenario_bg returns once both run.
scenario_bg() {
	name=$1
	expires=$2
	run=$(echo "$name" | tr -c 'a-z0-9\n' _)
	shift 2
	sipp_start "$run" -sf "$SIP_DIR/$name.xml" -i 127.0.0.1 -p 5070 -m 1 -timeout 120s "$@"
	wait_udp_port 5070 || fail "$name: sipp did not start"
	lcd_conf "expires = $expires" -- "[port 0]
number = 1000
password = secret-1000"
	: >"$LCD_LOG"
	lcd_start
}

# scenario_end: wait for sipp's verdict.
scenario_end() {
	if ! sipp_wait "$run" 150; then
		cat "$LCD_LOG" >&2
		fail "$name: the registrar's checks failed"
	fi
}

scenario() {
	scenario_bg "$@"
	scenario_end
	lcd_stop
	expect_eq "$name: linecardd's exit status" "$lcd_status" 0
}

scenario reg-short-expiry 3600
ok "granted 10 s of 3600 asked: refreshed before the 10 s ran out"

# 600 s asked, Min-Expires 1800: the NUA re-negotiates by itself.
scenario reg-423 600
ok "423 (600 < Min-Expires 1800): retried at once with 1800"
# 3600 asked, yet 423 with Min-Expires 1800: linecardd retries at once
# asking for exactly what the registrar named.
scenario reg-423 3600
grep -q "423 Interval Too Brief: asking for 1800 s" "$LCD_LOG" || fail "no immediate retry"
grep -q "registration failed" "$LCD_LOG" && fail "a 423 went through the back-off"
ok "423 (3600 > Min-Expires 1800): retried at once with 1800"

# 503 with Retry-After: 5: no REGISTER before the 5 s are over.
scenario reg-503 3600 -set retry_after 5
ok "503 Retry-After 5: the retry waited it out"

# A registrar silent for 20 s: the first REGISTER times out (32 s), the
# retry comes within the back-off bound (retry_max 8 s) and registers.
scenario reg-silent 3600 -set silence 20 -set answer_within 25
ok "registrar silent, then back: registered again within the back-off bound"

# Digest with qop=auth, and without qop: the scenario checks the response
# itself (verifyauth), not only that one came.
scenario reg-qop 3600 -set auth_user 1000 -set password secret-1000
ok "401 with qop=auth: the digest response verified by the registrar"
scenario reg-qop 3600 -set auth_user 1000 -set password secret-1000 -set qop none
ok "401 without qop: the digest response verified by the registrar"

# Through an outbound proxy that challenges with 407: the REGISTER goes to
# the proxy's port but names the registrar, and the Proxy-Authorization's
# digest is verified by the proxy scenario.
run=reg_proxy_407
name=reg-proxy-407
sipp_start "$run" -sf "$SIP_DIR/reg-proxy-407.xml" -i 127.0.0.1 -p 5071 -m 1 -timeout 120s \
	-set auth_user 1000 -set password secret-1000 -set registrar 127.0.0.1:5099
wait_udp_port 5071 || fail "the proxy scenario did not start"
lcd_conf "outbound_proxy = 127.0.0.1:5071" -- "[port 0]
number = 1000
password = secret-1000"
sed -i 's/^registrar = .*/registrar = 127.0.0.1:5099/' "$LCD_CONF"
: >"$LCD_LOG"
lcd_start
scenario_end
lcd_wait_state 0 registered 5
lcd_stop
# The Proxy-Authorization's response, recomputed here (RFC 2617, qop=auth).
set -- $(sed -n 's/.*DIGEST \(.*\)/\1/p' "$TMP/$run.log" | head -1)
[ $# -ge 8 ] || fail "no DIGEST line in the proxy's log"
md5() { printf '%s' "$1" | md5sum | cut -d' ' -f1; }
ha1=$(md5 "$1:$2:secret-1000")
ha2=$(md5 "REGISTER:$4")
want=$(md5 "$ha1:$3:$6:$7:$5:$ha2")
expect_eq "user, realm, qop" "$1 $2 $5" "1000 proxy-sipp auth"
expect_eq "Proxy-Authorization response (recomputed)" "$8" "$want"
ok "outbound proxy with 407: REGISTER for the registrar sent to the proxy, digest verified"

# A refresh answered 403 while the binding has time left: "retrying", not
# failed, and the retry comes before the 20 s granted run out even though
# the back-off alone (retry_min 30 s) would wait longer.
LCD_RETRY_MIN=30
LCD_RETRY_MAX=60
scenario_bg reg-refresh-fails 3600
end=$(($(date +%s) + 30))
LCD_SNAP=1
while lcd_snap && [ "$(lcd_field 0 state)" != retrying ]; do
	[ "$(date +%s)" -lt "$end" ] || fail "port 0: never retrying: $(cat "$TMP/snap.json")"
	sleep 0.05
done
left=$(lcd_field 0 expires_in)
LCD_SNAP=
[ -n "$left" ] && [ "$left" -gt 0 ] && [ "$left" -le 20 ] ||
	fail "retrying with expires_in '$left': $(cat "$TMP/snap.json")"
ok "refresh failed, binding valid for $left s more: shown as retrying"
scenario_end
lcd_wait_state 0 registered 5
ok "retried before the binding lapsed, registered again"
lcd_stop
