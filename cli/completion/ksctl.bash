# bash completion for ksctl(8). Function names come from /proc/kallsyms
# when it is readable.

# _ksctl_catalog COMMAND: complete catalog and mitigate. CVE ids come from
# ksctl catalog list, which reads the catalog folder ksctl finds itself.
_ksctl_catalog() {
	local command=$1 action="" word
	case $prev in
	--catalog)
		_filedir -d
		return
		;;
	--scope)
		COMPREPLY=($(compgen -W "all nonroot userns" -- "$cur"))
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		if [ "$command" = mitigate ]; then
			COMPREPLY=($(compgen -W "--scope --force --dry-run --yes --catalog --json --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--catalog --json --help" -- "$cur"))
		fi
		return
	fi
	for word in "${words[@]:1:cword-1}"; do
		case $word in
		list | show | check | lint) action=$word ;;
		esac
	done
	if [ "$command" = catalog ] && [ -z "$action" ]; then
		COMPREPLY=($(compgen -W "list show check lint" -- "$cur"))
		return
	fi
	if [ "$command" = mitigate ] || [ "$action" = show ] || [ "$action" = check ]; then
		COMPREPLY=($(compgen -W "$(ksctl catalog list --json 2>/dev/null |
			sed -n 's/^ *"id": *"\(CVE-[0-9-]*\)".*/\1/p')" -- "$cur"))
	fi
}

_ksctl() {
	local cur prev words cword
	_init_completion || return

	local commands="check engage observe disengage status doctor catalog mitigate apply save"
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
	--allow)
		_filedir
		return
		;;
	--scope)
		COMPREPLY=($(compgen -W "all nonroot userns" -- "$cur"))
		return
		;;
	--irq)
		COMPREPLY=($(compgen -W "block pass" -- "$cur"))
		return
		;;
	--try | --for | --observe)
		# A number of seconds: nothing to complete.
		return
		;;
	esac

	if [ -z "$command" ]; then
		COMPREPLY=($(compgen -W "$commands $global" -- "$cur"))
		return
	fi

	case $command in
	check)
		COMPREPLY=($(compgen -W "--observe --force --json --help" -- "$cur"))
		;;
	engage)
		COMPREPLY=($(compgen -W "--scope --allow --irq --try --force --dry-run --yes --json --help" -- "$cur"))
		;;
	observe)
		COMPREPLY=($(compgen -W "--for --json --help" -- "$cur"))
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
	catalog | mitigate)
		_ksctl_catalog "$command"
		return
		;;
	apply | save)
		if [ "$prev" = --catalog ]; then
			COMPREPLY=($(compgen -d -- "$cur"))
			return
		fi
		;;&
	apply)
		COMPREPLY=($(compgen -W "--dry-run --modprobe-conf --catalog --json --help" -- "$cur"))
		return
		;;
	save)
		# A drop-in name; the default is 50-saved.conf.
		COMPREPLY=($(compgen -W "--catalog --json --help 50-saved.conf" -- "$cur"))
		return
		;;
	esac

	# check, engage and observe take a function name first. Listing kallsyms costs
	# a second, so it needs at least three typed characters.
	if [[ $cur != -* ]] && [ ${#cur} -ge 3 ] && [ -r /proc/kallsyms ]; then
		COMPREPLY+=($(awk -v prefix="$cur" '($2 == "t" || $2 == "T") && index($3, prefix) == 1 { print $3 }' \
			/proc/kallsyms | sort -u | head -n 200))
	fi
} &&
	complete -F _ksctl ksctl
