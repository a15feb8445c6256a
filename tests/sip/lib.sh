# Real SIP peers for the system tests: kamailio as registrar and proxy
# (tests/sip/kamailio.cfg, accounts in tests/sip/users), sipp scenarios
# (tests/sip/*.xml) and tshark captures on lo.
#
# Source after tests/system/lib.sh (uses $TOP, $TMP, fail, ok).  The
# functions keep their variables local (dash and bash have "local").  This file
# sets cleanup_hook to sip_cleanup, which stops what it started; a test
# that needs its own cleanup_hook calls sip_cleanup from it.
#
#   kam_start [KAMAILIO-ARGS...]    start kamailio, wait until it serves
#   kam_stop                        stop it (SIGTERM, bounded wait)
#   kam_contacts AOR                the registered contact URIs of AOR
#                                   (user or user@domain), one a line
#   kam_wait_registered AOR TIMEOUT [N]
#                                   wait until AOR has >= N (1) contacts
#   kam_wait_unregistered AOR TIMEOUT
#   kam_aors                        every AOR with a binding, one a line
#   kam_rpc CMD [ARGS...]           kamcmd against this kamailio
#   kam_password AUTHUSER           the password tests/sip/users gives it
#
#   sipp_start NAME SIPP-ARGS...    sipp in the background, logs in $TMP
#   sipp_wait NAME [TIMEOUT]        its exit status (prints its errors
#                                   when it is not 0); 124 and killed
#                                   if it runs past TIMEOUT seconds
#   sipp_stop NAME                  kill it if it still runs
#   wait_udp_port PORT [TIMEOUT]    until something listens on PORT
#
#   cap_start NAME [PORT...]        capture UDP on lo to $TMP/NAME.pcap
#   cap_stop NAME                   end it (the file is complete then)
#   cap_registers FILE [PORT...]    REGISTER requests: one line each,
#                                   "TIME FROM-USER CSEQ EXPIRES CONTACT-EXPIRES"
#   cap_responses FILE [PORT...]    responses: "TIME CODE CSEQ-METHOD TO-USER"
#
# Variables (set before sourcing): KAM_PORT (5060), KAM_DIR
# ($TMP/kamailio).  KAM_REALM is the Digest realm kamailio uses.
# kam_start passes its arguments to kamailio: -A WITH_RR, -A NO_INVITE_AUTH,
# -A PROXY_PORT=5080 (see the top of kamailio.cfg).
#
# The scenarios: reg-*.xml are registrars that fail (sipp exit 1, a
# "FAIL ..." line in its error file) when the client misbehaves; uac/*.xml
# are clients (register with Digest, call through the proxy, and the
# drivers selftest.sh uses).  Each file's head says how to run it.
#
# Quirks worth knowing:
#   - kamailio needs lo up; scripts/qemu-run brings it up, `ip link set lo
#     up` is harmless.
#   - sipp writes its trace files next to the scenario unless told where:
#     sipp_start always passes -error_file/-message_file/-log_file.
#   - under TCG, kamailio takes a few seconds to start and sipp about a
#     second: wait for the port, never sleep a fixed time.

SIP_DIR=$TOP/tests/sip
KAM_MODULES=/usr/lib/x86_64-linux-gnu/kamailio/modules
KAM_PORT=${KAM_PORT:-5060}
KAM_DIR=${KAM_DIR:-$TMP/kamailio}
KAM_REALM=linecard
KAM_PID=

sip_cleanup() {
	local pidvar p
	for pidvar in $(set | sed -n 's/^\(sipp_pid_[A-Za-z0-9_]*\)=.*/\1/p'); do
		eval "p=\$$pidvar"
		[ -z "$p" ] || kill "$p" 2>/dev/null || true
	done
	for pidvar in $(set | sed -n 's/^\(cap_pid_[A-Za-z0-9_]*\)=.*/\1/p'); do
		eval "p=\$$pidvar"
		[ -z "$p" ] || kill "$p" 2>/dev/null || true
	done
	kam_stop
	return 0
}
cleanup_hook() { sip_cleanup; }

kam_rpc() {
	kamcmd -s "unix:$KAM_DIR/kamailio_ctl" "$@"
}

kam_password() {
	awk -v u="$1" '!/^#/ && $2 == u { print $3 }' "$SIP_DIR/users"
}

