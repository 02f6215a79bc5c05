# Render the benchmark results as Markdown tables, one column per kernel.
# Called by bench/report as
#   awk -F, -v kernels="ABI..." -f tables.awk summary.csv ABI.csv...
# summary.csv gives n, min, median and max per measurement; the ABI.csv files
# give the info, per, memory and skip records (see bench/guest.sh).

FNR == 1 && FILENAME ~ /summary\.csv$/ { next }

FILENAME ~ /summary\.csv$/ {
	key = $1 SUBSEP $2 SUBSEP $3
	n[key] = $4
	low[key] = $5
	median[key] = $6
	high[key] = $7
	next
}

$2 == "info" { info[$1, $3] = $4 }
$2 == "skip" { skipped[$1, $3, $4] = $5 }
$2 == "memory" { memory[$1, $3] = $4; memory_keys[$1] = memory_keys[$1] " " $3 }
$2 == "profile" {
	# ks_check_unshared.constprop.0 and the like: the compiler's suffix goes.
	name = $3
	sub(/\..*/, "", name)
	profile_calls[$1, name] += $4
	profile_us[$1, name] += $5
}
$2 == "per" {
	# Engagements 0-99 and 900-999 of each 1,000-engagement apply.
	if ($4 < 100)
		first[$1, ++first_n[$1]] = $5
	else if ($4 >= 900)
		last[$1, ++last_n[$1]] = $5
}

# Sort list[k, 1..count] in place (insertion sort: a few hundred values).
function sort_values(list, k, count,    i, j, value) {
	for (i = 2; i <= count; i++) {
		value = list[k, i]
		for (j = i - 1; j >= 1 && list[k, j] > value; j--)
			list[k, j + 1] = list[k, j]
		list[k, j + 1] = value
	}
}

function list_median(list, k, count) {
	if (count == 0)
		return ""
	sort_values(list, k, count)
	return count % 2 ? list[k, (count + 1) / 2] : (list[k, count / 2] + list[k, count / 2 + 1]) / 2
}

function has(k, m, v) {
	return (k SUBSEP m SUBSEP v) in median
}

# "median (min to max)" of one measurement, divided by scale.
function cell(k, m, v, scale, format,    key) {
	key = k SUBSEP m SUBSEP v
	if (!(key in median))
		return (k SUBSEP m SUBSEP v) in skipped ? "not measured" : "n/a"
	return sprintf(format " (" format "–" format ")", median[key] / scale,
		       low[key] / scale, high[key] / scale)
}

function ratio_value(k, m1, v1, m2, v2) {
	if (!has(k, m1, v1) || !has(k, m2, v2) || median[k, m2, v2] == 0)
		return ""
	return median[k, m1, v1] / median[k, m2, v2]
}

function show_ratio(value) {
	return value == "" ? "n/a" : sprintf("%.2fx", value)
}

# One table row: the label, then one cell per kernel.
function row(label, m, v, scale, format,    i) {
	printf "| %s |", label
	for (i = 1; i <= nk; i++)
		printf " %s |", cell(k[i], m, v, scale, format)
	printf "\n"
}

# A ratio row: the ratio of the medians, and in brackets the ratio of the
# minimums, which host load disturbs least.
function ratio_row(label, m1, v1, m2, v2,    i, value, fastest) {
	printf "| %s |", label
	for (i = 1; i <= nk; i++) {
		value = ratio_value(k[i], m1, v1, m2, v2)
		fastest = ""
		if (value != "" && low[k[i], m2, v2] > 0)
			fastest = low[k[i], m1, v1] / low[k[i], m2, v2]
		printf " %s", show_ratio(value)
		if (fastest != "")
			printf " (min %s)", show_ratio(fastest)
		printf " |"
	}
	printf "\n"
}

function header(first,    i) {
	printf "| %s |", first
	for (i = 1; i <= nk; i++)
		printf " %s |", k[i]
	printf "\n|---|"
	for (i = 1; i <= nk; i++)
		printf "---|"
	printf "\n"
}

