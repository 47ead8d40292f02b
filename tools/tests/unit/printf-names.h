/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host names for the hypervisor's printf family, forced into
 * xen/common/vsprintf.c so that it does not replace the C library's (nor
 * the sanitizers' wrappers of it). test-vsnprintf.c includes this around
 * <xen/lib.h> only, keeping the host's functions to compare against.
 */
#define vsnprintf  xen_vsnprintf
#define snprintf   xen_snprintf
#define vscnprintf xen_vscnprintf
#define scnprintf  xen_scnprintf