# The db_text table kamailio's htable loads: auth user, number, password.
kam_users_table() {
	echo "auth_user(str) number(str) password(str)"
	awk '!/^#/ && NF == 3 { print $2 ":" $1 ":" $3 }' "$SIP_DIR/users"
}

kam_start() {
	[ -z "$KAM_PID" ] || fail "kam_start: kamailio already runs (pid $KAM_PID)"
	ip link set lo up 2>/dev/null || true
	mkdir -p "$KAM_DIR/db"
	kam_users_table >"$KAM_DIR/db/users"
	kamailio -f "$SIP_DIR/kamailio.cfg" -L "$KAM_MODULES" \
		-Y "$KAM_DIR" -P "$KAM_DIR/kamailio.pid" -w "$KAM_DIR" -DD -E \
		-A "DB_URL=\"text://$KAM_DIR/db\"" \
		-A "CTL_SOCK=\"unix:$KAM_DIR/kamailio_ctl\"" \
		-A "SIP_PORT=$KAM_PORT" "$@" \
		>"$KAM_DIR/kamailio.log" 2>&1 &
	KAM_PID=$!
	for _ in $(seq 300); do
		if kam_rpc core.version >/dev/null 2>&1 && wait_udp_port "$KAM_PORT" 0; then
			return 0
		fi
		kill -0 "$KAM_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$KAM_DIR/kamailio.log" >&2
	fail "kamailio did not start"
}

kam_stop() {
	[ -n "$KAM_PID" ] || return 0
	kill "$KAM_PID" 2>/dev/null || true
	for _ in $(seq 100); do
		kill -0 "$KAM_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$KAM_PID" 2>/dev/null || true
	wait "$KAM_PID" 2>/dev/null || true
	KAM_PID=
	return 0
}

# ul.lookup answers "AoR: ... Contacts: { Contact: { Address: URI ..."
# for a known AOR and an error (404 AOR not found) for one without.
kam_contacts() {
	kam_rpc ul.lookup location "s:${1%%@*}" 2>/dev/null |
		sed -n 's/^[[:space:]]*Address:[[:space:]]*//p'
}

kam_aors() {
	kam_rpc ul.dump brief 2>/dev/null | sed -n 's/^[[:space:]]*AoR:[[:space:]]*//p'
}

kam_wait_registered() {
	local aor timeout want end n
	aor=$1
	timeout=$2
	want=${3:-1}
	end=$(($(date +%s%N) / 1000000 + timeout * 1000))
	while :; do
		n=$(kam_contacts "$aor" | wc -l)
		[ "$n" -ge "$want" ] && return 0
		[ "$(($(date +%s%N) / 1000000))" -lt "$end" ] || break
		sleep 0.1
	done
	fail "$aor: $n contact(s) after ${timeout}s, wanted $want"
}

kam_wait_unregistered() {
	local end
	end=$(($(date +%s%N) / 1000000 + $2 * 1000))
	while [ -n "$(kam_contacts "$1")" ]; do
		[ "$(($(date +%s%N) / 1000000))" -lt "$end" ] ||
			fail "$1 still registered after ${2}s: $(kam_contacts "$1")"
		sleep 0.1
	done
}

# wait_udp_port PORT [TIMEOUT-SECONDS (10; 0 checks once)]
wait_udp_port() {
	local tries
	tries=$((${2:-10} * 10))
	while :; do
		ss -Hlun "sport = :$1" 2>/dev/null | grep -q . && return 0
		[ "$tries" -gt 0 ] || return 1
		tries=$((tries - 1))
		sleep 0.1
	done
}

# sipp_start NAME SIPP-ARGS...: output in $TMP/NAME.{out,stderr,err,msg,log}
# (NAME: letters, digits, _); pass -m yourself, -nostdin is added.
sipp_start() {
	local name
	name=$1
	shift
	sipp "$@" -nostdin \
		-trace_err -error_file "$TMP/$name.err" \
		-trace_msg -message_file "$TMP/$name.msg" \
		-trace_logs -log_file "$TMP/$name.log" \
		>"$TMP/$name.out" 2>"$TMP/$name.stderr" &
	eval "sipp_pid_$name=\$!"
}