# Bytes of slab memory for all engagements outside the securityfs inodes,
# their LSM blobs and dentries, and those separately.
function memory_split(kernel,    keys, count, i, name, bytes) {
	slab_other[kernel] = 0
	slab_fs[kernel] = 0
	count = split(memory_keys[kernel], keys, " ")
	for (i = 1; i <= count; i++) {
		if (keys[i] !~ /^slab:/)
			continue
		name = substr(keys[i], 6)
		bytes = memory[kernel, keys[i]]
		if (name == "inode_cache" || name == "dentry" || name == "lsm_inode_cache")
			slab_fs[kernel] += bytes
		else
			slab_other[kernel] += bytes
	}
}

# The slab caches that grew by at least 1 KiB, largest first.
function memory_breakdown(kernel,    keys, count, i, j, name, tmp, shown) {
	count = split(memory_keys[kernel], keys, " ")
	for (i = 2; i <= count; i++) {
		tmp = keys[i]
		for (j = i - 1; j >= 1 && memory[kernel, keys[j]] < memory[kernel, tmp]; j--)
			keys[j + 1] = keys[j]
		keys[j + 1] = tmp
	}
	for (i = 1; i <= count; i++) {
		if (keys[i] !~ /^slab:/ || memory[kernel, keys[i]] < 1024)
			continue
		name = substr(keys[i], 6)
		shown = shown sprintf("%s%s %+.0f B", shown == "" ? "" : ", ", name,
				      memory[kernel, keys[i]] / info[kernel, "large"])
	}
	return shown
}

# A target row: the value per kernel and whether it is within the limit.
function target_row(label, limit, unit,    i, value, verdict) {
	printf "| %s |", label
	for (i = 1; i <= nk; i++) {
		value = target_value[k[i]]
		if (value == "")
			verdict = "not measured"
		else if (value <= limit)
			verdict = sprintf("%.2f%s, met", value, unit)
		else
			verdict = sprintf("%.2f%s, missed by %.2fx", value, unit, value / limit)
		printf " %s |", verdict
	}
	printf "\n"
}

