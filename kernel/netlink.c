// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "linecard": port get/set and the "events"
 * multicast group.  The API is documented in uapi/linux/linecard.h.
 */
#include <net/genetlink.h>
#include <linux/module.h>

#include "core.h"
#include "stream.h"

static const struct nla_policy lc_cfg_policy[LINECARD_A_CFG_MAX + 1] = {
	[LINECARD_A_CFG_DEBOUNCE_MS] = NLA_POLICY_RANGE(NLA_U32, 1, LINECARD_CFG_MAX_MS),
	[LINECARD_A_CFG_PULSE_MIN_MS] = NLA_POLICY_RANGE(NLA_U32, 1, LINECARD_CFG_MAX_MS),
	[LINECARD_A_CFG_FLASH_MIN_MS] = NLA_POLICY_RANGE(NLA_U32, 1, LINECARD_CFG_MAX_MS),
	[LINECARD_A_CFG_FLASH_MAX_MS] = NLA_POLICY_RANGE(NLA_U32, 1, LINECARD_CFG_MAX_MS),
	[LINECARD_A_CFG_INTERDIGIT_MS] = NLA_POLICY_RANGE(NLA_U32, 1, LINECARD_CFG_MAX_MS),
	[LINECARD_A_CFG_DTMF_DETECT] = NLA_POLICY_MAX(NLA_U8, 1),
};

static struct netlink_range_validation lc_timeout_range __ro_after_init = {
	.max = 3600000,		/* an hour of silence, in ms */
};

/* Only what user space may send; the rest are replies and notifications. */
static const struct nla_policy lc_policy[LINECARD_A_MAX + 1] = {
	[LINECARD_A_PORT_INDEX] = NLA_POLICY_MAX(NLA_U32, LINECARD_MAX_PORTS - 1),
	[LINECARD_A_PORT_CONFIG] = NLA_POLICY_NESTED(lc_cfg_policy),
	[LINECARD_A_STREAM_ID] = { .type = NLA_U32 },
	[LINECARD_A_STREAM_LOCAL] = { .type = NLA_BINARY, .len = sizeof(struct sockaddr_in6) },
	[LINECARD_A_STREAM_REMOTE] = { .type = NLA_BINARY, .len = sizeof(struct sockaddr_in6) },
	[LINECARD_A_STREAM_CODEC] = NLA_POLICY_MAX(NLA_U8, LINECARD_CODEC_MAX),
	[LINECARD_A_STREAM_PT] = NLA_POLICY_MAX(NLA_U8, 127),
	[LINECARD_A_STREAM_PTIME] = NLA_POLICY_RANGE(NLA_U16, 10, LC_MAX_PTIME_MS),
	[LINECARD_A_STREAM_SSRC] = { .type = NLA_U32 },
	[LINECARD_A_STREAM_TEL_EVENT_PT] = NLA_POLICY_MAX(NLA_U8, 127),
	[LINECARD_A_STREAM_DIRECTION] = NLA_POLICY_MAX(NLA_U8, LINECARD_DIR_MAX),
	[LINECARD_A_STREAM_DSCP] = NLA_POLICY_MAX(NLA_U8, 63),
	[LINECARD_A_STREAM_JB_MIN] = NLA_POLICY_RANGE(NLA_U16, 0, 1000),
	[LINECARD_A_STREAM_JB_MAX] = NLA_POLICY_RANGE(NLA_U16, 10, 1000),
	[LINECARD_A_STREAM_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &lc_timeout_range),
	[LINECARD_A_STREAM_SEND_EVENT] = { .type = NLA_U8 },
};

static struct genl_family lc_family;

enum lc_mcgrp {
	LC_MCGRP_EVENTS,
};

static const struct genl_multicast_group lc_mcgrps[] = {
	[LC_MCGRP_EVENTS] = { .name = LINECARD_GENL_MCGRP_EVENTS },
};

