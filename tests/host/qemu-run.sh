#!/bin/bash
# Host-side tests of scripts/qemu-run itself: each check boots a real guest.
# Prints one line per check (PASS / FAIL / SKIP) and exits non-zero if any
# check failed.  Takes about a minute under TCG.
set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNNER=$TOP/scripts/qemu-run
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failed=0

pass() { echo "PASS: $*"; }
skip() { echo "SKIP: $*"; }
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}
# Show what a failed run printed, indented, after the FAIL line.
show() {
	echo "  --- rc=$rc, ${dur}s; stdout:"
	sed 's/^/  | /' "$TMP/out" | tail -n 20
	echo "  --- stderr:"
	sed 's/^/  | /' "$TMP/err" | tail -n 40
}

# run ARGS...: run the runner; sets rc and dur (seconds, one decimal);
# stdout in $TMP/out, stderr in $TMP/err.
run() {
	local s e
	s=$(date +%s%N)
	"$RUNNER" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	e=$(date +%s%N)
	dur=$(( (e - s) / 1000000 ))
	dur=$((dur / 1000)).$(( (dur % 1000) / 100 ))
}

cd "$TOP" || exit 1

# 1. success
run -- true
if [ $rc -eq 0 ]; then pass "'-- true' exits 0 (${dur}s)"; else fail "'-- true' exits 0"; show; fi

# 2. exit status carried back
run -- sh -c 'exit 3'
if [ $rc -eq 3 ] && grep -q 'guest kernel log' "$TMP/err"; then
	pass "'-- sh -c \"exit 3\"' exits 3 and shows the kernel log"
else
	fail "'-- sh -c \"exit 3\"' exits 3 and shows the kernel log"; show
fi

