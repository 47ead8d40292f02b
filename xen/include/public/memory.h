/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memory_op(cmd, arg): a domain's memory (reservations, exchanges), the
 * machine-to-phys table and the memory maps. Reservation commands return
 * the number of extents done; the others 0 or a negative errno.
 */
#ifndef XEN_PUBLIC_MEMORY_H
#define XEN_PUBLIC_MEMORY_H

#include "xen.h"

#define XENMEM_increase_reservation     0   /* struct xen_memory_reservation */
#define XENMEM_decrease_reservation     1   /* likewise */
#define XENMEM_maximum_ram_page         2   /* arg unused: highest MFN of RAM */
#define XENMEM_current_reservation      3   /* domid_t *: pages now */
#define XENMEM_maximum_reservation      4   /* domid_t *: page limit */
#define XENMEM_machphys_mfn_list        5   /* struct xen_machphys_mfn_list */
#define XENMEM_populate_physmap         6   /* struct xen_memory_reservation */
#define XENMEM_add_to_physmap           7   /* struct xen_add_to_physmap */
#define XENMEM_memory_map               9   /* struct xen_memory_map: own map */
#define XENMEM_machine_memory_map       10  /* likewise: the host's (dom0) */
#define XENMEM_exchange                 11  /* struct xen_memory_exchange */
#define XENMEM_machphys_mapping         12  /* struct xen_machphys_mapping */
#define XENMEM_set_memory_map           13  /* struct xen_foreign_memory_map */
#define XENMEM_maximum_gpfn             14  /* domid_t * */
#define XENMEM_remove_from_physmap      15  /* struct xen_remove_from_physmap */
#define XENMEM_set_pod_target           16
#define XENMEM_get_pod_target           17
#define XENMEM_get_sharing_freed_pages  18
#define XENMEM_get_sharing_shared_pages 19
#define XENMEM_paging_op                20
#define XENMEM_access_op                21
#define XENMEM_sharing_op               22
#define XENMEM_add_to_physmap_batch     23
#define XENMEM_claim_pages              24
#define XENMEM_machphys_compat_mfn_list 25
#define XENMEM_get_vnumainfo            26
#define XENMEM_reserved_device_memory_map 27
#define XENMEM_acquire_resource         28

/* xen_memory_reservation.mem_flags */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xffu)
#define XENMEMF_node(x)             (((x) + 1) << 8)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand  (1 << 16)
#define XENMEMF_exact_node_request  (1 << 17)
#define XENMEMF_exact_node(n)       (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode               (1 << 18)

/* add_to_physmap spaces */
#define XENMAPSPACE_shared_info     0
#define XENMAPSPACE_grant_table     1
#define XENMAPSPACE_gmfn            2
#define XENMAPSPACE_gmfn_range      3
#define XENMAPSPACE_gmfn_foreign    4
#define XENMAPSPACE_dev_mmio        5
#define XENMAPIDX_grant_table_status 0x80000000U

#ifndef __ASSEMBLER__

/* nr_extents extents of 2^extent_order pages, listed at extent_start. */
struct xen_memory_reservation {
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    xen_ulong_t nr_extents;
    unsigned int extent_order;
    unsigned int mem_flags;     /* XENMEMF_* */
    domid_t domid;
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_reservation_t);

/* Give the frames of in, get those of out; nr_exchanged says how far. */
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged;
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_exchange_t);

/*
 * The MFNs of the 2 MiB chunks of the M2P table, up to max_extents;
 * nr_extents says how many were written.
 */
struct xen_machphys_mfn_list {
    unsigned int max_extents;
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    unsigned int nr_extents;
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mfn_list_t);

/* Where the read-only M2P table is in the guest's address space. */
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end;
    xen_ulong_t max_mfn;
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mapping_t);

struct xen_add_to_physmap {
    domid_t domid;
    uint16_t size;          /* XENMAPSPACE_gmfn_range: pages */
    unsigned int space;     /* XENMAPSPACE_* */
    xen_ulong_t idx;
    xen_pfn_t gpfn;
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_t);

struct xen_remove_from_physmap {
    domid_t domid;
    xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_remove_from_physmap_t);

/*
 * An E820-style map: nr_entries is the room in buffer on input and the
 * entries written on output. Each entry is a packed 20-byte
 * struct xen_e820_entry (Xen leaves the type to the BIOS's format).
 */
struct xen_memory_map {
    unsigned int nr_entries;
    XEN_GUEST_HANDLE(void) buffer;
};
typedef struct xen_memory_map xen_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_map_t);

struct xen_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;          /* 1 RAM, 2 reserved, 3 ACPI, 4 NVS, 5 unusable */
} __attribute__((packed));
typedef struct xen_e820_entry xen_e820_entry_t;

struct xen_foreign_memory_map {
    domid_t domid;
    struct xen_memory_map map;
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_foreign_memory_map_t);

struct xen_reserved_device_memory {
    xen_pfn_t start_pfn;
    xen_ulong_t nr_pages;
};
typedef struct xen_reserved_device_memory xen_reserved_device_memory_t;

#endif /* !__ASSEMBLER__ */

#endif /* XEN_PUBLIC_MEMORY_H */
