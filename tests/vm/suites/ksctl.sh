#!/bin/bash
# ksctl against the real killswitch module, run inside the test VM as root.
# It checks the exit codes, the preflight's refusals and defaults on real
# kernel functions, the module file lookup, and engage, status and
# disengage. jq checks the JSON documents against the schema in ksctl(8).
. /root/tap.sh

KS=/sys/kernel/security/killswitch
PGID=__x64_sys_getpgid

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

# The JSON schema of check and engage, as ksctl(8) documents it.
PREFLIGHT_SCHEMA='
def str_or_null: type == "string" or type == "null";
def num_or_null: type == "number" or type == "null";
(.command | IN("check", "engage")) and
(.symbol | type == "string") and (.target | str_or_null) and
(.location.kind | IN("builtin", "module", "module-file", "ambiguous", "not-found")) and
(.location.description | type == "string") and
(.location.sites | type == "array" and
	all(.[]; (.module | str_or_null) and (.path | str_or_null) and (.address | str_or_null))) and
(.return_type.kind | IN("void", "pointer", "bool", "signed", "unsigned", "aggregate", "other", "unknown")) and
(.return_type.c_type | str_or_null) and (.return_type.size | num_or_null) and
(.return_type.btf | str_or_null) and
(.retval.value | num_or_null) and (.retval.text | str_or_null) and
(.retval.source | IN("argument", "default", "none")) and
(.findings | type == "array" and
	all(.[]; (.severity | IN("info", "warning", "refusal")) and (.code | type == "string") and
		(.reason | type == "string") and (.fix | str_or_null) and (.forceable | type == "boolean"))) and
(.refused | type == "boolean") and (.forced | type == "boolean")'

STATUS_SCHEMA='
(.command == "status") and (.module.loaded | type == "boolean") and
(.module.version | type == "string" or type == "null") and
(.kernel_taint_livepatch | type == "boolean" or type == "null") and
(.taint | type == "boolean" or type == "null") and
(.engagements | type == "array" and
	all(.[]; (.symbol | type == "string") and (.retval | type == "number") and
		(.retval_text | type == "string") and (.hits | type == "number") and
		(.state | IN("active", "disabled", "gone", "unknown")) and
		(.probe | IN("ftrace", "optimized", "breakpoint", null))))'

DOCTOR_SCHEMA='
(.command == "doctor") and (.kernel | type == "string") and (.ready | type == "boolean") and
(.findings | type == "array" and length > 0 and
	all(.[]; (.severity | IN("info", "warning", "refusal")) and (.code | type == "string") and
		(.reason | type == "string") and (.fix | type == "string" or type == "null")))'

ok "ksctl is on PATH" test -x "$(command -v ksctl)"
ok "jq is on PATH" test -x "$(command -v jq)"
like "$(ksctl --version)" "^ksctl [0-9]" "--version prints the version"
like "$(ksctl --help)" "3  refused by the preflight" "--help lists the exit codes"
like "$(ksctl engage --help)" "--dry-run" "engage --help lists its options"

# Usage errors: exit 2.
is "$(run_status ksctl frobnicate)" 2 "an unknown command exits 2"
is "$(run_status ksctl check)" 2 "check without SYMBOL exits 2"
is "$(run_status ksctl check $PGID -EBANANA)" 2 "an unknown errno name exits 2"
is "$(run_status ksctl check $PGID 010)" 2 "an octal-looking RETVAL exits 2"
is "$(run_status ksctl check 'bad symbol')" 2 "an invalid SYMBOL exits 2"
like "$(ksctl check $PGID EPERM 2>&1)" "invalid RETVAL 'EPERM'" "a RETVAL error names the value"

# Before the module is loaded: kernel not ready, exit 4.
is "$(run_status ksctl engage $PGID --yes)" 4 "engage without the module exits 4"
is "$(run_status ksctl status)" 4 "status without the module exits 4"
is "$(run_status ksctl disengage --all)" 4 "disengage without the module exits 4"
is "$(run_status ksctl doctor)" 4 "doctor without the module exits 4"
doctor_json=$(ksctl --json doctor)
jq_ok "doctor JSON matches the schema" "$doctor_json" "$DOCTOR_SCHEMA"
jq_ok "doctor says the module is not loaded" "$doctor_json" \
	'.ready == false and any(.findings[]; .code == "module-loaded" and .severity == "refusal" and .fix == "modprobe killswitch")'
jq_ok "doctor finds kprobes from kallsyms" "$doctor_json" \
	'any(.findings[]; .code == "CONFIG_KPROBES" and .severity == "info")'

