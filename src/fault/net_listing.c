/* net_listing.c - find chains, sets, elements and rules in an nftables
 * table listing (see net_listing.h). The listing indents the table's
 * objects with one tab and their contents with two:
 *     table inet zonefall {
 *     \tset f7_a {
 *     \t\ttype ipv4_addr
 *     \t\telements = { 198.18.1.0/24, ... }
 *     \t}
 *     \tchain f7 {
 *     \t\ttype filter hook forward priority filter - 5; policy accept;
 *     \t\tip saddr @f7_a ip daddr @f7_b drop
 *     \t} */
#include "fault/net_listing.h"

#include <stdio.h>
#include <string.h>

int zf_listing_find(const char *out, const char *what, const char *name,
		    struct zf_listing_part *part)
{
	char head[128];
	const char *p, *end;
	int n = snprintf(head, sizeof(head), "\t%s %s {\n", what, name);

	if (n < 0 || (size_t)n >= sizeof(head) || !out)
		return 0;
	p = strstr(out, head);
	if (!p || (p != out && p[-1] != '\n'))
		return 0;
	end = strstr(p, "\n\t}");
	part->s = p;
	part->len = end ? (size_t)(end - p) + 3 : strlen(p);
	return 1;
}

/* Is C a character that may stand next to an element in a listing? */
static int boundary(char c)
{
	return c == ' ' || c == '{' || c == '}' || c == ',' || c == '\t' || c == '\n';
}

int zf_listing_has_elem(const struct zf_listing_part *part, const char *elem)
{
	size_t n = strlen(elem);
	const char *end = part->s + part->len;

	for (const char *p = part->s + 1; p + n <= end; p++) {
		if (memcmp(p, elem, n))
			continue;
		if (boundary(p[-1]) && (p + n == end || boundary(p[n])))
			return 1;
	}
	return 0;
}

size_t zf_listing_rules(const struct zf_listing_part *part, int *forward)
{
	const char *p = part->s, *end = part->s + part->len;
	size_t rules = 0;

	*forward = 0;
	for (p = memchr(p, '\n', (size_t)(end - p)); p && p + 1 < end;
	     p = memchr(p + 1, '\n', (size_t)(end - p - 1))) {
		const char *l = p + 1, *eol = memchr(l, '\n', (size_t)(end - l));
		size_t n = (size_t)((eol ? eol : end) - l);
		if (n < 3 || l[0] != '\t' || l[1] != '\t' || l[2] == '\t' || l[2] == ' ')
			continue;  /* not a line of the chain (or a wrapped one) */
		if (!strncmp(l + 2, "type ", 5))
			*forward = memmem(l, n, "hook forward", 12) != NULL;
		else
			rules++;
	}
	return rules;
}

int zf_listing_has_set_prefix(const char *out, const char *prefix)
{
	char head[128];
	int n = snprintf(head, sizeof(head), "\n\tset %s", prefix);

	return n > 0 && (size_t)n < sizeof(head) && out && strstr(out, head);
}
