# shellcheck shell=bash
# TAP helpers for the in-VM suites. Source this file, call the checks, and end
# with tap_done, which prints the plan and exits non-zero if a check failed.

TAP_COUNT=0
TAP_FAILED=0

tap_result() {
	local status=$1 desc=$2
	TAP_COUNT=$((TAP_COUNT + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $TAP_COUNT - $desc"
	else
		echo "not ok $TAP_COUNT - $desc"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

# ok DESC COMMAND...: passes if COMMAND exits 0.
ok() {
	local desc=$1
	shift
	if "$@"; then
		tap_result 0 "$desc"
	else
		tap_result 1 "$desc"
		echo "#   command failed: $*"
	fi
}

# is ACTUAL EXPECTED DESC: passes if the two strings are equal.
is() {
	if [ "$1" = "$2" ]; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3"
		echo "#   got:      '$1'"
		echo "#   expected: '$2'"
	fi
}

# like ACTUAL PATTERN DESC: passes if ACTUAL matches the extended regex.
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3"
		echo "#   got:      '$1'"
		echo "#   expected to match: '$2'"
	fi
}

# run_status COMMAND...: print the exit status of COMMAND, output dropped.
run_status() {
	"$@" >/dev/null 2>&1 </dev/null
	echo $?
}

# jq_ok DESC JSON FILTER: passes if FILTER is true on the JSON document.
jq_ok() {
	local desc=$1 json=$2 filter=$3
	# jq -e accepts empty input, so an empty document is a failure here.
	if [ -n "$json" ] && printf '%s\n' "$json" | jq -e "$filter" >/dev/null 2>&1; then
		tap_result 0 "$desc"
	else
		tap_result 1 "$desc"
		echo "#   filter: $filter"
		printf '%s\n' "$json" | sed 's/^/#   /' | head -40
	fi
}

diag() {
	echo "# $*"
}

tap_done() {
	echo "1..$TAP_COUNT"
	[ "$TAP_FAILED" -eq 0 ]
}
