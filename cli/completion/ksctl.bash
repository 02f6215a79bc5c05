# bash completion for ksctl(8). Function names come from /proc/kallsyms
# when it is readable.

_ksctl() {
	local cur prev words cword
	_init_completion || return

	local commands="check engage disengage status doctor apply save"
	local global="--root --cache-dir --json --version --help"
	local command="" i

	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--root | --cache-dir) ((i++)) ;;
		-*) ;;
		*)
			command=${words[i]}
			break
			;;
		esac
	done

	case $prev in
	--root | --cache-dir)
		_filedir -d
		return
		;;
	esac

	if [ -z "$command" ]; then
		COMPREPLY=($(compgen -W "$commands $global" -- "$cur"))
		return
	fi

	case $command in
	check)
		COMPREPLY=($(compgen -W "--force --json --help" -- "$cur"))
		;;
	engage)
		COMPREPLY=($(compgen -W "--force --dry-run --yes --json --help" -- "$cur"))
		;;
	disengage)
		COMPREPLY=($(compgen -W "--all --json --help" -- "$cur"))
		if [[ $cur != -* ]] && [ -r /sys/kernel/security/killswitch/engaged ]; then
			COMPREPLY+=($(compgen -W "$(cut -d' ' -f1 /sys/kernel/security/killswitch/engaged)" -- "$cur"))
		fi
		return
		;;
	status | doctor)
		COMPREPLY=($(compgen -W "--json --help" -- "$cur"))
		return
		;;
	apply)
		COMPREPLY=($(compgen -W "--dry-run --modprobe-conf --json --help" -- "$cur"))
		return
		;;
	save)
		# A drop-in name; the default is 50-saved.conf.
		COMPREPLY=($(compgen -W "--json --help 50-saved.conf" -- "$cur"))
		return
		;;
	esac

	# check and engage take a function name first. Listing kallsyms costs
	# a second, so it needs at least three typed characters.
	if [[ $cur != -* ]] && [ ${#cur} -ge 3 ] && [ -r /proc/kallsyms ]; then
		COMPREPLY+=($(awk -v prefix="$cur" '($2 == "t" || $2 == "T") && index($3, prefix) == 1 { print $3 }' \
			/proc/kallsyms | sort -u | head -n 200))
	fi
} &&
	complete -F _ksctl ksctl
