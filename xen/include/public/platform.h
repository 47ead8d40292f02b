/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * platform_op(struct xen_platform_op *): dom0's hold on the machine
 * (wallclock, firmware tables, power management, CPUs). Every call
 * carries XENPF_INTERFACE_VERSION; a mismatch fails with -EACCES.
 */
#ifndef XEN_PUBLIC_PLATFORM_H
#define XEN_PUBLIC_PLATFORM_H

#include "xen.h"

#define XENPF_INTERFACE_VERSION 0x03000001

#define XENPF_settime32             17
#define XENPF_add_memtype           31
#define XENPF_del_memtype           32
#define XENPF_read_memtype          33
#define XENPF_microcode_update      35
#define XENPF_platform_quirk        39
#define XENPF_get_cpu_version       48
#define XENPF_efi_runtime_call      49
#define XENPF_firmware_info         50
#define XENPF_enter_acpi_sleep      51
#define XENPF_change_freq           52
#define XENPF_getidletime           53
#define XENPF_set_processor_pminfo  54
#define XENPF_get_cpuinfo           55
#define XENPF_cpu_online            56
#define XENPF_cpu_offline           57
#define XENPF_cpu_hotadd            58
#define XENPF_mem_hotadd            59
#define XENPF_core_parking          60
#define XENPF_resource_op           61
#define XENPF_settime64             62
#define XENPF_get_symbol            63
#define XENPF_get_dom0_console      64
#define XENPF_get_ucode_revision    65
#define XENPF_microcode_update2     66
/* The current interface's settime is the 64-bit one. */
#define XENPF_settime               XENPF_settime64

/* firmware_info types and their index meaning */
#define XEN_FW_DISK_INFO            1   /* index: BIOS disk */
#define XEN_FW_DISK_MBR_SIGNATURE   2
#define XEN_FW_VBEDDC_INFO          3
#define XEN_FW_EFI_INFO             4   /* index: XEN_FW_EFI_* */
#define XEN_FW_EFI_VERSION          0
#define XEN_FW_EFI_CONFIG_TABLE     1
#define XEN_FW_EFI_VENDOR           2
#define XEN_FW_EFI_MEM_INFO         3
#define XEN_FW_EFI_RT_VERSION       4
#define XEN_FW_EFI_PCI_ROM          5
#define XEN_FW_EFI_APPLE_PROPERTIES 6
#define XEN_FW_KBD_SHIFT_FLAGS      5

/* set_processor_pminfo types */
#define XEN_PM_CX   0
#define XEN_PM_PX   1
#define XEN_PM_TX   2
#define XEN_PM_PDC  3
#define XEN_PM_CPPC 4

#ifndef __ASSEMBLER__

/* Wallclock secs:nsecs was true at system time system_time. */
struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};
typedef struct xenpf_settime32 xenpf_settime32_t;

struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};
typedef struct xenpf_settime64 xenpf_settime64_t;
typedef struct xenpf_settime64 xenpf_settime_t;

struct xenpf_add_memtype {
    xen_pfn_t mfn;
    uint64_t nr_mfns;
    uint32_t type;
    uint32_t handle;    /* OUT */
    uint32_t reg;       /* OUT */
};
typedef struct xenpf_add_memtype xenpf_add_memtype_t;

struct xenpf_del_memtype {
    uint32_t handle;
    uint32_t reg;
};
typedef struct xenpf_del_memtype xenpf_del_memtype_t;

struct xenpf_read_memtype {
    uint32_t reg;
    xen_pfn_t mfn;      /* OUT */
    uint64_t nr_mfns;   /* OUT */
    uint32_t type;      /* OUT */
};
typedef struct xenpf_read_memtype xenpf_read_memtype_t;

struct xenpf_microcode_update {
    XEN_GUEST_HANDLE(const_void) data;
    uint32_t length;
};
typedef struct xenpf_microcode_update xenpf_microcode_update_t;

struct xenpf_platform_quirk {
    uint32_t quirk_id;
};
typedef struct xenpf_platform_quirk xenpf_platform_quirk_t;

union xenpf_efi_info {
    uint32_t version;
    struct {
        uint64_t addr;
        uint32_t nent;
    } cfg;
    struct {
        uint32_t revision;
        uint32_t bufsz;
        XEN_GUEST_HANDLE(void) name;
    } vendor;
    struct {
        uint64_t addr;
        uint64_t size;
        uint64_t attr;
        uint32_t type;
    } mem;
    struct {
        uint16_t segment;
        uint8_t bus;
        uint8_t devfn;
        uint16_t vendor;
        uint16_t devid;
        uint64_t address;
        xen_ulong_t size;
    } pci_rom;
    struct {
        uint64_t address;
        xen_ulong_t size;
    } apple_properties;
};

/* What the boot firmware told the hypervisor; type XEN_FW_*. */
struct xenpf_firmware_info {
    uint32_t type;
    uint32_t index;
    union {
        struct {
            uint8_t device;
            uint8_t version;
            uint16_t interface_support;
            uint16_t legacy_max_cylinder;
            uint8_t legacy_max_head;
            uint8_t legacy_sectors_per_track;
            XEN_GUEST_HANDLE(void) edd_params;
        } disk_info;
        struct {
            uint8_t device;
            uint32_t mbr_signature;
        } disk_mbr_signature;
        struct {
            uint8_t capabilities;
            uint8_t edid_transfer_time;
            XEN_GUEST_HANDLE(uint8) edid;
        } vbeddc_info;
        union xenpf_efi_info efi_info;
        uint8_t kbd_shift_flags;
    } u;
};
typedef struct xenpf_firmware_info xenpf_firmware_info_t;