ok "modprobe killswitch" modprobe killswitch
is "$(run_status ksctl doctor)" 0 "doctor with the module loaded exits 0"
jq_ok "doctor reports ready" "$(ksctl --json doctor)" \
	'.ready == true and any(.findings[]; .code == "module-built" and .severity == "info")'

# A void function is refused unless forced.
is "$(run_status ksctl check ksys_sync)" 3 "check of a void function exits 3"
json=$(ksctl --json check ksys_sync)
jq_ok "void check JSON matches the schema" "$json" "$PREFLIGHT_SCHEMA"
jq_ok "void function is refused with a forceable finding" "$json" \
	'.refused == true and .return_type.kind == "void" and any(.findings[]; .code == "void-return" and .forceable)'
is "$(run_status ksctl engage ksys_sync --yes)" 3 "engage of a void function exits 3"
is "$(run_status ksctl engage ksys_sync --force --dry-run)" 0 "engage --force --dry-run of a void function exits 0"
is "$(cat $KS/engaged)" "" "a dry run engages nothing"

# A pointer return defaults to ERR_PTR(-EPERM); getname_flags has a clone.
json=$(ksctl --json check getname_flags)
jq_ok "pointer check JSON matches the schema" "$json" "$PREFLIGHT_SCHEMA"
jq_ok "pointer return defaults to ERR_PTR(-EPERM)" "$json" \
	'.return_type.kind == "pointer" and .return_type.c_type == "struct filename *" and .retval.value == -1 and .retval.text == "ERR_PTR(-EPERM)" and .retval.source == "default"'
jq_ok "pointer return warns about NULL-only callers" "$json" \
	'any(.findings[]; .code == "pointer-return" and .severity == "warning")'
jq_ok "clone is reported with the command to engage it" "$json" \
	'any(.findings[]; .code == "clone" and .severity == "warning" and .fix == "ksctl engage getname_flags.part.0 -EPERM")'
like "$(ksctl check getname_flags)" "retval +ERR_PTR\(-EPERM\)" "text report shows ERR_PTR(-EPERM)"
is "$(run_status ksctl check getname_flags 0x10)" 3 "a pointer RETVAL that is not an errno is refused"

# Other return types.
jq_ok "bool return defaults to false" "$(ksctl --json check capable)" \
	'.return_type.kind == "bool" and .retval.value == 0 and any(.findings[]; .code == "bool-return")'
is "$(run_status ksctl check get_random_u32)" 3 "an unsigned return without RETVAL exits 3"
is "$(run_status ksctl check get_random_u32 7)" 0 "an unsigned return with RETVAL exits 0"
is "$(run_status ksctl check get_random_u32 -EPERM)" 3 "a negative RETVAL for an unsigned return exits 3"
jq_ok "positive RETVAL of a signed return warns" "$(ksctl --json check $PGID 5)" \
	'.refused == false and any(.findings[]; .code == "positive-retval")'

# Probing: the kprobe blacklist and functions without an ftrace entry.
jq_ok "blacklisted function is refused" "$(ksctl --json check __die)" \
	'.refused == true and any(.findings[]; .code == "kprobe-blacklisted")'
jq_ok "function without an ftrace entry warns" "$(ksctl --json check sched_clock 0)" \
	'any(.findings[]; .code == "no-ftrace-entry" and .severity == "warning")'
jq_ok "data symbol is refused" "$(ksctl --json check jiffies)" \
	'.refused == true and any(.findings[]; .code == "not-a-function")'

# An ambiguous name is refused until it is qualified.
ok "modprobe bridge" modprobe bridge
is "$(run_status ksctl check flush_store)" 3 "ambiguous name exits 3"
json=$(ksctl --json check flush_store)
jq_ok "ambiguous JSON matches the schema" "$json" "$PREFLIGHT_SCHEMA"
jq_ok "ambiguous name lists both definitions" "$json" \
	'.location.kind == "ambiguous" and ([.location.sites[].module] | sort == [null, "bridge"]) and any(.findings[]; .code == "ambiguous" and (.fix | startswith("ksctl engage bridge:flush_store")))'
is "$(run_status ksctl check bridge:flush_store)" 0 "module-qualified name exits 0"
jq_ok "module-qualified name uses the module's BTF" "$(ksctl --json check bridge:flush_store)" \
	'.location.kind == "module" and .target == "bridge:flush_store" and .return_type.btf == "/sys/kernel/btf/bridge"'
jq_ok "vmlinux: selects the kernel image's copy" "$(ksctl --json check vmlinux:flush_store)" \
	'.location.kind == "builtin" and .target == "flush_store"'