static int lc_put_cfg(struct sk_buff *skb, const struct lc_hook_cfg *cfg)
{
	struct nlattr *nest = nla_nest_start(skb, LINECARD_A_PORT_CONFIG);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, LINECARD_A_CFG_DEBOUNCE_MS, cfg->debounce_ms) ||
	    nla_put_u32(skb, LINECARD_A_CFG_PULSE_MIN_MS, cfg->pulse_min_ms) ||
	    nla_put_u32(skb, LINECARD_A_CFG_FLASH_MIN_MS, cfg->flash_min_ms) ||
	    nla_put_u32(skb, LINECARD_A_CFG_FLASH_MAX_MS, cfg->flash_max_ms) ||
	    nla_put_u32(skb, LINECARD_A_CFG_INTERDIGIT_MS, cfg->interdigit_ms) ||
	    nla_put_u8(skb, LINECARD_A_CFG_DTMF_DETECT, cfg->dtmf_detect)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int lc_put_stats(struct sk_buff *skb, const struct linecard_port_stats *st,
			u64 glitches)
{
	struct nlattr *nest = nla_nest_start(skb, LINECARD_A_PORT_STATS);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, LINECARD_A_STAT_EVENTS, st->events, LINECARD_A_STAT_PAD) ||
	    nla_put_u64_64bit(skb, LINECARD_A_STAT_HOOK_CHANGES, st->hook_changes,
			      LINECARD_A_STAT_PAD) ||
	    nla_put_u64_64bit(skb, LINECARD_A_STAT_FLASHES, st->flashes, LINECARD_A_STAT_PAD) ||
	    nla_put_u64_64bit(skb, LINECARD_A_STAT_DIGITS_DTMF, st->digits_dtmf,
			      LINECARD_A_STAT_PAD) ||
	    nla_put_u64_64bit(skb, LINECARD_A_STAT_DIGITS_PULSE, st->digits_pulse,
			      LINECARD_A_STAT_PAD) ||
	    nla_put_u64_64bit(skb, LINECARD_A_STAT_GLITCHES, glitches, LINECARD_A_STAT_PAD) ||
	    nla_put_u64_64bit(skb, LINECARD_A_STAT_FRAMES, st->frames, LINECARD_A_STAT_PAD) ||
	    nla_put_u64_64bit(skb, LINECARD_A_STAT_RINGS, st->rings, LINECARD_A_STAT_PAD) ||
	    nla_put_u64_64bit(skb, LINECARD_A_STAT_NOTIFY_FAILED, st->notify_failed,
			      LINECARD_A_STAT_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int lc_put_clock(struct sk_buff *skb, const struct lc_clock_stats *clk)
{
	struct nlattr *nest = nla_nest_start(skb, LINECARD_A_CLOCK);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, LINECARD_A_CLK_TICKS, clk->ticks, LINECARD_A_CLK_PAD) ||
	    nla_put_u64_64bit(skb, LINECARD_A_CLK_LATE, clk->late, LINECARD_A_CLK_PAD) ||
	    nla_put_u64_64bit(skb, LINECARD_A_CLK_MISSED, clk->missed, LINECARD_A_CLK_PAD) ||
	    nla_put_u64_64bit(skb, LINECARD_A_CLK_MAX_LATENESS_NS, clk->max_lateness_ns,
			      LINECARD_A_CLK_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int lc_fill_port(struct sk_buff *skb, struct linecard_port *port,
			u32 portid, u32 seq, int flags)
{
	struct linecard_port_stats stats;
	struct lc_clock_stats clk = { };
	struct lc_hook_cfg cfg;
	u8 hook, ring, tone, polarity, linefeed;
	u64 glitches;
	u32 pflags = 0;
	char name[LINECARD_NAME_LEN];
	void *hdr;

	spin_lock_bh(&port->lock);
	stats = port->stats;
	cfg = port->hook.cfg;
	glitches = port->hook.glitches;
	hook = port->hook_state;
	ring = port->ring.active;
	tone = lc_tone_active(&port->tone);
	polarity = port->polarity;
	linefeed = port->linefeed;
	if (port->stream)
		pflags |= LINECARD_PORT_F_STREAM;
	if (port->ringing)
		pflags |= LINECARD_PORT_F_RINGING;
	if (port->removed) {
		pflags |= LINECARD_PORT_F_REMOVED;
	} else {
		/* The backend is freed only after it sets removed under this lock. */
		const struct lc_clock *c = &port->backend->clock;

		clk.ticks = READ_ONCE(c->ticks);
		clk.late = READ_ONCE(c->late);
		clk.missed = READ_ONCE(c->missed);
		clk.max_lateness_ns = READ_ONCE(c->max_lateness_ns);
	}
	spin_unlock_bh(&port->lock);

	hdr = genlmsg_put(skb, portid, seq, &lc_family, flags, LINECARD_CMD_PORT_GET);
	if (!hdr)
		return -EMSGSIZE;
	snprintf(name, sizeof(name), "line%u", port->index);
	if (nla_put_u32(skb, LINECARD_A_PORT_INDEX, port->index) ||
	    nla_put_string(skb, LINECARD_A_PORT_NAME, name) ||
	    nla_put_string(skb, LINECARD_A_PORT_BACKEND, port->backend_name) ||
	    nla_put_u8(skb, LINECARD_A_PORT_HOOK, hook) ||
	    nla_put_u8(skb, LINECARD_A_PORT_RING, ring) ||
	    nla_put_u8(skb, LINECARD_A_PORT_TONE, tone) ||
	    nla_put_u8(skb, LINECARD_A_PORT_POLARITY, polarity) ||
	    nla_put_u8(skb, LINECARD_A_PORT_LINEFEED, linefeed) ||
	    nla_put_u32(skb, LINECARD_A_PORT_FLAGS, pflags) ||
	    lc_put_cfg(skb, &cfg) ||
	    lc_put_stats(skb, &stats, glitches) ||
	    lc_put_clock(skb, &clk)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static struct linecard_port *lc_nl_port(struct genl_info *info)
{
	struct linecard_port *port;

	if (GENL_REQ_ATTR_CHECK(info, LINECARD_A_PORT_INDEX))
		return ERR_PTR(-EINVAL);
	port = lc_port_get(nla_get_u32(info->attrs[LINECARD_A_PORT_INDEX]));
	if (!port) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LINECARD_A_PORT_INDEX],
				    "no such port");
		return ERR_PTR(-ENODEV);
	}
	return port;
}

static int lc_nl_port_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct linecard_port *port;
	struct sk_buff *msg;
	int ret;

	port = lc_nl_port(info);
	if (IS_ERR(port))
		return PTR_ERR(port);
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = lc_fill_port(msg, port, info->snd_portid, info->snd_seq, 0);
	if (ret) {
		nlmsg_free(msg);
		goto out;
	}
	ret = genlmsg_reply(msg, info);
out:
	lc_port_put(port);
	return ret;
}

