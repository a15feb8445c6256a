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
	if ! sipp_wait "$run"; then
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

# A refresh answered 403 while the binding has time left: "retrying", not
# failed, and the retry comes before the 20 s granted run out even though
# the back-off alone (retry_min 30 s) would wait longer.
LCD_RETRY_MIN=30
LCD_RETRY_MAX=60
scenario_bg reg-refresh-fails 3600
lcd_wait_state 0 retrying 30
left=$(lcd_field 0 expires_in)
[ -n "$left" ] && [ "$left" -gt 0 ] || fail "retrying without a valid binding"
ok "refresh failed, binding valid for $left s more: shown as retrying"
scenario_end
lcd_wait_state 0 registered 5
ok "retried before the binding lapsed, registered again"
lcd_stop
