#!/bin/bash
# The Copy Fail path, closed end to end on a real AF_ALG AEAD socket, run
# inside the test VM as root:
#  1. without the killswitch, authencesn(hmac(sha256),cbc(aes)) and gcm(aes)
#     encrypt correctly through both sendmsg() and splice();
#  2. tracefs kprobe events count which kernel functions each path reaches
#     on this kernel, and show that spliced data passes af_alg_sendmsg;
#  3. with af_alg_sendmsg engaged, every path fails with the configured errno,
#     splice() itself included, and no AEAD operation runs;
#  4. after disengage both paths work again, and no socket is left behind.
. /root/tap.sh

# A write to a FIFO whose reader has gone must fail, not kill the suite.
trap "" PIPE

KS=/sys/kernel/security/killswitch
TRACING=/sys/kernel/tracing
GROUP=ks_afalg
FUNCTIONS="af_alg_sendmsg af_alg_sendpage aead_sendmsg crypto_aead_encrypt crypto_aead_decrypt"
TARGET=af_alg_sendmsg

# The first use of each algorithm loads af_alg, algif_aead and the templates,
# and runs the crypto self-tests, which call crypto_aead_encrypt themselves.
# Warm up before anything is counted.
for alg in authencesn gcm; do
	ks-afalg "$alg" sendmsg --quiet >/dev/null
done

probed=""
for function in $FUNCTIONS; do
	if grep -qE " [tT] $function(\$|[[:space:]])" /proc/kallsyms &&
		echo "p:$GROUP/$function $function" >>"$TRACING/kprobe_events"; then
		probed="$probed $function"
	fi
done
echo 1 >"$TRACING/events/$GROUP/enable"
diag "kernel $(uname -r); functions probed with tracefs:$probed"

# calls FUNCTION: calls of FUNCTION counted by its tracefs probe so far, or
# "-" if this kernel has no such function.
calls() {
	local count
	count=$(awk -v name="$1" '$1 == name { print $2 }' "$TRACING/kprobe_profile")
	echo "${count:--}"
}

# snapshot: one line "f1=N f2=N ..." of every probe's count.
snapshot() {
	local function line=""
	for function in $FUNCTIONS; do
		line="$line $function=$(calls "$function")"
	done
	echo "$line"
}

# delta BEFORE AFTER FUNCTION: calls of FUNCTION between two snapshots.
delta() {
	local before after
	before=$(tr ' ' '\n' <<<"$1" | sed -n "s/^$3=//p")
	after=$(tr ' ' '\n' <<<"$2" | sed -n "s/^$3=//p")
	if [ "$before" = - ]; then
		echo -
	else
		echo $((after - before))
	fi
}

hits() {
	cat "$KS/fn/$TARGET/hits"
}

# 1. Both paths work before the engagement.
for alg in authencesn gcm; do
	for path in sendmsg splice; do
		output=$(ks-afalg "$alg" "$path")
		is "$?" 0 "$alg via $path works before engagement"
		like "$output" "^result: ciphertext ok$" "$alg via $path matches OpenSSL and decrypts back"
	done
done

# 2. Which functions each path reaches on this kernel, for one encryption.
diag "calls per encryption (ks-afalg --no-decrypt), by path:"
diag "  path     $FUNCTIONS"
for path in sendmsg splice; do
	before=$(snapshot)
	ks-afalg authencesn "$path" --no-decrypt --quiet >/dev/null
	after=$(snapshot)
	row=""
	for function in $FUNCTIONS; do
		row="$row $(delta "$before" "$after" "$function")"
	done
	diag "  $path $row"
	is "$(delta "$before" "$after" crypto_aead_encrypt)" 1 "$path path runs one AEAD encryption"
	if [ "$path" = sendmsg ]; then
		is "$(delta "$before" "$after" $TARGET)" 1 "sendmsg path reaches $TARGET once"
	else
		# The control-message sendmsg, then the spliced data.
		is "$(delta "$before" "$after" $TARGET)" 2 "splice path reaches $TARGET for the control message and the data"
		sendpage=$(delta "$before" "$after" af_alg_sendpage)
		if [ "$sendpage" != - ]; then
			is "$sendpage" 1 "splice path enters af_alg_sendpage, which forwards to $TARGET"
		else
			diag "af_alg_sendpage does not exist on this kernel: splice() goes through sendmsg with MSG_SPLICE_PAGES"
		fi
	fi
