/* linkem_config_fmt.c - the config model as file text, for the lab side:
 * it builds a struct zf_lk_config and writes DIR/config with this, so the
 * daemon and the caller cannot disagree on the format. */
#include "net/linkem_config.h"
#include "util/fsutil.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/text.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



/* " KEY=V" with 6 decimals and no trailing zeros; nothing when V is 0. */
static void add_decimal(struct zf_text *t, const char *key, double v)
{
	char num[64];
	size_t n;

	if (v == 0.0)
		return;
	snprintf(num, sizeof(num), "%.6f", v);
	n = strlen(num);
	while (n > 0 && num[n - 1] == '0')
		num[--n] = '\0';
	if (n > 0 && num[n - 1] == '.')
		num[--n] = '\0';
	zf_text_add(t, " %s=%s", key, num);
}

static void add_ifindex(struct zf_text *t, const char *key, int32_t v)
{
	if (v == ZF_LK_IF_ANY)
		zf_text_add(t, " %s=*", key);
	else
		zf_text_add(t, " %s=%" PRId32, key, v);
}

static void add_link(struct zf_text *t, const struct zf_lk_link_cfg *l)
{
	zf_text_add(t, "link %s queue=%" PRIu32, l->name, l->queue);
	add_ifindex(t, "iif", l->iif);
	add_ifindex(t, "oif", l->oif);
	if (l->delay_ns)
		zf_text_add(t, " delay=%" PRIu64, l->delay_ns);
	if (l->jitter_ns)
		zf_text_add(t, " jitter=%" PRIu64, l->jitter_ns);
	if (l->dist != ZF_LK_DIST_UNIFORM)
		zf_text_add(t, " dist=%s", zf_lk_dist_name(l->dist));
	add_decimal(t, "delay_corr", l->delay_corr);
	add_decimal(t, "loss", l->loss);
	add_decimal(t, "loss_corr", l->loss_corr);
	add_decimal(t, "burst", l->burst);
	add_decimal(t, "reorder", l->reorder);
	add_decimal(t, "corrupt", l->corrupt);
	add_decimal(t, "duplicate", l->duplicate);
	if (l->has_seed)
		zf_text_add(t, " seed=%" PRIu64, l->seed);
	zf_text_add(t, "\n");
}

/* Run every record through the builder's checks (which also keep words
 * from carrying spaces or newlines into the text). */
static int validate(const struct zf_lk_config *cfg, char *err, size_t errlen)
{
	struct zf_lk_config check = { 0 };
	int rc = 0;

	for (size_t i = 0; i < cfg->nqueues && rc == 0; i++)
		rc = zf_lk_config_add_queue(&check, cfg->queues[i].id,
					    cfg->queues[i].netns,
					    cfg->queues[i].num, err, errlen);
	for (size_t i = 0; i < cfg->nlinks && rc == 0; i++)
		rc = zf_lk_config_add_link(&check, &cfg->links[i], err, errlen);
	zf_lk_config_free(&check);
	return rc;
}

int zf_lk_config_format(const struct zf_lk_config *cfg, char **text,
			size_t *len, char *err, size_t errlen)
{
	struct zf_text t = { 0 };
	struct zf_lk_config check;
	int rc;

	rc = validate(cfg, err, errlen);
	if (rc < 0)
		return rc;
	t.s = zf_xmalloc(256);
	t.cap = 256;
	t.s[0] = '\0';
	zf_text_add(&t, "# zonefall-linkem config (written by zonefall)\n");
	for (size_t i = 0; i < cfg->nqueues; i++) {
		const struct zf_lk_queue_cfg *q = &cfg->queues[i];

		zf_text_add(&t, "queue %" PRIu32 " %s %u\n", q->id, q->netns,
			 (unsigned)q->num);
	}
	for (size_t i = 0; i < cfg->nlinks; i++)
		add_link(&t, &cfg->links[i]);
	/* The daemon's parser is the definition of valid: run it too (a
	 * rounded percentage could break the loss model's bound). */
	rc = zf_lk_config_parse("config", t.s, t.len, &check, err, errlen);
	if (rc < 0) {
		free(t.s);
		return rc;
	}
	zf_lk_config_free(&check);
	*text = t.s;
	*len = t.len;
	return 0;
}

int zf_lk_config_write(const char *dir, const struct zf_lk_config *cfg,
		       char *err, size_t errlen)
{
	char path[4096], *text = NULL;
	size_t len = 0;
	int rc;

	rc = zf_fmt(path, sizeof(path), "%s/config", dir);
	if (rc < 0)
		goto out;
	rc = zf_lk_config_format(cfg, &text, &len, err, errlen);
	if (rc < 0)
		goto out;
	rc = zf_put_file(path, text, len, 0600);
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
out:
	if (rc == -ENAMETOOLONG && !text)
		snprintf(err, errlen, "%s/config: path too long", dir);
	free(text);
	return rc;
}
