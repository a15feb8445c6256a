#!/bin/sh
# A played tone is heard in the earpiece at its frequency and level; raw
# PCM crosses both ways between /dev/line0 and the handset.
. tests/system/lib.sh

load ports=2

# 1 kHz at -10 dBm0 continuously.
"$LCTL" tone 0 1000@-10
"$VPHONE" 0 listen 1s >"$TMP/ear.raw"
f=$(sox_freq "$TMP/ear.raw")
echo "earpiece: $f Hz"
awk -v f="$f" 'BEGIN { exit !(f > 997 && f < 1003) }' || fail "tone at $f Hz, want 1000"
ok "1000 Hz tone measured at $f Hz by sox"
# -10 dBm0: RMS = 22741/sqrt(2)/32768 * 10^(-10/20) = 0.155
rms=$(sox_rms "$TMP/ear.raw")
awk -v r="$rms" 'BEGIN { exit !(r > 0.150 && r < 0.160) }' || fail "tone RMS $rms, want 0.155"
ok "tone level: RMS $rms"

"$LCTL" tone 0 425@-10
"$VPHONE" 0 listen 0.5s >"$TMP/ear2.raw"
f=$(sox_freq "$TMP/ear2.raw")
awk -v f="$f" 'BEGIN { exit !(f > 422 && f < 428) }' || fail "tone at $f Hz, want 425"
ok "425 Hz tone measured at $f Hz"

"$LCTL" tone-stop 0
sleep 0.05
"$VPHONE" 0 listen 0.3s >"$TMP/quiet.raw"
rms=$(sox_rms "$TMP/quiet.raw")
awk -v r="$rms" 'BEGIN { exit !(r < 0.0001) }' || fail "tone stop: RMS $rms"
ok "tone stopped"

# A finite tone reports tone-done.
listen done events -n 1 -t 10
"$LCTL" tone 0 950@-10,1400@-10,1800@-10 330 30 -r 1
collect done
expect_eq "tone-done" "$(cat "$TMP/done")" "line0 tone-done"

# Raw PCM: /dev/line0 -> earpiece of handset 0.
sox -n -r 8000 -e signed -b 16 -c 1 -t raw "$TMP/700.raw" synth 1.5 sine 700 vol 0.3
"$VPHONE" 0 listen 1s >"$TMP/heard.raw" &
lp=$!
"$LCTL" write 0 "$TMP/700.raw"
wait $lp
f=$(sox_freq "$TMP/heard.raw")
awk -v f="$f" 'BEGIN { exit !(f > 697 && f < 703) }' || fail "PCM written to /dev/line0 heard at $f Hz"
ok "PCM written to /dev/line0 heard in the earpiece ($f Hz)"

# Handset 1's mouthpiece -> read from /dev/line1.
sox -n -r 8000 -e signed -b 16 -c 1 -t raw "$TMP/1300.raw" synth 2 sine 1300 vol 0.3
"$VPHONE" 1 speak "$TMP/1300.raw" &
sp=$!
sleep 0.3
"$LCTL" read 1 8000 >"$TMP/said.raw"
wait $sp
f=$(sox_freq "$TMP/said.raw")
awk -v f="$f" 'BEGIN { exit !(f > 1297 && f < 1303) }' || fail "mouthpiece read at $f Hz"
ok "mouthpiece audio read from /dev/line1 ($f Hz)"