/* cb->args[0]: index of the next port to dump. */
static int lc_nl_port_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned int index = cb->args[0];
	struct linecard_port *port;

	while (index < LINECARD_MAX_PORTS && (port = lc_port_next(&index))) {
		int ret = lc_fill_port(skb, port, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI);

		lc_port_put(port);
		if (ret)
			break;
		index++;
	}
	cb->args[0] = index;
	return skb->len;
}

static int lc_nl_port_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[LINECARD_A_CFG_MAX + 1];
	struct linecard_port *port;
	struct lc_hook_cfg cfg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LINECARD_A_PORT_CONFIG))
		return -EINVAL;
	port = lc_nl_port(info);
	if (IS_ERR(port))
		return PTR_ERR(port);
	ret = nla_parse_nested(tb, LINECARD_A_CFG_MAX, info->attrs[LINECARD_A_PORT_CONFIG],
			       lc_cfg_policy, info->extack);
	if (ret)
		goto out;

	lc_port_get_cfg(port, &cfg);
	if (tb[LINECARD_A_CFG_DEBOUNCE_MS])
		cfg.debounce_ms = nla_get_u32(tb[LINECARD_A_CFG_DEBOUNCE_MS]);
	if (tb[LINECARD_A_CFG_PULSE_MIN_MS])
		cfg.pulse_min_ms = nla_get_u32(tb[LINECARD_A_CFG_PULSE_MIN_MS]);
	if (tb[LINECARD_A_CFG_FLASH_MIN_MS])
		cfg.flash_min_ms = nla_get_u32(tb[LINECARD_A_CFG_FLASH_MIN_MS]);
	if (tb[LINECARD_A_CFG_FLASH_MAX_MS])
		cfg.flash_max_ms = nla_get_u32(tb[LINECARD_A_CFG_FLASH_MAX_MS]);
	if (tb[LINECARD_A_CFG_INTERDIGIT_MS])
		cfg.interdigit_ms = nla_get_u32(tb[LINECARD_A_CFG_INTERDIGIT_MS]);
	if (tb[LINECARD_A_CFG_DTMF_DETECT])
		cfg.dtmf_detect = nla_get_u8(tb[LINECARD_A_CFG_DTMF_DETECT]);

	ret = lc_port_set_cfg(port, &cfg);
	if (ret == -EINVAL)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LINECARD_A_PORT_CONFIG],
				    "need debounce < pulse min < flash min < flash max");
