// SPDX-License-Identifier: LGPL-2.1-or-later
/* mseal_version(): the version of the library that is actually loaded. */
#include "internal.h"

const char *mseal_version(void)
{
	return LIBMSEAL_VERSION_STRING;
}
