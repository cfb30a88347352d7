/* dns_resolv.c - the first IPv4 nameserver of a resolv.conf text (see
 * dns_resolv.h). Every index is checked against the length: the text comes
 * from a file of a lab host, which its services could have rewritten. */
#include "probe/dns_resolv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#define KEYWORD "nameserver"
#define KEYWORD_LEN (sizeof(KEYWORD) - 1)

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Index of the first non-blank at or after I on the line (< END). */
static size_t skip_blanks(const char *t, size_t i, size_t end)
{
	while (i < end && is_blank(t[i]))
		i++;
	return i;
}

/* The line T[I..END) is "nameserver ADDR..." with an IPv4 ADDR: 1 with
 * *ADDR set, else 0. */
static int line_addr(const char *t, size_t i, size_t end, uint32_t *addr)
{
	char word[INET_ADDRSTRLEN];
	struct in_addr a;
	size_t w;

	i = skip_blanks(t, i, end);
	if (end - i <= KEYWORD_LEN || memcmp(t + i, KEYWORD, KEYWORD_LEN) != 0 ||
	    !is_blank(t[i + KEYWORD_LEN]))
		return 0;
	i = skip_blanks(t, i + KEYWORD_LEN, end);
	for (w = 0; i + w < end && !is_blank(t[i + w]) && t[i + w] != '#' &&
		    t[i + w] != ';'; w++)
		if (w == sizeof(word) - 1)
			return 0;              /* longer than any IPv4 */
	if (w == 0)
		return 0;
	memcpy(word, t + i, w);
	word[w] = '\0';
	if (inet_pton(AF_INET, word, &a) != 1)
		return 0;
	*addr = ntohl(a.s_addr);
	return 1;
}

int zf_dns_resolv_first(const char *text, size_t len, uint32_t *addr)
{
	size_t i = 0, end;
	const char *nl;

	if (len > ZF_RESOLV_MAX)
		len = ZF_RESOLV_MAX;
	while (i < len) {
		nl = memchr(text + i, '\n', len - i);
		end = nl ? (size_t)(nl - text) : len;
		if (line_addr(text, i, end, addr))
			return 0;
		i = end + 1;
	}
	return -ENOENT;
}