out:
	lc_port_put(port);
	return ret;
}

/* ---- streams ---- */

static int lc_nl_addr(struct genl_info *info, int type, union lc_addr *a)
{
	struct nlattr *attr = info->attrs[type];
	unsigned int len = nla_len(attr);

	memset(a, 0, sizeof(*a));
	memcpy(a, nla_data(attr), min_t(unsigned int, len, sizeof(*a)));
	if ((a->sa.sa_family == AF_INET && len == sizeof(struct sockaddr_in)) ||
	    (IS_ENABLED(CONFIG_IPV6) && a->sa.sa_family == AF_INET6 &&
	     len == sizeof(struct sockaddr_in6)))
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, attr, "need a sockaddr_in or sockaddr_in6");
	return -EINVAL;
}

static int lc_nl_stream_params(struct genl_info *info, struct lc_stream_params *p)
{
	struct nlattr **tb = info->attrs;
	int ret;

	if (tb[LINECARD_A_STREAM_LOCAL]) {
		ret = lc_nl_addr(info, LINECARD_A_STREAM_LOCAL, &p->local);
		if (ret)
			return ret;
	}
	if (tb[LINECARD_A_STREAM_REMOTE]) {
		ret = lc_nl_addr(info, LINECARD_A_STREAM_REMOTE, &p->remote);
		if (ret)
			return ret;
	}
	if (tb[LINECARD_A_STREAM_CODEC]) {
		p->codec = nla_get_u8(tb[LINECARD_A_STREAM_CODEC]);
		p->pt = p->codec == LINECARD_CODEC_PCMA ? 8 : 0;
	}
	if (tb[LINECARD_A_STREAM_PT])
		p->pt = nla_get_u8(tb[LINECARD_A_STREAM_PT]);
	if (tb[LINECARD_A_STREAM_PTIME]) {
		p->ptime_ms = nla_get_u16(tb[LINECARD_A_STREAM_PTIME]);
		if (p->ptime_ms % LINECARD_FRAME_MS) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[LINECARD_A_STREAM_PTIME],
					    "ptime must be a multiple of 10 ms");
			return -EINVAL;
		}
	}
	if (tb[LINECARD_A_STREAM_SSRC]) {
		p->ssrc = nla_get_u32(tb[LINECARD_A_STREAM_SSRC]);
		p->have_ssrc = true;
	}
	if (tb[LINECARD_A_STREAM_TEL_EVENT_PT])
		p->te_pt = nla_get_u8(tb[LINECARD_A_STREAM_TEL_EVENT_PT]);
	if (tb[LINECARD_A_STREAM_DIRECTION])
		p->dir = nla_get_u8(tb[LINECARD_A_STREAM_DIRECTION]);
	if (tb[LINECARD_A_STREAM_DSCP])
		p->dscp = nla_get_u8(tb[LINECARD_A_STREAM_DSCP]);
	if (tb[LINECARD_A_STREAM_JB_MIN])
		p->jb_min_ms = nla_get_u16(tb[LINECARD_A_STREAM_JB_MIN]);
	if (tb[LINECARD_A_STREAM_JB_MAX])
		p->jb_max_ms = nla_get_u16(tb[LINECARD_A_STREAM_JB_MAX]);
	if (tb[LINECARD_A_STREAM_TIMEOUT])
		p->timeout_ms = nla_get_u32(tb[LINECARD_A_STREAM_TIMEOUT]);
	if (p->jb_min_ms > p->jb_max_ms) {
		NL_SET_ERR_MSG(info->extack, "jitter buffer minimum above its maximum");
		return -EINVAL;
	}
	if (p->te_pt != LC_NO_PT && p->te_pt == p->pt) {
		NL_SET_ERR_MSG(info->extack, "telephone-event and audio share a payload type");
		return -EINVAL;
	}
	if (p->local.sa.sa_family && p->remote.sa.sa_family &&
	    p->local.sa.sa_family != p->remote.sa.sa_family) {
		NL_SET_ERR_MSG(info->extack, "local and remote address families differ");
		return -EINVAL;
	}
	if (!p->local.sa.sa_family)
		p->local.sa.sa_family = p->remote.sa.sa_family ?: AF_INET;
	return 0;
}

