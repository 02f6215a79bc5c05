#!/bin/sh
# A diagnostic, not a test suite: count, with tracefs kprobe events, how
# often one ks-afalg operation calls each AF_ALG function that killswitch may
# engage, per algorithm and path.
# Runs inside a test VM as root, with ks-afalg in PATH.
#
# Usage: afalg-paths.sh [OPERATIONS]
#   OPERATIONS  operations per row (default 4). Each row's hit delta is
#               divided by it, and a delta that does not divide evenly is
#               printed as DELTA/OPERATIONS.
#
# Rows "encrypt" run ks-afalg --no-decrypt, and rows "full" add the AF_ALG
# decryption of the result. A "-" means the kernel has no such symbol (for
# example af_alg_sendpage, which 6.5 removed). Exits 1 if a probe or a
# ks-afalg run failed.
#
# crypto_aead_encrypt and crypto_aead_decrypt also count calls inside the
# algorithm: a SIMD driver such as generic-gcm-aesni-avx (6.12 with AES-NI)
# calls them again on its inner transform, so gcm rows show 2 there and 1 with
# the gcm_base template. The script prints the driver of each algorithm.
set -u

operations=${1:-4}
tracing=/sys/kernel/tracing
functions="af_alg_sendmsg af_alg_sendpage aead_sendmsg aead_recvmsg crypto_aead_encrypt crypto_aead_decrypt"
probe_group=ks_afalg_paths
status=0

if [ ! -e "$tracing/kprobe_events" ]; then
	mount -t tracefs tracefs "$tracing" 2>/dev/null
fi
if [ ! -w "$tracing/kprobe_events" ]; then
	echo "afalg-paths: $tracing/kprobe_events is missing or not writable; the kernel needs CONFIG_KPROBE_EVENTS and tracefs"
	exit 1
fi

remove_probes() {
	if [ -e "$tracing/events/$probe_group/enable" ]; then
		echo 0 >"$tracing/events/$probe_group/enable"
	fi
	for function in $functions; do
		echo "-:$probe_group/$function" >>"$tracing/kprobe_events" 2>/dev/null
	done
}
trap remove_probes EXIT

# The first use of an algorithm loads af_alg and algif_aead and runs the
# crypto self-tests, which call crypto_aead_encrypt and crypto_aead_decrypt
# themselves. One run of each algorithm before the probes keeps those calls
# out of the counts.
for alg in gcm authencesn; do
	if ! output=$(ks-afalg "$alg" sendmsg --quiet 2>&1); then
		echo "afalg-paths: warm-up run 'ks-afalg $alg sendmsg' failed:"
		echo "$output"
		status=1
	fi
done

# Prints the highest-priority driver of each algorithm, which is the one
# that the kernel allocates for AF_ALG.
awk '
	/^name/ { name = $3 }
	/^driver/ { driver = $3 }
	/^module/ { module = $3 }
	/^priority/ {
		if ((name == "gcm(aes)" || name == "authencesn(hmac(sha256),cbc(aes))") &&
		    (!(name in best) || $3 > best[name])) {
			best[name] = $3
			line[name] = driver " (module " module ", priority " $3 ")"
		}
	}
	END { for (name in line) print "afalg-paths: " name " uses " line[name] }
' /proc/crypto

remove_probes
probed=""
for function in $functions; do
	matches=$(grep -cE " [tT] $function([[:space:]]|$)" /proc/kallsyms)
	if [ "$matches" -eq 0 ]; then
		continue
	fi
	if [ "$matches" -gt 1 ]; then
		echo "afalg-paths: $function has $matches symbols in /proc/kallsyms; the probe may be rejected"
	fi
	if echo "p:$probe_group/$function $function" >>"$tracing/kprobe_events"; then
		probed="$probed $function"
	else
		echo "afalg-paths: adding a kprobe on $function failed"
		status=1
	fi
done
if [ -z "$probed" ]; then
	echo "afalg-paths: no probe could be added"
	exit 1
fi
echo 1 >"$tracing/events/$probe_group/enable" || exit 1

# Prints "FUNCTION HITS" for every probe of this script.
read_hits() {
	awk -v group="$probe_group" '{
		name = $1
		sub("^" group "/", "", name)
		print name, $2
	}' "$tracing/kprobe_profile"
}

hits_of() {
	echo "$1" | awk -v function_name="$2" '$1 == function_name { print $2 }'
}

echo "afalg-paths: kernel $(uname -r), $operations operations per row, calls per operation"
printf '%-28s' "case"
for function in $functions; do
	printf ' %s' "$function"
done
echo

for alg in gcm authencesn; do
	for path in sendmsg splice; do
		for mode in encrypt full; do
			decrypt_option=""
			[ "$mode" = encrypt ] && decrypt_option="--no-decrypt"

			before=$(read_hits)
			# shellcheck disable=SC2086 # decrypt_option is empty or one word.
			if ! output=$(ks-afalg "$alg" "$path" --count "$operations" --quiet $decrypt_option 2>&1); then
				echo "afalg-paths: ks-afalg $alg $path $decrypt_option failed:"
				echo "$output"
				status=1
			fi
			after=$(read_hits)

			printf '%-28s' "$alg $path $mode"
			for function in $functions; do
				old=$(hits_of "$before" "$function")
				new=$(hits_of "$after" "$function")
				if [ -z "$new" ]; then
					cell="-"
				else
					delta=$((new - old))
					if [ $((delta % operations)) -eq 0 ]; then
						cell=$((delta / operations))
					else
						cell="$delta/$operations"
					fi
				fi
				printf " %${#function}s" "$cell"
			done
			echo
		done
	done
done

exit "$status"