END {
	nk = split(kernels, k, " ")

	print "Kernels and settings:"
	print ""
	for (i = 1; i <= nk; i++)
		printf "- %s: %s CPUs, %s repetitions (%s for 100 engagements, 3 for 1,000), %s calls a loop, QEMU TCG\n",
			k[i], info[k[i], "cpus"], info[k[i], "reps_small"],
			info[k[i], "reps_mid"], info[k[i], "iterations"]
	print ""
	print "Every time is the median with the minimum and maximum in brackets. Ratios"
	print "are of the medians, with the ratio of the minimums in brackets."
	print ""

	print "### Time to mitigate (ms)"
	print ""
	header("measurement")
	row("control write until getpgid is blocked", "mitigate", "control_write", 1e6, "%.2f")
	row("`ksctl engage --yes` until getpgid is blocked", "mitigate", "ksctl_engage", 1e6, "%.1f")
	row("one engage write (ks_bench function)", "single", "engage", 1e6, "%.2f")
	row("one disengage write", "single", "disengage", 1e6, "%.2f")
	split("add enable disable remove", steps, " ")
	step_effect["add"] = "registers it disabled"
	step_effect["enable"] = "arms it"
	step_effect["disable"] = "disarms it"
	step_effect["remove"] = "unregisters it"
	for (t = 1; t <= 4; t++)
		row("reference, tracefs kprobe event: " steps[t] " (" step_effect[steps[t]] ")",
		    "tracefs", steps[t], 1e6, "%.2f")
	print ""

	print "### Applying and removing N engagements (ms)"
	print ""
	header("measurement")
	split("10 100 1000", counts, " ")
	for (c = 1; c <= 3; c++)
		row("engage " counts[c] ", one write each", "apply", counts[c], 1e6, "%.1f")
	for (c = 1; c <= 3; c++)
		row("disengage " counts[c] ", one write each", "remove_each", counts[c], 1e6, "%.1f")
	for (c = 1; c <= 3; c++)
		row("`disengage_all` of " counts[c], "remove_all", counts[c], 1e6, "%.1f")
	for (c = 1; c <= 3; c++)
		row("`ksctl disengage --all` of " counts[c], "remove_ksctl", counts[c], 1e6, "%.1f")
	printf "| engage: time per engagement, 1,000 over 10 |"
	for (i = 1; i <= nk; i++) {
		value = ratio_value(k[i], "apply", 1000, "apply", 10)
		printf " %s |", value == "" ? "n/a" : sprintf("%.2fx", value / 100)
	}
	printf "\n| engage: median of engagements 901-1,000 over 1-100 |"
	for (i = 1; i <= nk; i++) {
		a = list_median(last, k[i], last_n[k[i]])
		b = list_median(first, k[i], first_n[k[i]])
		per_growth[k[i]] = (a == "" || b == "" || b == 0) ? "" : a / b
		printf " %s |", show_ratio(per_growth[k[i]])
	}
	printf "\n"
	ratio_row("`disengage_all` of 100 over one disengage", "remove_all", 100, "single", "disengage")
	print ""

	print "### Cost of a call (ns per call, getpgid(0) in a loop)"
	print ""
	header("loop")
	row("write(-1) fails with EBADF (floor)", "call", "floor_badfd", 1, "%.0f")
	row("getpgid, not engaged", "call", "unengaged", 1, "%.0f")
	row("getpgid, engaged: blocked with EPERM", "call", "engaged", 1, "%.0f")
	row("getpgid, engaged with scope=nonroot, called by root", "call", "scoped_root", 1, "%.0f")
	ratio_row("engaged over floor", "call", "engaged", "call", "floor_badfd")
	ratio_row("engaged over not engaged", "call", "engaged", "call", "unengaged")
	ratio_row("scoped, root caller, over not engaged", "call", "scoped_root", "call", "unengaged")
	for (i = 1; i <= nk; i++)
		if ((k[i], "call", "scoped_root") in skipped)
			printf "\nScoped row on %s not measured: %s.\n", k[i], skipped[k[i], "call", "scoped_root"]
	print ""

	print "### Cost to unrelated code (ns per call)"
	print ""
	header("workload")
	split("getppid pipe", workloads, " ")
	workload_label["getppid"] = "getppid"
	workload_label["pipe"] = "pipe write and read of 64 bytes"
	for (w = 1; w <= 2; w++) {
		row(workload_label[workloads[w]] ", 0 engagements", "unrelated_" workloads[w], 0, 1, "%.0f")
		row(workload_label[workloads[w]] ", 100 engagements elsewhere", "unrelated_" workloads[w], 100, 1, "%.0f")
	}
	for (w = 1; w <= 2; w++)
		ratio_row(workloads[w] ", 100 over 0", "unrelated_" workloads[w], 100, "unrelated_" workloads[w], 0)
	print ""

	print "### Memory for 1,000 engagements"
	print ""
	header("memory")
	printf "| Slab in /proc/meminfo, per engagement |"
	for (i = 1; i <= nk; i++)
		printf " %.0f B |", memory[k[i], "meminfo_slab"] / info[k[i], "large"]
	printf "\n| Percpu in /proc/meminfo, per engagement |"
	for (i = 1; i <= nk; i++)
		printf " %.0f B |", memory[k[i], "meminfo_percpu"] / info[k[i], "large"]
	printf "\n| struct ks_engagement (pahole), and the kmalloc size class kzalloc takes it from |"
	for (i = 1; i <= nk; i++) {
		size = info[k[i], "engagement_struct_bytes"]
		if (size == "") {
			printf " n/a |"
			continue
		}
		split("8 16 32 64 96 128 192 256 512 1024 2048 4096", classes, " ")
		for (c = 1; c < 12 && classes[c] + 0 < size + 0; c++)
			;
		printf " %d B, kmalloc-%d |", size, classes[c]
	}
	printf "\n| percpu hit counter: 8 B (alloc_percpu(u64)) times possible CPUs |"
	for (i = 1; i <= nk; i++)
		printf " %d B |", 8 * info[k[i], "possible_cpus"]
	printf "\n| slab objects in use (/proc/slabinfo), securityfs inodes and dentries aside, per engagement |"
	for (i = 1; i <= nk; i++) {
		memory_split(k[i])
		printf " %.0f B |", slab_other[k[i]] / info[k[i], "large"]
	}
	printf "\n| securityfs inodes and dentries (inode_cache, lsm_inode_cache, dentry), per engagement |"
	for (i = 1; i <= nk; i++)
		printf " %.0f B |", slab_fs[k[i]] / info[k[i], "large"]
	printf "\n| caches that grew by 1 KiB or more, per engagement |"
	for (i = 1; i <= nk; i++)
		printf " %s |", memory_breakdown(k[i])
	printf "\n\n"

	print "### ksctl latency (ms)"
	print ""
	header("command")
	split("status check kallsyms", commands, " ")
	command_label["status"] = "`ksctl status`"
	command_label["check"] = "`ksctl check __x64_sys_getpgid -EPERM`"
	command_label["kallsyms"] = "`cat /proc/kallsyms > /dev/null`"
	for (c = 1; c <= 3; c++) {
		row(command_label[commands[c]] ", 0 engagements", "cli_" commands[c], 0, 1e6, "%.1f")
		row(command_label[commands[c]] ", 1,000 engagements", "cli_" commands[c], 1000, 1e6, "%.1f")
	}
	ratio_row("`ksctl check` over `cat /proc/kallsyms`, 0 engagements", "cli_check", 0, "cli_kallsyms", 0)
	ratio_row("`ksctl status`, 1,000 over 0 engagements", "cli_status", 1000, "cli_status", 0)
	print ""

	print "### Where engage and disengage spend their time (function_graph tracer)"
	print ""
	print "100 engage writes, 50 disengage writes, then one `disengage_all` of 50;"
	print "calls and mean wall time per call in microseconds, sleep included."
	print ""
	header("function")
	count = split("ks_engage ks_check_unshared ks_arm register_kprobe ks_fs_add_function " \
		      "ks_log_change ks_disengage ks_fs_remove_function unregister_kprobe " \
		      "ks_disengage_all unregister_kprobes synchronize_rcu", names, " ")
	for (f = 1; f <= count; f++) {
		printf "| `%s` |", names[f]
		for (i = 1; i <= nk; i++) {
			calls = profile_calls[k[i], names[f]]
			if (calls)
				printf " %d calls, %.0f µs each |", calls, profile_us[k[i], names[f]] / calls
			else
				printf " not traced |"
		}
		printf "\n"
	}
	print ""

	print "### Targets"
	print ""
	header("target")
	for (i = 1; i <= nk; i++) {
		value = ratio_value(k[i], "apply", 1000, "apply", 10)
		target_value[k[i]] = value == "" ? "" : value / 100
	}
	target_row("time per engagement, applying 1,000 over applying 10, at most 1.5x", 1.5, "x")
	for (i = 1; i <= nk; i++)
		target_value[k[i]] = per_growth[k[i]]
	target_row("engagements 901-1,000 over 1-100, at most 1.5x", 1.5, "x")
	for (i = 1; i <= nk; i++)
		target_value[k[i]] = ratio_value(k[i], "remove_all", 100, "single", "disengage")
	target_row("`disengage_all` of 100 over one disengage, at most 3x", 3, "x")
	for (i = 1; i <= nk; i++)
		target_value[k[i]] = ratio_value(k[i], "unrelated_getppid", 100, "unrelated_getppid", 0)
	target_row("getppid with 100 engagements elsewhere, at most 1.02x", 1.02, "x")
	for (i = 1; i <= nk; i++)
		target_value[k[i]] = ratio_value(k[i], "unrelated_pipe", 100, "unrelated_pipe", 0)
	target_row("pipe with 100 engagements elsewhere, at most 1.02x", 1.02, "x")
	for (i = 1; i <= nk; i++)
		target_value[k[i]] = ratio_value(k[i], "call", "scoped_root", "call", "unengaged")
	target_row("scoped engagement, allowed caller, at most 1.10x", 1.10, "x")
	for (i = 1; i <= nk; i++)
		target_value[k[i]] = (slab_other[k[i]] / info[k[i], "large"] + 8 * info[k[i], "possible_cpus"]) / 1024
	target_row("slab objects and percpu per engagement, securityfs aside, under 2 KiB", 2, " KiB")
	for (i = 1; i <= nk; i++)
		target_value[k[i]] = ratio_value(k[i], "cli_check", 0, "cli_kallsyms", 0)
	target_row("`ksctl check` over `cat /proc/kallsyms`, at most 3x", 3, "x")
}