# A function of a module that is not loaded is found in its module file.
ok "af_alg is not loaded" test ! -d /sys/module/af_alg
is "$(run_status ksctl check af_alg_sendmsg)" 3 "function of an unloaded module exits 3"
json=$(ksctl --json check af_alg_sendmsg)
jq_ok "module file JSON matches the schema" "$json" "$PREFLIGHT_SCHEMA"
jq_ok "function is located in its module file" "$json" \
	'.location.kind == "module-file" and (.location.sites[0].path | test("/kernel/crypto/af_alg\\.ko(\\.xz)?$")) and any(.findings[]; .code == "module-not-loaded" and .fix == "modprobe af_alg")'
jq_ok "return type comes from the module file's BTF" "$json" \
	'.return_type.kind == "signed" and .return_type.c_type == "int" and (.return_type.btf | test("af_alg\\.ko"))'
ok "the module symbol index is cached" test -s "/var/cache/ksctl/symbols-$(uname -r).idx"
jq_ok "a name in two module files is ambiguous" "$(ksctl --json check camellia_setkey)" \
	'.location.kind == "ambiguous" and (.location.sites | length >= 2)'
ok "modprobe af_alg" modprobe af_alg
jq_ok "after modprobe the function is in a loaded module" "$(ksctl --json check af_alg_sendmsg)" \
	'.location.kind == "module" and .refused == false and .return_type.btf == "/sys/kernel/btf/af_alg"'

# engage, status and disengage against the module.
is "$(run_status ksctl engage $PGID)" 2 "engage without --yes on a non-terminal exits 2"
like "$(ksctl engage $PGID </dev/null 2>&1)" "pass --yes" "the message says to pass --yes"
is "$(cat $KS/engaged)" "" "nothing was engaged without --yes"
is "$(run_status ksctl engage $PGID --yes)" 0 "engage --yes exits 0"
is "$(cat $KS/engaged)" "$PGID retval=-1 hits=0 state=engaged" "the default -EPERM is engaged"
is "$(ks-call getpgid 3)" "ret=-1 errno=EPERM calls=3" "the engaged function fails with EPERM"
json=$(ksctl --json status)
jq_ok "status JSON matches the schema" "$json" "$STATUS_SCHEMA"
jq_ok "status shows the engagement" "$json" \
	".module.loaded == true and .taint == true and .kernel_taint_livepatch == true and .engagements == [{\"symbol\": \"$PGID\", \"retval\": -1, \"retval_text\": \"-EPERM\", \"hits\": 3, \"state\": \"active\", \"probe\": \"ftrace\"}]"
like "$(ksctl status)" "$PGID" "text status lists the engagement"
is "$(run_status ksctl engage $PGID --yes)" 3 "engaging it again is refused"
jq_ok "the refusal says it is engaged" "$(ksctl --json engage $PGID --yes)" \
	".engaged == false and any(.findings[]; .code == \"already-engaged\" and .fix == \"ksctl disengage $PGID\")"
is "$(run_status ksctl disengage $PGID)" 0 "disengage exits 0"
is "$(cat $KS/engaged)" "" "disengage removes the engagement"
like "$(ks-call getpgid 1)" "^ret=[0-9]+ errno=0" "the function works again"
is "$(run_status ksctl disengage $PGID)" 1 "disengaging it again exits 1"
like "$(ksctl disengage $PGID 2>&1)" "is not engaged" "the error says it is not engaged"

json=$(ksctl --json engage $PGID -ENOENT --yes)
jq_ok "engage JSON matches the schema" "$json" "$PREFLIGHT_SCHEMA"
jq_ok "engage JSON reports the control command" "$json" \
	".engaged == true and .control_command == \"engage $PGID -2\" and .retval.source == \"argument\""
is "$(ks-call getpgid 1)" "ret=-1 errno=ENOENT calls=1" "an explicit errno is engaged"
is "$(run_status ksctl engage bridge:flush_store --yes)" 0 "a module-qualified name engages"
is "$(run_status ksctl disengage --all)" 0 "disengage --all exits 0"
is "$(cat $KS/engaged)" "" "disengage --all removes every engagement"

# Benchmark, reported and not timed: ksctl check against reading kallsyms.
TIMEFORMAT=%R
kallsyms_seconds=$({ time cat /proc/kallsyms >/dev/null; } 2>&1)
check_seconds=$({ time ksctl check $PGID >/dev/null; } 2>&1)
diag "benchmark: ksctl check $PGID took $check_seconds s, cat /proc/kallsyms took $kallsyms_seconds s"

tap_done
