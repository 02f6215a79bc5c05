# killswitch: top-level targets. See README.md.
#
#   make module     build killswitch.ko for the running kernel (KDIR=... for another)
#   make unit       host unit tests under AddressSanitizer and UBSan
#   make lint       checkpatch --strict and sparse on the kernel code
#   make check      everything: unit tests, lint, and the VM suites on both kernels
#   make demo       the Copy Fail mitigation, step by step, in a VM of Debian's kernel
#                   (KERNEL=6.12 for the backports kernel)

KDIR ?= /lib/modules/$(shell uname -r)/build
KERNELS ?= 6.1 6.12
KERNEL ?= 6.1

CC ?= cc
UNIT_CFLAGS = -std=c11 -Wall -Wextra -Werror -g -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Icommon
BUILD = build

all: module

module:
	$(MAKE) -C module KDIR=$(KDIR)

$(BUILD)/unit/test_grammar: tests/unit/test_grammar.c common/ks_grammar.c \
		common/ks_grammar.h common/ks_errno_table.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ tests/unit/test_grammar.c common/ks_grammar.c -lcmocka

unit: $(BUILD)/unit/test_grammar
	CMOCKA_MESSAGE_OUTPUT=TAP $(BUILD)/unit/test_grammar

lint:
	tests/lint-kernel

check:
	KERNELS="$(KERNELS)" tests/check

demo:
	demo/copy-fail --kernel $(KERNEL)

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C module KDIR=$(KDIR) clean

.PHONY: all module unit lint check demo clean
