/* linkem_config.h - the link emulator's configuration: the model, the text
 * parser (DIR/config of zonefall-linkem) and the writer the lab side uses to
 * produce that file without formatting it by hand.
 *
 * The file is text, one record per line, '#' starts a comment (at the start
 * of a line or of a word), words are separated by spaces or tabs:
 *
 *   queue ID NETNS_PATH NUM
 *   link NAME queue=ID iif=IFINDEX|* oif=IFINDEX|* [delay=NS] [jitter=NS]
 *        [dist=uniform|normal|pareto|paretonormal] [delay_corr=PCT]
 *        [loss=PCT] [loss_corr=PCT] [burst=N] [reorder=PCT] [corrupt=PCT]
 *        [duplicate=PCT] [seed=U64]
 *
 * A queue must be declared before the links that use it. docs/linkem.md
 * describes every field and what the daemon does with it. */
#ifndef ZF_NET_LINKEM_CONFIG_H
#define ZF_NET_LINKEM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZF_LK_MAX_FILE (1u << 20)        /* bytes */
#define ZF_LK_MAX_LINES 4096
#define ZF_LK_MAX_QUEUES 256
#define ZF_LK_MAX_LINKS 4096
#define ZF_LK_NAME_MAX 63                /* link name, characters */
#define ZF_LK_PATH_MAX 255               /* netns path, characters */
#define ZF_LK_MAX_QUEUE_ID 65535
#define ZF_LK_MAX_DELAY_NS 3600000000000ull  /* one hour, delay and jitter */
#define ZF_LK_IF_ANY (-1)

enum zf_lk_dist {
	ZF_LK_DIST_UNIFORM,      /* delay +- jitter, flat (netem's default) */
	ZF_LK_DIST_NORMAL,       /* jitter is the standard deviation */
	ZF_LK_DIST_PARETO,       /* shape 3, jitter is the standard deviation */
	ZF_LK_DIST_PARETONORMAL, /* 1/4 pareto + 3/4 normal, same scale */
};

struct zf_lk_queue_cfg {
	uint32_t id;                        /* what links refer to */
	char netns[ZF_LK_PATH_MAX + 1];     /* absolute path of a netns file */
	uint16_t num;                       /* NFQUEUE number in that netns */
	unsigned line;                      /* where it was declared (0: API) */
};

/* Percentages are 0..100 as written in the file. */
struct zf_lk_link_cfg {
	char name[ZF_LK_NAME_MAX + 1];
	uint32_t queue;                     /* a zf_lk_queue_cfg.id */
	int32_t iif, oif;                   /* ifindex or ZF_LK_IF_ANY */
	uint64_t delay_ns, jitter_ns;
	enum zf_lk_dist dist;
	double delay_corr;
	double loss, loss_corr;
	double burst;                       /* mean loss burst; 0: not set */
	double reorder, corrupt, duplicate;
	uint64_t seed;
	bool has_seed;
	unsigned line;
};

struct zf_lk_config {
	struct zf_lk_queue_cfg *queues;
	size_t nqueues;
	struct zf_lk_link_cfg *links;
	size_t nlinks;
};

/* Parse LEN bytes of BUF (need not be NUL-terminated) into *OUT, which the
 * caller frees with zf_lk_config_free(). FILE names the input in messages.
 * Returns 0, or -EINVAL with "FILE:LINE: what was expected" in ERR (then
 * *OUT is empty and nothing is allocated). Caps: ZF_LK_MAX_* above. */
int zf_lk_config_parse(const char *file, const char *buf, size_t len,
		       struct zf_lk_config *out, char *err, size_t errlen);

/* Read and parse PATH. A missing file is -ENOENT (ERR says so); other
 * errors as zf_lk_config_parse(), or a negative errno from reading. */
int zf_lk_config_load(const char *path, struct zf_lk_config *out,
		      char *err, size_t errlen);

void zf_lk_config_free(struct zf_lk_config *cfg);

/* Builders for the lab side. zf_lk_link_init() sets NAME, QUEUE, any
 * interface, dist uniform and no impairment; returns 0, or -ENAMETOOLONG
 * if NAME has more than ZF_LK_NAME_MAX characters (it is then cut). */
int zf_lk_link_init(struct zf_lk_link_cfg *link, const char *name,
		    uint32_t queue);
/* Append a copy; returns 0, or -EINVAL with a message in ERR if the record
 * is invalid or conflicts with one already there (nothing is added). */
int zf_lk_config_add_queue(struct zf_lk_config *cfg, uint32_t id,
			   const char *netns, uint16_t num,
			   char *err, size_t errlen);
int zf_lk_config_add_link(struct zf_lk_config *cfg,
			  const struct zf_lk_link_cfg *link,
			  char *err, size_t errlen);

/* Render CFG as file text into a new NUL-terminated buffer (*TEXT, free it;
 * length in *LEN). Percentages are written with 6 decimals (trailing zeros
 * dropped). Returns 0, or -EINVAL with ERR if CFG is not valid. */
int zf_lk_config_format(const struct zf_lk_config *cfg, char **text,
			size_t *len, char *err, size_t errlen);

/* Format CFG and replace DIR/config atomically (rename). Returns 0 or a
 * negative errno (-EINVAL: invalid CFG, message in ERR). */
int zf_lk_config_write(const char *dir, const struct zf_lk_config *cfg,
		       char *err, size_t errlen);

/* Words of the enum, and back; -EINVAL for an unknown word. */
const char *zf_lk_dist_name(enum zf_lk_dist d);
int zf_lk_dist_parse(const char *s, enum zf_lk_dist *out);

/* Checks the fields of one link alone (ranges, the loss model); returns 0
 * or -EINVAL with what was expected in ERR (no file position). */
int zf_lk_link_validate(const struct zf_lk_link_cfg *link, char *err,
			size_t errlen);

#endif
