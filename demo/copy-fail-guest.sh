#!/bin/bash
# The guest half of demo/copy-fail; runs as root inside the VM.
set -uo pipefail

KS=/sys/kernel/security/killswitch
TARGET=af_alg_sendmsg
failures=0

step() {
	echo
	echo "==> $*"
}

# show COMMAND...: print a command as an operator would type it, then run it.
show() {
	echo "# $*"
	"$@"
}

# expect_afalg ALG PATH EXPECTED_STATUS: run one AF_ALG operation and report
# whether it ended as expected (0: correct ciphertext, 1: a call failed).
expect_afalg() {
	local alg=$1 path=$2 expected=$3 output status
	output=$(ks-afalg "$alg" "$path")
	status=$?
	printf '%s\n' "$output" | sed 's/^/    /'
	if [ "$status" -ne "$expected" ]; then
		echo "    UNEXPECTED: ks-afalg exited with $status, expected $expected"
		failures=$((failures + 1))
	fi
}

echo "Copy Fail (CVE-2026-31431) lets an unprivileged user write into the page"
echo "cache through an AF_ALG AEAD socket (authencesn) fed with splice()."
echo "Kernel: $(uname -r)"

step "1. Without the killswitch, both paths into the AEAD socket work"
for path in sendmsg splice; do
	echo "  authencesn(hmac(sha256),cbc(aes)) via $path:"
	expect_afalg authencesn "$path" 0
done

step "2. Load killswitch and engage $TARGET with -EPERM"
show modprobe killswitch
show sh -c "echo 'engage $TARGET -EPERM' > $KS/control"
show cat "$KS/engaged"
dmesg | grep 'killswitch: engaged' | tail -n 1 | sed 's/^/    log: /'

step "3. Both paths are refused before any AEAD operation runs"
for path in sendmsg splice; do
	echo "  authencesn via $path:"
	expect_afalg authencesn "$path" 1
done
echo "  gcm(aes) via sendmsg (every AEAD on AF_ALG shares the entry point):"
expect_afalg gcm sendmsg 1

step "4. The hit counter shows every refused call"
show cat "$KS/fn/$TARGET/hits"
show cat "$KS/engaged"
show cat "$KS/taint"

step "5. Disengage: the path works again"
show sh -c "echo 'disengage $TARGET' > $KS/control"
dmesg | grep 'killswitch: disengaged' | tail -n 1 | sed 's/^/    log: /'
for path in sendmsg splice; do
	echo "  authencesn via $path:"
	expect_afalg authencesn "$path" 0
done
show rmmod killswitch

echo
if [ "$failures" -eq 0 ]; then
	echo "Demo complete: the mitigation closed both paths and was removed cleanly."
else
	echo "Demo FAILED: $failures step(s) did not behave as expected."
	exit 1
fi