done

# 3. Engaged: every path is refused at af_alg_sendmsg, and no AEAD runs.
# killswitch refuses a function that another kprobe already sits on, so the
# tracefs probe on the target goes; its calls are counted by hits instead.
modprobe killswitch
is "$(ks-write "$KS/control" "engage $TARGET -EPERM")" "errno=EBUSY" "engage is refused while a tracefs kprobe is on $TARGET"
echo 0 >"$TRACING/events/$GROUP/enable"
echo "-:$GROUP/$TARGET" >>"$TRACING/kprobe_events"
echo 1 >"$TRACING/events/$GROUP/enable"
probed=${probed/ $TARGET/}
echo "engage $TARGET -EPERM" >"$KS/control"
is "$(cat "$KS/engaged")" "$TARGET retval=-1 hits=0 state=engaged" "$TARGET is engaged"

for alg in authencesn gcm; do
	for path in sendmsg splice; do
		before=$(snapshot)
		hits_before=$(hits)
		output=$(ks-afalg "$alg" "$path")
		is "$?" 1 "$alg via $path fails while engaged"
		like "$output" "^sendmsg: failed errno=EPERM " "$alg via $path is refused with EPERM at sendmsg"
		after=$(snapshot)
		is "$(delta "$before" "$after" crypto_aead_encrypt)" 0 "$alg via $path runs no AEAD encryption"
		is "$(delta "$before" "$after" crypto_aead_decrypt)" 0 "$alg via $path runs no AEAD decryption"
		is "$(($(hits) - hits_before))" 1 "$alg via $path is counted once in hits"
	done
done

# splice() itself: pause after the control message, engage, then splice.
echo "disengage $TARGET" >"$KS/control"
rm -f /tmp/go /tmp/splice.out
mkfifo /tmp/go
ks-afalg authencesn splice --pause-before-splice </tmp/go >/tmp/splice.out &
pid=$!
exec 4>/tmp/go
for _ in $(seq 100); do
	grep -q '^paused' /tmp/splice.out && break
	sleep 0.1
done
like "$(cat /tmp/splice.out)" "^sendmsg: ok" "control message is accepted before engagement"
echo "engage $TARGET -EPERM" >"$KS/control"
before=$(snapshot)
echo go >&4
exec 4>&-
wait "$pid"
is "$?" 1 "splice() after engagement fails"
like "$(cat /tmp/splice.out)" "^splice: failed errno=EPERM " "splice() itself is refused with EPERM"
after=$(snapshot)
is "$(delta "$before" "$after" crypto_aead_encrypt)" 0 "refused splice() runs no AEAD encryption"
is "$(hits)" 1 "the refused splice() is counted in hits"

# The configured errno, changed live, is what callers see.
echo "-EOPNOTSUPP" >"$KS/fn/$TARGET/retval"
for path in sendmsg splice; do
	output=$(ks-afalg authencesn "$path")
	like "$output" "^sendmsg: failed errno=EOPNOTSUPP " "authencesn via $path fails with the new errno"
done
is "$(hits)" 3 "hits count every refused call"

# 4. Disengage: both paths work again, and nothing is left behind.
echo "disengage $TARGET" >"$KS/control"
is "$(cat "$KS/engaged")" "" "nothing is engaged after disengage"
for alg in authencesn gcm; do
	for path in sendmsg splice; do
		output=$(ks-afalg "$alg" "$path")
		is "$?" 0 "$alg via $path works again after disengage"
	done
done

echo 0 >"$TRACING/events/$GROUP/enable"
for function in $probed; do
	echo "-:$GROUP/$function" >>"$TRACING/kprobe_events"
done
ok "rmmod killswitch" rmmod killswitch
# A socket left open would hold a reference on algif_aead.
ok "algif_aead unloads, so no AF_ALG socket is left open" rmmod algif_aead

tap_done
