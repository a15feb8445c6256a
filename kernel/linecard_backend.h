/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface between linecard.ko and the drivers of the hardware that
 * carries the ports (a SLIC/DSP chip, or linecard_vport's virtual ports).
 *
 * A backend owns the line hardware; the core owns everything that does not
 * depend on the chip: signalling, DSP, character devices, netlink and the
 * frame clock.  Every 10 ms the core asks each port of the backend for one
 * frame of mouthpiece audio and hands it one frame of earpiece audio.
 */
#ifndef _LINECARD_BACKEND_H
#define _LINECARD_BACKEND_H

#include <linux/types.h>
#include <linux/ktime.h>
#include <linux/linecard.h>

struct linecard_port;

struct linecard_port_ops {
	/*
	 * All ops are called with the port's lock held, in softirq or
	 * process context: they must not sleep.
	 */
	void (*read_frame)(struct linecard_port *port,
			   s16 mouth[LINECARD_FRAME_SAMPLES]);
	void (*write_frame)(struct linecard_port *port,
			    const s16 ear[LINECARD_FRAME_SAMPLES]);
	void (*set_ring)(struct linecard_port *port, bool on);
	void (*set_polarity)(struct linecard_port *port, u8 polarity);
	void (*set_linefeed)(struct linecard_port *port, u8 linefeed);
};

struct linecard_backend;

/*
 * Register @nports ports driven by @ops.  Returns the backend or an
 * ERR_PTR.  No op is called until linecard_backend_start(), which starts
 * the software frame clock (a kernel thread; the frame ops run in it with
 * bottom halves disabled): set each port's priv in between.  If it fails,
 * unregister the backend.
 */
struct linecard_backend *linecard_backend_register(const char *name,
						   const struct linecard_port_ops *ops,
						   unsigned int nports);
int linecard_backend_start(struct linecard_backend *backend);
/* Remove every port of the backend; no op is called after this returns. */
void linecard_backend_unregister(struct linecard_backend *backend);

struct linecard_port *linecard_backend_port(struct linecard_backend *backend,
					    unsigned int i);
void linecard_port_set_priv(struct linecard_port *port, void *priv);
void *linecard_port_priv(struct linecard_port *port);
/* The global index of the port: /dev/lineN. */
unsigned int linecard_port_index(struct linecard_port *port);

/*
 * The raw hook switch changed at @when.  Process or softirq context (from
 * a hard interrupt, defer to a threaded handler); never with a lock held
 * that a port op takes.
 */
void linecard_port_hook_edge(struct linecard_port *port, bool offhook,
			     ktime_t when);

#endif /* _LINECARD_BACKEND_H */
