# linecardd for the system tests: sourced after tests/system/lib.sh and
# tests/sip/lib.sh.  The daemon runs from the build tree with its config,
# control socket and log in $TMP.
#
#   lcd_conf [SIP-KEYS...] -- [PORT-SECTIONS...]
#       write $TMP/lc.conf: [sip] with the test defaults (kamailio on
#       127.0.0.1:$KAM_PORT, SIP on 127.0.0.1:5062, back-off $LCD_RETRY_MIN..
#       $LCD_RETRY_MAX s, default 1..8) and
#       the given "key = value" lines, then the given lines verbatim
#   lcd_port N NUMBER [KEY=VALUE...]   a [port N] section for lcd_conf
#   lcd_start [ARGS...]  start it; returns once it is ready
#   lcd_stop             SIGTERM; its exit status in $lcd_status
#   lcctl ARGS...        linecardctl against it
#   lcd_field PORT KEY   one field of "linecardctl --json status"
#   lcd_wait_state PORT STATE TIMEOUT
#   cap_register_times FILE USER   epoch times of USER's REGISTERs

LCD=$TOP/build/linecardd
LCCTL=$TOP/build/linecardctl
LCD_CONF=$TMP/lc.conf
LCD_SOCK=$TMP/ctl.sock
LCD_LOG=$TMP/lcd.log
LCD_PID=
LCD_WRAP=${LCD_WRAP:-}

lcd_cleanup() {
	[ -z "$LCD_PID" ] || kill -9 "$LCD_PID" 2>/dev/null || true
	sip_cleanup
}
cleanup_hook() { lcd_cleanup; }

lcd_port() {
	n=$1
	num=$2
	shift 2
	printf '[port %s]\nnumber = %s\npassword = %s\n' "$n" "$num" "$(kam_password "$num")"
	for kv in "$@"; do
		printf '%s = %s\n' "${kv%%=*}" "${kv#*=}"
	done
}

lcd_conf() {
	{
		printf '[sip]\nregistrar = 127.0.0.1:%s\nlocal_address = 127.0.0.1\n' "$KAM_PORT"
		printf 'local_port = 5062\nretry_min = %s\nretry_max = %s\n' "${LCD_RETRY_MIN:-1}" "${LCD_RETRY_MAX:-8}"
		while [ $# -gt 0 ] && [ "$1" != "--" ]; do
			printf '%s\n' "$1"
			shift
		done
		[ $# -gt 0 ] && shift
		for section in "$@"; do
			printf '%s\n' "$section"
		done
	} >"$LCD_CONF"
	chmod 600 "$LCD_CONF"
}

lcd_start() {
	[ -z "$LCD_PID" ] || fail "lcd_start: linecardd already runs"
	# shellcheck disable=SC2086
	$LCD_WRAP "$LCD" -c "$LCD_CONF" -s "$LCD_SOCK" -v "$@" >>"$LCD_LOG" 2>&1 &
	LCD_PID=$!
	for _ in $(seq 600); do
		grep -q "notice: started" "$LCD_LOG" 2>/dev/null && return 0
		kill -0 "$LCD_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$LCD_LOG" >&2
	fail "linecardd did not start"
}

lcd_stop() {
	kill -TERM "$LCD_PID"
	lcd_status=0
	wait "$LCD_PID" || lcd_status=$?
	LCD_PID=
}

lcctl() {
	"$LCCTL" -s "$LCD_SOCK" "$@"
}

# The value of KEY in port PORT's object of the JSON status (no quotes);
# from the snapshot lcd_snap took last when LCD_SNAP is set.
lcd_field() {
	if [ -n "${LCD_SNAP:-}" ]; then cat "$TMP/snap.json"; else lcctl --json status; fi |
		sed 's/},{"port"/}\n{"port"/g' |
		grep "\"port\":$1," |
		sed -n "s/.*\"$2\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" | tr -d '"'
}

# lcd_snap: one status, for several lcd_field reads of the same moment.
lcd_snap() {
	lcctl --json status >"$TMP/snap.json"
}

lcd_wait_state() {
	end=$(($(date +%s%N) / 1000000 + $3 * 1000))
	while [ "$(lcd_field "$1" state)" != "$2" ]; do
		[ "$(($(date +%s%N) / 1000000))" -lt "$end" ] ||
			fail "port $1: state $(lcd_field "$1" state) after $3 s, wanted $2"
		sleep 0.1
	done
}

cap_register_times() {
	tshark -r "$1" -d udp.port==5062,sip -Y "sip.Method == \"REGISTER\" && sip.from.user == \"$2\"" \
		-T fields -e frame.time_epoch 2>/dev/null
}
