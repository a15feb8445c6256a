// SPDX-License-Identifier: GPL-2.0
/*
 * linecard: analog telephone ports as /dev/lineN, with software DSP and
 * generic netlink control.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "core.h"
#include "stream.h"

static int __init lc_init(void)
{
	int ret;

	ret = lc_ports_init();
	if (ret)
		return ret;
	ret = lc_chardev_init();
	if (ret)
		goto err_ports;
	ret = lc_streams_init();
	if (ret)
		goto err_chardev;
	ret = lc_netlink_init();
	if (ret)
		goto err_streams;
	pr_info("loaded\n");
	return 0;

err_streams:
	lc_streams_uninit();
err_chardev:
	lc_chardev_uninit();
err_ports:
	lc_ports_uninit();
	return ret;
}

static void __exit lc_exit(void)
{
	lc_netlink_uninit();
	lc_streams_uninit();
	lc_chardev_uninit();
	lc_ports_uninit();
}

module_init(lc_init);
module_exit(lc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Analog telephone ports with software DSP and RTP");
MODULE_ALIAS_GENL_FAMILY(LINECARD_GENL_NAME);
