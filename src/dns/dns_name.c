/* dns_name.c - checking and normalising the words of the DNS config. */
#include "dns/dns_name.h"
#include "dns/dns_config.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

static bool name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int zf_dns_name_norm(const char *name, char *out)
{
	size_t len = strlen(name), label = 0;

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > ZF_DNS_NAME_MAX)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '.') {
			if (label == 0)
				return -EINVAL;
			label = 0;
		} else if (!name_char(c) || ++label > 63) {
			return -EINVAL;
		}
		out[i] = (char)tolower(c);
	}
	if (label == 0)
		return -EINVAL;
	out[len] = '\0';
	return 0;
}

bool zf_dns_name_in_zone(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	if (z == 0 || n < z)
		return false;
	if (n == z)
		return memcmp(name, zone, z) == 0;
	return name[n - z - 1] == '.' && memcmp(name + n - z, zone, z) == 0;
}

int zf_dns_id_check(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > ZF_DNS_ID_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!name_char((unsigned char)id[i]) && id[i] != '.')
			return -EINVAL;
	}
	return 0;
}

int zf_dns_pattern_norm(const char *pattern, char *out)
{
	size_t n = strlen(pattern);

	if (n == 0 || n > ZF_DNS_PATTERN_MAX || pattern[0] == '#')
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)pattern[i];

		if (c < 0x21 || c > 0x7e)
			return -EINVAL;
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	return 0;
}