static int lc_put_stream_stats(struct sk_buff *skb, const struct lc_stream_info *in)
{
	struct nlattr *nest = nla_nest_start(skb, LINECARD_A_STREAM_STATS);
	const struct lc_stream_stats *st = &in->stats;
	const struct {
		int type;
		u64 val;
	} v[] = {
		{ LINECARD_A_SSTAT_TX_PACKETS, st->tx_packets },
		{ LINECARD_A_SSTAT_TX_OCTETS, st->tx_octets },
		{ LINECARD_A_SSTAT_RX_PACKETS, st->rx_packets },
		{ LINECARD_A_SSTAT_RX_OCTETS, st->rx_octets },
		{ LINECARD_A_SSTAT_LOST, in->jb.lost },
		{ LINECARD_A_SSTAT_DUPLICATED, in->jb.duplicated },
		{ LINECARD_A_SSTAT_REORDERED, in->jb.reordered },
		{ LINECARD_A_SSTAT_LATE, in->jb.late },
		{ LINECARD_A_SSTAT_DISCARDED, st->discarded + st->foreign },
		{ LINECARD_A_SSTAT_JITTER_US, in->jitter_us },
		{ LINECARD_A_SSTAT_PLAYOUT_MS, in->jb.playout_ms },
		{ LINECARD_A_SSTAT_REMOTE_LOST, in->have_remote_rb ?
					       (u64)(s64)in->remote_rb.cumulative_lost : 0 },
		{ LINECARD_A_SSTAT_REMOTE_JITTER_US, in->have_remote_rb ?
			(u64)in->remote_rb.jitter * (USEC_PER_SEC / LINECARD_SAMPLE_RATE) : 0 },
		{ LINECARD_A_SSTAT_RTT_US, in->rtt_us },
	};
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		if (nla_put_u64_64bit(skb, v[i].type, v[i].val, LINECARD_A_SSTAT_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int lc_fill_stream(struct sk_buff *skb, const struct lc_stream_info *in,
			  u32 portid, u32 seq, int flags, u8 cmd)
{
	const struct lc_stream_params *p = &in->p;
	unsigned int alen = p->local.sa.sa_family == AF_INET6 ?
			    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lc_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, LINECARD_A_STREAM_ID, in->id) ||
	    nla_put_u32(skb, LINECARD_A_PORT_INDEX, in->port) ||
	    nla_put(skb, LINECARD_A_STREAM_LOCAL, alen, &p->local) ||
	    (p->remote.sa.sa_family &&
	     nla_put(skb, LINECARD_A_STREAM_REMOTE, alen, &p->remote)) ||
	    nla_put_u8(skb, LINECARD_A_STREAM_CODEC, p->codec) ||
	    nla_put_u8(skb, LINECARD_A_STREAM_PT, p->pt) ||
	    nla_put_u16(skb, LINECARD_A_STREAM_PTIME, p->ptime_ms) ||
	    nla_put_u32(skb, LINECARD_A_STREAM_SSRC, p->ssrc) ||
	    (p->te_pt != LC_NO_PT &&
	     nla_put_u8(skb, LINECARD_A_STREAM_TEL_EVENT_PT, p->te_pt)) ||
	    nla_put_u8(skb, LINECARD_A_STREAM_DIRECTION, p->dir) ||
	    nla_put_u8(skb, LINECARD_A_STREAM_DSCP, p->dscp) ||
	    nla_put_u16(skb, LINECARD_A_STREAM_JB_MIN, p->jb_min_ms) ||
	    nla_put_u16(skb, LINECARD_A_STREAM_JB_MAX, p->jb_max_ms) ||
	    nla_put_u32(skb, LINECARD_A_STREAM_TIMEOUT, p->timeout_ms) ||
	    lc_put_stream_stats(skb, in)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int lc_nl_stream_reply(struct genl_info *info, const struct lc_stream_info *in)
{
	struct sk_buff *msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	int ret;

	if (!msg)
		return -ENOMEM;
	ret = lc_fill_stream(msg, in, info->snd_portid, info->snd_seq, 0,
			     info->genlhdr->cmd);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int lc_nl_stream_new(struct sk_buff *skb, struct genl_info *info)
{
	struct lc_stream_params p;
	struct lc_stream_info *in;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LINECARD_A_PORT_INDEX))
		return -EINVAL;
	lc_stream_params_default(&p);
	p.port = nla_get_u32(info->attrs[LINECARD_A_PORT_INDEX]);
	ret = lc_nl_stream_params(info, &p);
	if (ret)
		return ret;
	in = kmalloc(sizeof(*in), GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	ret = lc_stream_create(genl_info_net(info), info->snd_portid, &p, in);
	if (ret == -ENODEV)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LINECARD_A_PORT_INDEX],
				    "no such port");
	else if (ret == -EBUSY)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LINECARD_A_PORT_INDEX],
				    "the port already has a stream");
	if (!ret) {
		ret = lc_nl_stream_reply(info, in);
		if (ret)
			lc_stream_delete(in->id);
	}
	kfree(in);
	return ret;
}