# sipp_wait NAME [TIMEOUT]: sipp's exit status, or 124 when it still
# ran after TIMEOUT seconds (then it is killed).  sipp's own -timeout is
# no bound: it waits for the running call to end.
sipp_wait() {
	local p rc tries
	eval "p=\$sipp_pid_$1"
	rc=0
	if [ -n "${2:-}" ]; then
		tries=$(($2 * 10))
		while kill -0 "$p" 2>/dev/null && [ "$tries" -gt 0 ]; do
			tries=$((tries - 1))
			sleep 0.1
		done
		if kill -0 "$p" 2>/dev/null; then
			kill "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
			eval "sipp_pid_$1="
			echo "--- sipp $1 still ran after $2 s: killed" >&2
			cat "$TMP/$1.err" 2>/dev/null >&2 || true
			return 124
		fi
	fi
	wait "$p" || rc=$?
	eval "sipp_pid_$1="
	if [ "$rc" -ne 0 ]; then
		echo "--- sipp $1 exited $rc" >&2
		cat "$TMP/$1.stderr" "$TMP/$1.err" 2>/dev/null | grep -v '^$' >&2
	fi
	return "$rc"
}

sipp_stop() {
	local p
	eval "p=\$sipp_pid_$1"
	[ -n "$p" ] || return 0
	kill "$p" 2>/dev/null || true
	# sipp ends gracefully: it waits for its calls, which may never end.
	for _ in $(seq 30); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	eval "sipp_pid_$1="
	return 0
}

# cap_start NAME [PORT...]: capture UDP on lo (the given ports only, if
# any) into $TMP/NAME.pcap; returns once dumpcap is capturing.
cap_start() {
	local name filter sep p
	name=$1
	shift
	filter=udp
	if [ $# -gt 0 ]; then
		filter="udp and ("
		sep=
		for p in "$@"; do
			filter="$filter${sep}port $p"
			sep=" or "
		done
		filter="$filter)"
	fi
	ip link set lo up 2>/dev/null || true
	dumpcap -q -i lo -f "$filter" -w "$TMP/$name.pcap" 2>"$TMP/$name.cap.err" &
	eval "cap_pid_$name=\$!"
	for _ in $(seq 300); do
		grep -q "Capturing on" "$TMP/$name.cap.err" 2>/dev/null && return 0
		eval "kill -0 \$cap_pid_$name" 2>/dev/null || break
		sleep 0.1
	done
	cat "$TMP/$name.cap.err" >&2
	fail "capture $name did not start"
}

cap_stop() {
	local p
	eval "p=\$cap_pid_$1"
	[ -n "$p" ] || return 0
	kill -INT "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	eval "cap_pid_$1="
	return 0
}

# Decode these UDP ports as SIP too (5060 always is).
cap_decode_args() {
	local p
	for p in "$@"; do
		printf -- '-d\nudp.port==%s,sip\n' "$p"
	done
}

# cap_registers FILE [PORT...]: "TIME FROM-USER CSEQ EXPIRES CONTACT-EXPIRES"
# TIME in seconds since the capture began; absent fields print as "-".
cap_registers() {
	local file
	file=$1
	shift
	# shellcheck disable=SC2046
	tshark -r "$file" $(cap_decode_args "$@") -Y 'sip.Method == "REGISTER"' \
		-T fields -E separator=/t -E occurrence=a -E aggregator=/s \
		-e frame.time_relative -e sip.from.user -e sip.CSeq.seq \
		-e sip.Expires -e sip.contact.parameter 2>/dev/null |
		awk -F '\t' -v OFS=' ' '{
			ce = "-"
			n = split($5, p, " ")
			for (i = 1; i <= n; i++)
				if (tolower(p[i]) ~ /^expires=/) { ce = substr(p[i], 9); break }
			for (i = 1; i <= 4; i++) if ($i == "") $i = "-"
			print $1, $2, $3, $4, ce
		}'
}

# cap_responses FILE [PORT...]: "TIME CODE CSEQ-METHOD TO-USER"
cap_responses() {
	local file
	file=$1
	shift
	# shellcheck disable=SC2046
	tshark -r "$file" $(cap_decode_args "$@") -Y 'sip.Status-Code' \
		-T fields -E separator=/t -E occurrence=f \
		-e frame.time_relative -e sip.Status-Code -e sip.CSeq.method \
		-e sip.to.user 2>/dev/null |
		awk -F '\t' -v OFS=' ' '{ for (i = 1; i <= 4; i++) if ($i == "") $i = "-"; print $1, $2, $3, $4 }'
}
