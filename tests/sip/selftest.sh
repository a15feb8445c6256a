#!/bin/sh
# Proof of the SIP peers under tests/sip, with sipp as the client (no
# linecardd needed):
#   - kamailio registers two users with Digest (one whose auth user is not
#     its number), refuses a wrong password and a user acting as another,
#     unregisters one, and proxies an authenticated call between users;
#     the capture helpers see those REGISTERs;
#   - each registrar scenario (reg-*.xml) passes a client that behaves and
#     fails (sipp exit 1) one that does not.
# Runs in the guest, about a minute and a half under TCG, so it is not one
# of the tests make check runs:
#   scripts/qemu-run --timeout 400 -- tests/sip/selftest.sh
. tests/system/lib.sh
. tests/sip/lib.sh

UAS_PORT=5070
UAC_PORT=5071

contact() {
	echo "sip:$1@127.0.0.1:$2;transport=udp"
}

# register NAME NUMBER AUTHUSER PASSWORD PORT [SIPP-ARGS...]
register() {
	name=$1
	number=$2
	user=$3
	password=$4
	port=$5
	shift 5
	# shellcheck disable=SC2153 # KAM_PORT is tests/sip/lib.sh's
	sipp_start "$name" -sf "$SIP_DIR/uac/register-auth.xml" "127.0.0.1:$KAM_PORT" \
		-i 127.0.0.1 -p "$port" -m 1 -nd -s "$number" -au "$user" -ap "$password" "$@"
}

kam_start
ok "kamailio serves on 127.0.0.1:$KAM_PORT"

cap_start reg "$KAM_PORT"
register r1000 1000 1000 "$(kam_password 1000)" 5081
register r2000 2000 alice2000 "$(kam_password alice2000)" 5082
sipp_wait r1000 30 || fail "1000 did not register"
sipp_wait r2000 30 || fail "2000 (auth user alice2000) did not register"
expect_eq "1000's contacts" "$(kam_contacts 1000)" "$(contact 1000 5081)"
expect_eq "2000's contacts" "$(kam_contacts 2000@127.0.0.1)" "$(contact 2000 5082)"
expect_eq "registered AORs" "$(kam_aors | sort | tr '\n' ' ')" "1000 2000 "

rc=0
register bad_pw 1001 1001 wrong 5083
sipp_wait bad_pw 30 2>/dev/null || rc=$?
expect_eq "wrong password: registration fails" "$rc" 1
grep -q '^SIP/2.0 401' "$TMP/bad_pw.msg" || fail "wrong password: no second 401"
rc=0
register bad_owner 1002 1000 "$(kam_password 1000)" 5084
sipp_wait bad_owner 30 2>/dev/null || rc=$?
expect_eq "1000 registering 1002: refused" "$rc" 1
grep -q '^SIP/2.0 403' "$TMP/bad_owner.msg" || fail "1000 registering 1002: no 403"
expect_eq "no binding for 1001 or 1002" "$(kam_contacts 1001)$(kam_contacts 1002)" ""

register unreg 1000 1000 "$(kam_password 1000)" 5081 -set expires 0
sipp_wait unreg 30 || fail "1000 did not unregister"
kam_wait_unregistered 1000 5
ok "1000 unregistered"
expect_eq "2000 still registered" "$(kam_contacts 2000)" "$(contact 2000 5082)"
cap_stop reg

# Per REGISTER "TIME FROM-USER CSEQ EXPIRES CONTACT-EXPIRES": 2 each for
# 1000, 2000, 1001, 1002 (challenge, answer) and 2 for the unregistration.
regs=$(cap_registers "$TMP/reg.pcap" "$KAM_PORT")
expect_eq "REGISTERs captured" "$(echo "$regs" | wc -l)" 10
expect_eq "the unregistration on the wire" \
	"$(echo "$regs" | awk '$2 == 1000 && $4 == 0 { print $2, $3, $4, $5 }')" \
	"1000 1 0 -
1000 2 0 -"
expect_eq "answers to 1001's REGISTERs" \
	"$(cap_responses "$TMP/reg.pcap" "$KAM_PORT" | awk '$4 == 1001 { print $2, $3 }' | tr '\n' ' ')" \
	"401 REGISTER 401 REGISTER "

# A call from 1000 to 2000 through kamailio: 407, then routed to the
# contact 2000 registered (a sipp UAS now listens there).
sipp_start callee -sn uas -i 127.0.0.1 -p 5082 -m 1
wait_udp_port 5082 || fail "callee did not start"
sipp_start caller -sf "$SIP_DIR/uac/call-auth.xml" "127.0.0.1:$KAM_PORT" -i 127.0.0.1 -p 5083 \
	-m 1 -s 2000 -au 1000 -ap "$(kam_password 1000)" -set from 1000
sipp_wait caller 30 || fail "call 1000 -> 2000 failed"
sipp_wait callee 30 || fail "2000 did not take the call"
grep -q '^SIP/2.0 407' "$TMP/caller.msg" || fail "the INVITE was not challenged"
ok "call 1000 -> 2000 through kamailio with proxy authentication"
kam_stop