static int lc_nl_stream_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct lc_stream_params p;
	u32 what = 0;
	u8 event = 0;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LINECARD_A_STREAM_ID))
		return -EINVAL;
	if (tb[LINECARD_A_PORT_INDEX] || tb[LINECARD_A_STREAM_LOCAL] ||
	    tb[LINECARD_A_STREAM_CODEC] || tb[LINECARD_A_STREAM_PT] ||
	    tb[LINECARD_A_STREAM_PTIME] || tb[LINECARD_A_STREAM_SSRC] ||
	    tb[LINECARD_A_STREAM_JB_MIN] || tb[LINECARD_A_STREAM_JB_MAX]) {
		NL_SET_ERR_MSG(info->extack,
			       "only remote, direction, dscp, telephone-event and timeout change");
		return -EINVAL;
	}
	lc_stream_params_default(&p);
	p.pt = LC_NO_PT;
	ret = lc_nl_stream_params(info, &p);
	if (ret)
		return ret;
	if (tb[LINECARD_A_STREAM_REMOTE])
		what |= LC_SET_REMOTE;
	if (tb[LINECARD_A_STREAM_DIRECTION])
		what |= LC_SET_DIR;
	if (tb[LINECARD_A_STREAM_DSCP])
		what |= LC_SET_DSCP;
	if (tb[LINECARD_A_STREAM_TEL_EVENT_PT])
		what |= LC_SET_TE_PT;
	if (tb[LINECARD_A_STREAM_TIMEOUT])
		what |= LC_SET_TIMEOUT;
	if (tb[LINECARD_A_STREAM_SEND_EVENT]) {
		what |= LC_SET_EVENT;
		event = nla_get_u8(tb[LINECARD_A_STREAM_SEND_EVENT]);
	}
	ret = lc_stream_modify(nla_get_u32(tb[LINECARD_A_STREAM_ID]), what, &p, event);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LINECARD_A_STREAM_ID], "no such stream");
	return ret;
}

static int lc_nl_stream_del(struct sk_buff *skb, struct genl_info *info)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LINECARD_A_STREAM_ID))
		return -EINVAL;
	ret = lc_stream_delete(nla_get_u32(info->attrs[LINECARD_A_STREAM_ID]));
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LINECARD_A_STREAM_ID],
				    "no such stream");
	return ret;
}

static int lc_nl_stream_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lc_stream_info *in;
	u32 id;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LINECARD_A_STREAM_ID))
		return -EINVAL;
	id = nla_get_u32(info->attrs[LINECARD_A_STREAM_ID]);
	in = kmalloc(sizeof(*in), GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	ret = lc_stream_get(&id, in);
	if (!ret && id != nla_get_u32(info->attrs[LINECARD_A_STREAM_ID]))
		ret = -ENOENT;
	if (!ret)
		ret = lc_nl_stream_reply(info, in);
	else
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LINECARD_A_STREAM_ID],
				    "no such stream");
	kfree(in);
	return ret;
}

