/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen_version(cmd, arg): what the hypervisor is and which optional ABI
 * features it offers. XENVER_version returns (major << 16) | minor in
 * the result itself; the others fill the buffer arg points to. The
 * XENFEAT_* bits of get_features are in features.h.
 */
#ifndef XEN_PUBLIC_VERSION_H
#define XEN_PUBLIC_VERSION_H

#include "xen.h"

#define XENVER_version              0

#define XENVER_extraversion         1
typedef char xen_extraversion_t[16];
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

#define XENVER_compile_info         2
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;

/* Space-separated ABIs a guest may be, e.g. "xen-3.0-x86_64". */
#define XENVER_capabilities         3
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

#define XENVER_changeset            4
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

/* virt_start: where the hypervisor's part of the address space begins. */
#define XENVER_platform_parameters  5
struct xen_platform_parameters {
    xen_ulong_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;

/* The caller sets submap_idx; the hypervisor fills 32 XENFEAT_* bits. */
#define XENVER_get_features         6
struct xen_feature_info {
    uint32_t submap_idx;
    uint32_t submap;
};
typedef struct xen_feature_info xen_feature_info_t;

#define XENVER_pagesize             7   /* returns the page size */
#define XENVER_guest_handle         8   /* xen_domain_handle_t */
#define XENVER_commandline          9
typedef char xen_commandline_t[1024];

/* Variable-length answers: len in, len out, then the bytes. */
struct xen_varbuf {
    uint32_t len;
    unsigned char buf[];
};
typedef struct xen_varbuf xen_varbuf_t;
typedef struct xen_varbuf xen_build_id_t;

#define XENVER_build_id             10
#define XENVER_extraversion2        11
#define XENVER_capabilities2        12
#define XENVER_changeset2           13
#define XENVER_commandline2         14

#endif /* XEN_PUBLIC_VERSION_H */