# 3. argv intact: spaces, quotes, shell metacharacters, empty, newline
# shellcheck disable=SC2016,SC1003  # literal on purpose
args=("a b" "it's" '"dq"' '$HOME `id` $(id) \n \\' '' "new
line" '*' ' lead' 'trail ' '-n' ';|&<>')
run -- printf '[%s]\n' "${args[@]}"
want=$(printf '[%s]\n' "${args[@]}")
if [ $rc -eq 0 ] && [ "$(cat "$TMP/out")" = "$want" ]; then
	pass "argv with spaces, quotes and metacharacters arrives intact"
else
	fail "argv with spaces, quotes and metacharacters arrives intact"; show
fi

# 4. stdout to stdout, stderr to stderr, even when CMD reopens /dev/stdout
run -- sh -c 'echo out-line; echo err-line >&2; echo reopened >/dev/stdout; echo reopened-err >/dev/stderr'
if [ $rc -eq 0 ] && [ "$(cat "$TMP/out")" = "$(printf 'out-line\nreopened')" ] &&
	grep -qx err-line "$TMP/err" && grep -qx reopened-err "$TMP/err" &&
	! grep -q 'err-line' "$TMP/out"; then
	pass "stdout and stderr arrive on the host's stdout and stderr"
else
	fail "stdout and stderr arrive on the host's stdout and stderr"; show
fi

# 5. working directory
cd "$TOP/scripts" || exit 1
run -- pwd
cd "$TOP" || exit 1
if [ $rc -eq 0 ] && [ "$(cat "$TMP/out")" = "$(cd "$TOP/scripts" && pwd -P)" ]; then
	pass "the working directory is the caller's"
else
	fail "the working directory is the caller's"; show
fi

# 6. environment: LINECARD_* passed, the rest not, PATH and HOME set
# shellcheck disable=SC2016  # expanded in the guest
LINECARD_X="x y'z" LINECARD_EMPTY='' QEMU_RUN_SELFTEST_OTHER=1 \
	run -- sh -c 'printf "%s|%s|%s|%s|%s\n" "$LINECARD_X" "${LINECARD_EMPTY-unset}" "${QEMU_RUN_SELFTEST_OTHER-unset}" "$HOME" "$PATH"'
if [ $rc -eq 0 ] && [ "$(cat "$TMP/out")" = "x y'z||unset|/root|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" ]; then
	pass "LINECARD_* variables are passed, others are not; PATH and HOME set"
else
	fail "LINECARD_* variables are passed, others are not; PATH and HOME set"; show
fi

# 7. the guest writes to an overlay: allowed, but never reaches the host
marker=$TOP/build/qemu-run-selftest-marker.$$
run -- sh -c "touch '$marker' && test -e '$marker' && touch /etc/qemu-run-selftest"
if [ $rc -eq 0 ] && [ ! -e "$marker" ] && [ ! -e /etc/qemu-run-selftest ]; then
	pass "the guest's root is writable and its writes stay in the guest"
else
	fail "the guest's root is writable and its writes stay in the guest"; show
fi

# 8. timeout
run --timeout 5 -- sleep 60
if [ $rc -eq 124 ] && [ "${dur%.*}" -lt 15 ] && grep -q 'timed out' "$TMP/err"; then
	pass "'--timeout 5 -- sleep 60' exits 124 after ${dur}s"
else
	fail "'--timeout 5 -- sleep 60' exits 124 within 15 s"; show
fi

# 9. kernel panic
run -- sh -c 'echo c >/proc/sysrq-trigger; sleep 30'
if [ $rc -eq 125 ] && grep -q 'Kernel panic' "$TMP/err" &&
	grep -q '===== qemu-run: guest kernel log' "$TMP/err"; then
	pass "a kernel panic exits 125 with the kernel log (${dur}s)"
else
	fail "a kernel panic exits 125 with the kernel log"; show
fi

# 10. kernel warning: a throw-away module that WARNs when loaded.  Built in
# build/qemu/selftest/ (visible in the guest; /tmp is not) against the
# headers of the kernel the runner boots.
warn_ko=""
if kver=$("$TOP/scripts/kver" 2>/dev/null) && [ -e "/lib/modules/$kver/build/Makefile" ] &&
	command -v make >/dev/null && command -v gcc >/dev/null; then
	wdir=$TOP/build/qemu/selftest/$kver
	if [ ! -s "$wdir/qr_warn.ko" ]; then
		bdir=$(mktemp -d "$TOP/build/qemu/selftest.XXXXXX" 2>/dev/null ||
			{ mkdir -p "$TOP/build/qemu" && mktemp -d "$TOP/build/qemu/selftest.XXXXXX"; })
		cat >"$bdir/qr_warn.c" <<-'EOF'
		#include <linux/module.h>
		#include <linux/bug.h>

		static int __init qr_warn_init(void)
		{
			WARN(1, "qemu-run selftest: deliberate warning\n");
			return 0;
		}
		module_init(qr_warn_init);
		MODULE_LICENSE("GPL");
		EOF
		echo 'obj-m := qr_warn.o' >"$bdir/Kbuild"
		if make -s -C "/lib/modules/$kver/build" M="$bdir" modules >"$bdir/log" 2>&1; then
			mkdir -p "$wdir" && cp "$bdir/qr_warn.ko" "$wdir/qr_warn.ko.tmp" &&
				mv -f "$wdir/qr_warn.ko.tmp" "$wdir/qr_warn.ko"
		else
			sed 's/^/  | /' "$bdir/log" | tail -n 10
		fi
		rm -rf "$bdir"
	fi
	[ -s "$wdir/qr_warn.ko" ] && warn_ko=$wdir/qr_warn.ko
fi
if [ -z "$warn_ko" ]; then
	skip "a kernel warning fails the run (cannot build a test module here)"
else
	run -- sh -c "insmod '$warn_ko'; echo survived"
	if [ $rc -eq 125 ] && grep -q 'deliberate warning' "$TMP/err" &&
		grep -q 'panic_on_warn' "$TMP/err" && ! grep -q survived "$TMP/out"; then
		pass "a kernel warning (WARN in a module) exits 125 with the kernel log"
	else
		fail "a kernel warning (WARN in a module) exits 125 with the kernel log"; show
	fi
fi

# 11. two runs at once do not disturb each other
"$RUNNER" -- sh -c 'sleep 1; echo first; exit 5' >"$TMP/a" 2>/dev/null &
pa=$!
"$RUNNER" -- sh -c 'echo second; exit 6' >"$TMP/b" 2>/dev/null &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
if [ $ra -eq 5 ] && [ $rb -eq 6 ] && [ "$(cat "$TMP/a")" = first ] && [ "$(cat "$TMP/b")" = second ]; then
	pass "two concurrent runs keep their own output and status"
else
	fail "two concurrent runs keep their own output and status (got $ra '$(cat "$TMP/a")', $rb '$(cat "$TMP/b")')"
fi

# 12. usage errors
"$RUNNER" true >/dev/null 2>&1; r1=$?
"$RUNNER" --timeout x -- true >/dev/null 2>&1; r2=$?
if [ $r1 -eq 2 ] && [ $r2 -eq 2 ]; then
	pass "bad usage exits 2"
else
	fail "bad usage exits 2 (got $r1, $r2)"
fi

if [ $failed -ne 0 ]; then
	echo "qemu-run: $failed check(s) failed"
	exit 1
fi
echo "qemu-run: all checks passed"