struct xenpf_enter_acpi_sleep {
    uint16_t val_a;
    uint16_t val_b;
    uint32_t sleep_state;
#define XENPF_ACPI_SLEEP_EXTENDED 0x00000001
    uint32_t flags;
};
typedef struct xenpf_enter_acpi_sleep xenpf_enter_acpi_sleep_t;

struct xenpf_change_freq {
    uint32_t flags;
    uint32_t cpu;
    uint64_t freq;
};
typedef struct xenpf_change_freq xenpf_change_freq_t;

struct xenpf_getidletime {
    XEN_GUEST_HANDLE(uint8) cpumap_bitmap;
    uint32_t cpumap_nr_cpus;
    XEN_GUEST_HANDLE(uint64) idletime;
    uint64_t now;
};
typedef struct xenpf_getidletime xenpf_getidletime_t;

/* The ACPI processor power/performance data dom0 parsed for Xen. */
struct xen_power_register {
    uint32_t space_id;
    uint32_t bit_width;
    uint32_t bit_offset;
    uint32_t access_size;
    uint64_t address;
};

struct xen_processor_csd {
    uint32_t domain;
    uint32_t coord_type;
    uint32_t num;
};
typedef struct xen_processor_csd xen_processor_csd_t;
DEFINE_XEN_GUEST_HANDLE(xen_processor_csd_t);

struct xen_processor_cx {
    struct xen_power_register reg;
    uint8_t type;
    uint32_t latency;
    uint32_t power;
    uint32_t dpcnt;
    XEN_GUEST_HANDLE(xen_processor_csd_t) dp;
};
typedef struct xen_processor_cx xen_processor_cx_t;
DEFINE_XEN_GUEST_HANDLE(xen_processor_cx_t);

struct xen_processor_flags {
    uint32_t bm_control:1;
    uint32_t bm_check:1;
    uint32_t has_cst:1;
    uint32_t power_setup_done:1;
    uint32_t bm_rld_set:1;
};

struct xen_processor_power {
    uint32_t count;
    struct xen_processor_flags flags;
    XEN_GUEST_HANDLE(xen_processor_cx_t) states;
};

struct xen_pct_register {
    uint8_t descriptor;
    uint16_t length;
    uint8_t space_id;
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t reserved;
    uint64_t address;
};

struct xen_processor_px {
    uint64_t core_frequency;
    uint64_t power;
    uint64_t transition_latency;
    uint64_t bus_master_latency;
    uint64_t control;
    uint64_t status;
};
typedef struct xen_processor_px xen_processor_px_t;
DEFINE_XEN_GUEST_HANDLE(xen_processor_px_t);

struct xen_psd_package {
    uint64_t num_entries;
    uint64_t revision;
    uint64_t domain;
    uint64_t coord_type;
    uint64_t num_processors;
};

struct xen_processor_performance {
    uint32_t flags;
    uint32_t platform_limit;
    struct xen_pct_register control_register;
    struct xen_pct_register status_register;
    uint32_t state_count;
    XEN_GUEST_HANDLE(xen_processor_px_t) states;
    struct xen_psd_package domain_info;
    uint32_t shared_type;
};

struct xen_processor_cppc {
    uint8_t flags;
    uint8_t pad[3];
    struct {
        uint32_t highest_perf;
        uint32_t nominal_perf;
        uint32_t lowest_nonlinear_perf;
        uint32_t lowest_perf;
        uint32_t lowest_mhz;
        uint32_t nominal_mhz;
    } cpc;
    uint32_t shared_type;
    struct xen_psd_package domain_info;
};

struct xenpf_set_processor_pminfo {
    uint32_t id;        /* ACPI processor id */
    uint32_t type;      /* XEN_PM_* */
    union {
        struct xen_processor_power power;
        struct xen_processor_performance perf;
        XEN_GUEST_HANDLE(uint32) pdc;
        struct xen_processor_cppc cppc_data;
    } u;
};
typedef struct xenpf_set_processor_pminfo xenpf_set_processor_pminfo_t;

/* One physical CPU, by the hypervisor's own CPU number. */
#define XEN_PCPU_FLAGS_ONLINE   1
#define XEN_PCPU_FLAGS_INVALID  2   /* no such CPU */
struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;     /* IN */
    uint32_t max_present;   /* OUT: the highest CPU number present */
    uint32_t flags;         /* OUT: XEN_PCPU_FLAGS_* */
    uint32_t apic_id;       /* OUT */
    uint32_t acpi_id;       /* OUT: its MADT processor UID */
};
typedef struct xenpf_pcpuinfo xenpf_pcpuinfo_t;

/* Every sub-op's argument fits the 128-byte union. */
struct xen_platform_op {
    uint32_t cmd;                   /* XENPF_* */
    uint32_t interface_version;     /* XENPF_INTERFACE_VERSION */
    union {
        xenpf_settime_t settime;
        xenpf_settime32_t settime32;
        xenpf_settime64_t settime64;
        xenpf_add_memtype_t add_memtype;
        xenpf_del_memtype_t del_memtype;
        xenpf_read_memtype_t read_memtype;
        xenpf_microcode_update_t microcode;
        xenpf_platform_quirk_t platform_quirk;
        xenpf_firmware_info_t firmware_info;
        xenpf_enter_acpi_sleep_t enter_acpi_sleep;
        xenpf_change_freq_t change_freq;
        xenpf_getidletime_t getidletime;
        xenpf_set_processor_pminfo_t set_pminfo;
        xenpf_pcpuinfo_t pcpu_info;
        uint8_t pad[128];
    } u;
};
typedef struct xen_platform_op xen_platform_op_t;
DEFINE_XEN_GUEST_HANDLE(xen_platform_op_t);

#endif /* !__ASSEMBLER__ */

#endif /* XEN_PUBLIC_PLATFORM_H */
