/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * physdev_op(cmd, arg): a privileged guest's access to physical devices:
 * I/O privilege, interrupts (PIRQs) and PCI devices.
 */
#ifndef XEN_PUBLIC_PHYSDEV_H
#define XEN_PUBLIC_PHYSDEV_H

#include "xen.h"

#define PHYSDEVOP_irq_status_query  5
#define PHYSDEVOP_set_iopl          6
#define PHYSDEVOP_set_iobitmap      7
#define PHYSDEVOP_apic_read         8
#define PHYSDEVOP_apic_write        9
#define PHYSDEVOP_alloc_irq_vector  10
#define PHYSDEVOP_free_irq_vector   11
#define PHYSDEVOP_eoi               12
#define PHYSDEVOP_map_pirq          13
#define PHYSDEVOP_unmap_pirq        14
#define PHYSDEVOP_manage_pci_add    15
#define PHYSDEVOP_manage_pci_remove 16
#define PHYSDEVOP_pirq_eoi_gmfn_v1  17
#define PHYSDEVOP_restore_msi       19
#define PHYSDEVOP_manage_pci_add_ext 20
#define PHYSDEVOP_setup_gsi         21
#define PHYSDEVOP_get_free_pirq     23
#define PHYSDEVOP_pci_mmcfg_reserved 24
#define PHYSDEVOP_pci_device_add    25
#define PHYSDEVOP_pci_device_remove 26
#define PHYSDEVOP_restore_msi_ext   27
#define PHYSDEVOP_pirq_eoi_gmfn_v2  28
#define PHYSDEVOP_dbgp_op           29
#define PHYSDEVOP_prepare_msix      30
#define PHYSDEVOP_release_msix      31
#define PHYSDEVOP_pci_device_reset  32
#define PHYSDEVOP_pirq_eoi_gmfn     PHYSDEVOP_pirq_eoi_gmfn_v2

/* irq_status_query.flags */
#define _XENIRQSTAT_needs_eoi   0
#define XENIRQSTAT_needs_eoi    (1U << _XENIRQSTAT_needs_eoi)
#define _XENIRQSTAT_shared      1
#define XENIRQSTAT_shared       (1U << _XENIRQSTAT_shared)

/* map_pirq types */
#define MAP_PIRQ_TYPE_MSI       0x0
#define MAP_PIRQ_TYPE_GSI       0x1
#define MAP_PIRQ_TYPE_UNKNOWN   0x2
#define MAP_PIRQ_TYPE_MSI_SEG   0x3
#define MAP_PIRQ_TYPE_MULTI_MSI 0x4

#ifndef __ASSEMBLER__

struct physdev_eoi {
    uint32_t irq;
};
typedef struct physdev_eoi physdev_eoi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_eoi_t);

struct physdev_pirq_eoi_gmfn {
    xen_pfn_t gmfn;
};
typedef struct physdev_pirq_eoi_gmfn physdev_pirq_eoi_gmfn_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pirq_eoi_gmfn_t);

struct physdev_irq_status_query {
    uint32_t irq;
    uint32_t flags;     /* OUT: XENIRQSTAT_* */
};
typedef struct physdev_irq_status_query physdev_irq_status_query_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_status_query_t);

/*
 * The guest kernel's virtual IOPL: with iopl >= 1 it may use the I/O
 * ports it has access to (its kernel runs in ring 3, so the real IOPL
 * cannot say this).
 */
struct physdev_set_iopl {
    uint32_t iopl;      /* 0-3 */
};
typedef struct physdev_set_iopl physdev_set_iopl_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iopl_t);

struct physdev_set_iobitmap {
    XEN_GUEST_HANDLE(uint8) bitmap;
    uint32_t nr_ports;
};
typedef struct physdev_set_iobitmap physdev_set_iobitmap_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iobitmap_t);

struct physdev_apic {
    unsigned long apic_physbase;
    uint32_t reg;
    uint32_t value;
};
typedef struct physdev_apic physdev_apic_t;
DEFINE_XEN_GUEST_HANDLE(physdev_apic_t);

struct physdev_irq {
    uint32_t irq;
    uint32_t vector;
};
typedef struct physdev_irq physdev_irq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_t);

struct physdev_map_pirq {
    domid_t domid;
    int type;           /* MAP_PIRQ_TYPE_* */
    int index;          /* GSI, or MSI-X entry */
    int pirq;           /* IN/OUT; -1 to allocate */
    int bus;
    int devfn;
    int entry_nr;
    uint64_t table_base;
};
typedef struct physdev_map_pirq physdev_map_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_map_pirq_t);

struct physdev_unmap_pirq {
    domid_t domid;
    int pirq;
};
typedef struct physdev_unmap_pirq physdev_unmap_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_unmap_pirq_t);

struct physdev_manage_pci {
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_manage_pci physdev_manage_pci_t;
DEFINE_XEN_GUEST_HANDLE(physdev_manage_pci_t);

struct physdev_setup_gsi {
    int gsi;
    uint8_t triggering;     /* 0 edge, 1 level */
    uint8_t polarity;       /* 0 high, 1 low */
};
typedef struct physdev_setup_gsi physdev_setup_gsi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_setup_gsi_t);

struct physdev_get_free_pirq {
    int type;
    uint32_t pirq;          /* OUT */
};
typedef struct physdev_get_free_pirq physdev_get_free_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_get_free_pirq_t);

struct physdev_pci_mmcfg_reserved {
    uint64_t address;
    uint16_t segment;
    uint8_t start_bus;
    uint8_t end_bus;
    uint32_t flags;
};
typedef struct physdev_pci_mmcfg_reserved physdev_pci_mmcfg_reserved_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_mmcfg_reserved_t);
#define XEN_PCI_MMCFG_RESERVED 0x1

struct physdev_manage_pci_ext {
    uint8_t bus;
    uint8_t devfn;
    uint32_t is_extfn;
    uint32_t is_virtfn;
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
};
typedef struct physdev_manage_pci_ext physdev_manage_pci_ext_t;
DEFINE_XEN_GUEST_HANDLE(physdev_manage_pci_ext_t);

/* pci_device_add.flags */
#define XEN_PCI_DEV_EXTFN  0x1
#define XEN_PCI_DEV_VIRTFN 0x2
#define XEN_PCI_DEV_PXM    0x4  /* optarr[0] is the device's proximity */

struct physdev_pci_device_add {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
    uint32_t flags;
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
    uint32_t optarr[];
};
typedef struct physdev_pci_device_add physdev_pci_device_add_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_device_add_t);

/* pci_device_remove, restore_msi_ext, prepare/release_msix, reset */
struct physdev_pci_device {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_pci_device physdev_pci_device_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_device_t);

#endif /* !__ASSEMBLER__ */

#endif /* XEN_PUBLIC_PHYSDEV_H */
