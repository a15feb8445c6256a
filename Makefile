# linecard: kernel modules, daemon, tools and tests.
#
#   make          build the modules (against Debian's stock kernel headers)
#                 and the user-space programs
#   make check    every test; ends with "N passed, N failed"
#   make demo     boot a guest with two virtual ports and use them
#   make lint     checkpatch --strict and sparse over the kernel code

KVER ?= $(shell scripts/kver 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
BUILD := build

CC ?= gcc
CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -Iuapi -Ikernel
NL_CFLAGS = $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS = $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)

# Pure logic shared by the module and the unit tests.
PURE := dtmf tone hook fsk
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
TOOLS := $(BUILD)/vphone $(BUILD)/lctl $(BUILD)/audiostat $(BUILD)/rtpflood
TOOLS += $(BUILD)/fpbench $(BUILD)/rtprelay $(BUILD)/cidrx $(BUILD)/dtmfrx
SOFIA_CFLAGS = $(shell pkg-config --cflags sofia-sip-ua 2>/dev/null)
SOFIA_LIBS = $(shell pkg-config --libs sofia-sip-ua 2>/dev/null)
DAEMON_SRC := linecardd reg line call callsm nlcall cid ctl kernel tones sdp digitmap config backoff log
DAEMON_OBJ := $(patsubst %,$(BUILD)/daemon/%.o,$(DAEMON_SRC))
PROGRAMS := $(BUILD)/linecardd $(BUILD)/linecardctl

.PHONY: all modules programs tools install unit check demo lint clean setup

all: modules programs tools

programs: $(PROGRAMS)

# The daemon: sofia-sip for SIP, libnl-genl for the kernel's family.
$(BUILD)/daemon/%.o: daemon/%.c daemon/*.h uapi/linux/linecard.h | $(BUILD)/daemon
	$(CC) $(CFLAGS) $(SOFIA_CFLAGS) $(NL_CFLAGS) -c -o $@ $<

$(BUILD)/linecardd: $(DAEMON_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(SOFIA_LIBS) $(NL_LIBS)

$(BUILD)/linecardctl: daemon/linecardctl.c | $(BUILD)
	$(CC) $(CFLAGS) -o $@ $<

modules:
	@test -n "$(KVER)" || { echo "no Debian kernel headers: run scripts/setup" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

tools: $(TOOLS)

$(BUILD)/vphone: tests/tools/vphone.c | $(BUILD)
	$(CC) $(CFLAGS) -o $@ $<

$(BUILD)/audiostat: tests/tools/audiostat.c | $(BUILD)
	$(CC) $(CFLAGS) -o $@ $< -lm

$(BUILD)/rtpflood: tests/tools/rtpflood.c | $(BUILD)
	$(CC) $(CFLAGS) -o $@ $< -lm

# Caller ID decoded by spandsp's ADSI receiver, independent of kernel/fsk.c.
$(BUILD)/cidrx: tests/tools/cidrx.c | $(BUILD)
	$(CC) $(CFLAGS) -o $@ $< -lspandsp

# DTMF found by spandsp's receiver, independent of kernel/dtmf.c.
$(BUILD)/dtmfrx: tests/tools/dtmfrx.c | $(BUILD)
	$(CC) $(CFLAGS) -o $@ $< -lspandsp

# lctl talks to the kernel through the daemon's netlink request code.
$(BUILD)/lctl: tests/tools/lctl.c daemon/nlcall.c daemon/nlcall.h uapi/linux/linecard.h | $(BUILD)
	$(CC) $(CFLAGS) -Idaemon $(NL_CFLAGS) -o $@ $< daemon/nlcall.c $(NL_LIBS)

# The fast-path benchmark (scripts/bench/fastpath): its measuring tool, and
# a user-space relay built from the module's own G.711, RTP and jitter
# buffer code.
$(BUILD)/fpbench: tests/tools/fpbench.c daemon/nlcall.c daemon/nlcall.h uapi/linux/linecard.h \
		| $(BUILD)
	$(CC) $(CFLAGS) -Idaemon $(NL_CFLAGS) -o $@ $< daemon/nlcall.c $(NL_LIBS)

$(BUILD)/rtprelay: tests/tools/rtprelay.c kernel/g711.c kernel/rtp.c kernel/jbuf.c | $(BUILD)
	$(CC) $(CFLAGS) -D'EXPORT_SYMBOL_GPL(sym)=' -o $@ $^

# The user-space half on a target: programs, unit, example configuration.
DESTDIR ?=
install: programs
	install -D -m 0755 $(BUILD)/linecardd $(DESTDIR)/usr/sbin/linecardd
	install -D -m 0755 $(BUILD)/linecardctl $(DESTDIR)/usr/sbin/linecardctl
	install -D -m 0644 daemon/linecardd.service \
		$(DESTDIR)/lib/systemd/system/linecardd.service
	install -D -m 0600 daemon/linecard.conf.example \
		$(DESTDIR)/usr/share/doc/linecard/linecard.conf.example

unit: $(UNIT_TESTS)

# Symbols the module exports to its backends are plain functions here.
$(BUILD)/unit/test_%: tests/unit/test_%.c kernel/%.c kernel/%.h kernel/lc_compat.h | $(BUILD)/unit
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -D'EXPORT_SYMBOL_GPL(sym)=' -o $@ $< kernel/$*.c \
		$(CHECK_LIBS) -lm

# The FSK modulator shares tone.c's sine and level tables.
$(BUILD)/unit/test_fsk: tests/unit/test_fsk.c kernel/fsk.c kernel/fsk.h kernel/tone.c \
		kernel/tone.h kernel/lc_compat.h | $(BUILD)/unit
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -D'EXPORT_SYMBOL_GPL(sym)=' -o $@ $< kernel/fsk.c \
		kernel/tone.c $(CHECK_LIBS) -lm

# The call state machine uses the digit map engine.
$(BUILD)/unit/test_callsm: tests/unit/test_callsm.c daemon/callsm.c daemon/callsm.h \
		daemon/digitmap.c daemon/digitmap.h daemon/tones.h | $(BUILD)/unit
	$(CC) $(CFLAGS) -Idaemon $(CHECK_CFLAGS) -o $@ $< daemon/callsm.c daemon/digitmap.c \
		$(CHECK_LIBS)

# Daemon pieces: plain user-space C.
$(BUILD)/unit/test_%: tests/unit/test_%.c daemon/%.c daemon/%.h | $(BUILD)/unit
	$(CC) $(CFLAGS) -Idaemon $(CHECK_CFLAGS) -o $@ $< daemon/$*.c $(CHECK_LIBS)

$(BUILD) $(BUILD)/unit $(BUILD)/daemon:
	mkdir -p $@

setup:
	scripts/setup

check:
	scripts/check

demo:
	scripts/demo

lint:
	scripts/lint

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf $(BUILD)
