/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host names for the hypervisor's string functions, forced into
 * xen/common/string.c (and test-string.c) so that they neither clash
 * with nor get replaced by the C library's.
 */
#define memcpy  xen_memcpy
#define memmove xen_memmove
#define memset  xen_memset
#define memcmp  xen_memcmp
#define memchr  xen_memchr
#define strlen  xen_strlen
#define strnlen xen_strnlen
#define strcmp  xen_strcmp
#define strncmp xen_strncmp
#define strchr  xen_strchr
#define strrchr xen_strrchr
#define strstr  xen_strstr
#define strlcpy xen_strlcpy
