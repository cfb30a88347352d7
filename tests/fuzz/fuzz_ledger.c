/* fuzz_ledger.c - libFuzzer target for the write ledger's readers: the
 * JSON reader (zf_ledger_from_json) and the final read's value parser
 * (zf_ledger_final_value / zf_ledger_value_id).
 *
 * Input starting with '{' is a ledger document: when the reader accepts
 * it, it is written back, read again (which must succeed and give the same
 * JSON) and checked (which must succeed: the reader refused repeated ids),
 * and the check is written as JSON. Any other input is a final read, one
 * value per line, against the prefix "zf-x-"; the ledger then makes the
 * same round trip. Errors must be terminated strings. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "probe/checker.h"
#include "probe/ledger.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write L, read it back, compare; check it. */
static void exercise(const struct zf_ledger *l)
{
	json_t *j = zf_ledger_to_json(l), *j2, *cj;
	struct zf_ledger *back = NULL;
	struct zf_check c;
	char err[256];

	if (!j || zf_ledger_from_json(j, &back, err, sizeof(err)) != 0)
		ZF_BUG("a written ledger does not read back: %s", err);
	j2 = zf_ledger_to_json(back);
	if (!json_equal(j, j2))
		ZF_BUG("the ledger's JSON changed in a round trip");
	if (zf_check_run(back, &c) != 0)
		ZF_BUG("the checker refused a ledger the reader accepted");
	if (c.verdict == ZF_CHECK_VALID && (c.lost || c.unexpected || !c.have_read))
		ZF_BUG("a valid verdict with losses or without a read");
	cj = zf_check_to_json(&c);
	if (!cj)
		ZF_BUG("no JSON for a check");
	json_decref(cj);
	zf_check_free(&c);
	json_decref(j);
	json_decref(j2);
	zf_ledger_free(back);
}

static void from_json(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, 0, NULL);
	struct zf_ledger *l = NULL;
	char err[128];

	if (!j)
		return;
	err[0] = '\0';
	if (zf_ledger_from_json(j, &l, err, sizeof(err)) == 0) {
		exercise(l);
		zf_ledger_free(l);
	} else if (strnlen(err, sizeof(err)) >= sizeof(err) || !err[0]) {
		ZF_BUG("refused without a terminated message");
	}
	json_decref(j);
}

static void from_values(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct zf_ledger *l = NULL;

	if (zf_ledger_new("zf-x-", &l) != 0 ||
	    zf_ledger_final_begin(l, "db", 1) != 0)
		ZF_BUG("cannot start a ledger");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		uint64_t id;

		if (zf_ledger_value_id(l, p, len, &id) == 0 && id > ZF_LEDGER_MAX_ID)
			ZF_BUG("an id above the maximum");
		if (zf_ledger_final_value(l, p, len) != 0)
			ZF_BUG("a value refused below the cap");
		p += len + 1;
	}
	exercise(l);
	zf_ledger_free(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == '{')
		from_json(data, size);
	else
		from_values(data, size);
	return 0;
}
