/* TEMPORARY: until spec/selector.c implements "pick". Weak, so the real
 * definition wins as soon as it exists. */
#include "spec/selector.h"

__attribute__((weak)) int zf_selector_resolve_seeded(const struct zf_lab *lab,
						     const char *text,
						     unsigned long long seed,
						     struct zf_selection *out,
						     char *err, size_t errlen)
{
	(void)seed;
	return zf_selector_resolve(lab, text, out, err, errlen);
}