# scenario NAME WANT UAS-XML [UAS-ARGS...] -- UAC-XML [UAC-ARGS...]:
# the registrar scenario against a sipp client; WANT is sipp's exit
# status, 0 (the client behaved) or 1 (the scenario caught it).
scenario() {
	name=$1
	want=$2
	uas=$3
	shift 3
	uas_args=
	while [ "$1" != -- ]; do
		uas_args="$uas_args $1"
		shift
	done
	uac=$2
	shift 2
	# shellcheck disable=SC2086
	sipp_start uas -sf "$SIP_DIR/$uas" -i 127.0.0.1 -p "$UAS_PORT" -m 1 $uas_args
	wait_udp_port "$UAS_PORT" || fail "$name: sipp registrar did not start"
	sipp_start uac -sf "$SIP_DIR/uac/$uac" "127.0.0.1:$UAS_PORT" -i 127.0.0.1 \
		-p "$UAC_PORT" -m 1 -nd -s 1000 "$@"
	rc=0
	if [ "$want" -eq 0 ]; then
		sipp_wait uas 60 || rc=$?
	else
		# the failure it must report is expected: keep it quiet
		sipp_wait uas 60 2>/dev/null || rc=$?
		grep -q "FAIL ${uas%.xml}" "$TMP/uas.err" ||
			{ cat "$TMP/uas.err" >&2; fail "$name: no FAIL line"; }
	fi
	if [ "$want" -eq 0 ]; then
		sipp_wait uac 10 || fail "$name: the client did not end well"
	fi
	sipp_stop uac
	expect_eq "$name (sipp's verdict)" "$rc" "$want"
	[ "$want" -eq 0 ] || sed -n 's/.*\(FAIL .*\)/    \1/p' "$TMP/uas.err"
	# the ports are free for the next run
	n=50
	while wait_udp_port "$UAS_PORT" 0 || wait_udp_port "$UAC_PORT" 0; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || fail "$name: sipp still holds port $UAS_PORT or $UAC_PORT"
		sleep 0.1
	done
}

scenario "short expiry: refresh within the 10 s granted" 0 \
	reg-short-expiry.xml -- refresh.xml -set pause_ms 3000
scenario "short expiry: refresh after 11 s caught" 1 \
	reg-short-expiry.xml -- refresh.xml -set pause_ms 11000
scenario "short expiry: refresh at once caught" 1 \
	reg-short-expiry.xml -- refresh.xml -set pause_ms 0
scenario "short expiry: unregistering instead caught" 1 \
	reg-short-expiry.xml -- refresh.xml -set pause_ms 3000 -set refresh_expires 0

scenario "423: retry with Expires 1800" 0 \
	reg-423.xml -- retry.xml -set exp1 600 -set exp2 1800
scenario "423: retry with ;expires=1800 on the Contact" 0 \
	reg-423.xml -- retry.xml -set exp1 600 -set exp2 600 -set cpar2 ';expires=1800'
scenario "423: retry with 1799 caught" 1 \
	reg-423.xml -- retry.xml -set exp1 600 -set exp2 1799
scenario "423: Contact's ;expires=600 beats Expires 1800, caught" 1 \
	reg-423.xml -- retry.xml -set exp1 600 -set exp2 1800 -set cpar2 ';expires=600'

scenario "503: REGISTER again after Retry-After 2" 0 \
	reg-503.xml -set retry_after 2 -- retry.xml -set pause_ms 2500
scenario "503: REGISTER again after 0.5 s of Retry-After 2 caught" 1 \
	reg-503.xml -set retry_after 2 -- retry.xml -set pause_ms 500

scenario "silent 3 s: two transactions swallowed, the third answered" 0 \
	reg-silent.xml -set silence 3 -- silent.xml -nr -set pause_ms 1500
scenario "silent 3 s: coming back after 6.5 s with a 2 s bound caught" 1 \
	reg-silent.xml -set silence 3 -set answer_within 2 -- silent.xml -nr -set pause_ms 4000

scenario "qop=auth: alice2000's digest verified" 0 \
	reg-qop.xml -set auth_user alice2000 -set password secret-alice2000 -- \
	register-auth.xml -s 2000 -au alice2000 -ap secret-alice2000
scenario "no qop: 1000's digest verified" 0 \
	reg-qop.xml -set auth_user 1000 -set password secret-1000 -set qop none -- \
	register-auth.xml -au 1000 -ap secret-1000
scenario "qop=auth: wrong password caught" 1 \
	reg-qop.xml -set auth_user 1000 -set password secret-1000 -- \
	register-auth.xml -au 1000 -ap secret-1001
scenario "qop=auth: number as user name instead of alice2000 caught" 1 \
	reg-qop.xml -set auth_user alice2000 -set password secret-alice2000 -- \
	register-auth.xml -s 2000 -au 2000 -ap secret-alice2000