/* cb->args[0]: the next stream id to dump. */
static int lc_nl_stream_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lc_stream_info *in = kmalloc(sizeof(*in), GFP_KERNEL);
	u32 id = cb->args[0];

	if (!in)
		return -ENOMEM;
	while (!lc_stream_get(&id, in)) {
		if (lc_fill_stream(skb, in, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				   NLM_F_MULTI, LINECARD_CMD_STREAM_GET))
			break;
		if (id == U32_MAX)
			break;
		id++;
	}
	cb->args[0] = id;
	kfree(in);
	return skb->len;
}

static const struct genl_ops lc_ops[] = {
	{
		.cmd = LINECARD_CMD_PORT_GET,
		.doit = lc_nl_port_get_doit,
		.dumpit = lc_nl_port_get_dumpit,
	},
	{
		.cmd = LINECARD_CMD_PORT_SET,
		.doit = lc_nl_port_set_doit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LINECARD_CMD_STREAM_NEW,
		.doit = lc_nl_stream_new,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LINECARD_CMD_STREAM_SET,
		.doit = lc_nl_stream_set,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LINECARD_CMD_STREAM_DEL,
		.doit = lc_nl_stream_del,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LINECARD_CMD_STREAM_GET,
		.doit = lc_nl_stream_get_doit,
		.dumpit = lc_nl_stream_get_dumpit,
	},
};

static struct genl_family lc_family __ro_after_init = {
	.name = LINECARD_GENL_NAME,
	.version = LINECARD_GENL_VERSION,
	.maxattr = LINECARD_A_MAX,
	.policy = lc_policy,
	.module = THIS_MODULE,
	.ops = lc_ops,
	.n_ops = ARRAY_SIZE(lc_ops),
	.mcgrps = lc_mcgrps,
	.n_mcgrps = ARRAY_SIZE(lc_mcgrps),
	.resv_start_op = LINECARD_CMD_PORT_GET,
	.parallel_ops = true,
};

/*
 * Any context; called with a port lock held.  Returns -ENOMEM when the
 * event could not be sent (the caller counts it); a listener too slow to
 * take it learns that from ENOBUFS on its own socket.
 */
int lc_netlink_notify(const struct linecard_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&lc_family, &init_net, LC_MCGRP_EVENTS))
		return 0;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &lc_family, 0, LINECARD_CMD_EVENT);
	if (!hdr)
		goto err;
	if (nla_put_u32(msg, LINECARD_A_PORT_INDEX, ev->port) ||
	    nla_put_u32(msg, LINECARD_A_EVENT_TYPE, ev->type) ||
	    nla_put_u64_64bit(msg, LINECARD_A_EVENT_TIMESTAMP, ev->timestamp_ns,
			      LINECARD_A_PAD))
		goto err;
	switch (ev->type) {
	case LINECARD_EV_DIGIT:
		if (nla_put_u8(msg, LINECARD_A_EVENT_DIGIT, ev->digit) ||
		    nla_put_u8(msg, LINECARD_A_EVENT_SOURCE, ev->source) ||
		    nla_put_u32(msg, LINECARD_A_EVENT_DURATION, ev->duration_ms))
			goto err;
		break;
	case LINECARD_EV_FLASH:
		if (nla_put_u32(msg, LINECARD_A_EVENT_DURATION, ev->duration_ms))
			goto err;
		break;
	case LINECARD_EV_TELEPHONE_EVENT:
		if (nla_put_u32(msg, LINECARD_A_EVENT_DURATION, ev->duration_ms))
			goto err;
		fallthrough;
	case LINECARD_EV_OVERFLOW:
	case LINECARD_EV_STREAM_TIMEOUT:
		if (nla_put_u32(msg, LINECARD_A_EVENT_VALUE, ev->value))
			goto err;
		break;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&lc_family, msg, 0, LC_MCGRP_EVENTS, GFP_ATOMIC);
	return 0;
err:
	nlmsg_free(msg);
	return -ENOMEM;
}

int __init lc_netlink_init(void)
{
	return genl_register_family(&lc_family);
}

void lc_netlink_uninit(void)
{
	genl_unregister_family(&lc_family);
}
