/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The core of the PV guest ABI: hypercall numbers, the page-table update
 * commands, and the pages the hypervisor shares with a guest (start_info,
 * shared_info and its per-vCPU vcpu_info).
 *
 * Every number and layout is Xen's (public/xen.h) for a 64-bit x86 guest,
 * so that a kernel built for Xen runs unchanged. The includer provides
 * the fixed-width integer types. Hypercall-specific structures are in the
 * header of each hypercall (sched.h, vcpu.h, memory.h, ...).
 */
#ifndef XEN_PUBLIC_XEN_H
#define XEN_PUBLIC_XEN_H

#include "arch-x86/xen.h"

#ifndef __ASSEMBLER__
DEFINE_XEN_GUEST_HANDLE(char);
__DEFINE_XEN_GUEST_HANDLE(uchar, unsigned char);
DEFINE_XEN_GUEST_HANDLE(int);
__DEFINE_XEN_GUEST_HANDLE(uint, unsigned int);
DEFINE_XEN_GUEST_HANDLE(void);
DEFINE_XEN_GUEST_HANDLE(uint64_t);
DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);
DEFINE_XEN_GUEST_HANDLE(xen_ulong_t);
__DEFINE_XEN_GUEST_HANDLE(uint8, uint8_t);
__DEFINE_XEN_GUEST_HANDLE(uint16, uint16_t);
__DEFINE_XEN_GUEST_HANDLE(uint32, uint32_t);
__DEFINE_XEN_GUEST_HANDLE(uint64, uint64_t);
#endif

/*
 * Hypercall numbers. A PV guest calls number N at hypercall_page + N * 32
 * with arguments in rdi, rsi, rdx, r10, r8 (r9 for a sixth) and gets the
 * result, 0 or a negative errno, in rax. Gaps are numbers Xen retired.
 */
#define __HYPERVISOR_set_trap_table                 0
#define __HYPERVISOR_mmu_update                     1
#define __HYPERVISOR_set_gdt                        2
#define __HYPERVISOR_stack_switch                   3
#define __HYPERVISOR_set_callbacks                  4
#define __HYPERVISOR_fpu_taskswitch                 5
#define __HYPERVISOR_sched_op_compat                6
#define __HYPERVISOR_platform_op                    7
#define __HYPERVISOR_set_debugreg                   8
#define __HYPERVISOR_get_debugreg                   9
#define __HYPERVISOR_update_descriptor             10
#define __HYPERVISOR_memory_op                     12
#define __HYPERVISOR_multicall                     13
#define __HYPERVISOR_update_va_mapping             14
#define __HYPERVISOR_set_timer_op                  15
#define __HYPERVISOR_event_channel_op_compat       16
#define __HYPERVISOR_xen_version                   17
#define __HYPERVISOR_console_io                    18
#define __HYPERVISOR_physdev_op_compat             19
#define __HYPERVISOR_grant_table_op                20
#define __HYPERVISOR_vm_assist                     21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                          23
#define __HYPERVISOR_vcpu_op                       24
#define __HYPERVISOR_set_segment_base              25
#define __HYPERVISOR_mmuext_op                     26
#define __HYPERVISOR_xsm_op                        27
#define __HYPERVISOR_nmi_op                        28
#define __HYPERVISOR_sched_op                      29
#define __HYPERVISOR_callback_op                   30
#define __HYPERVISOR_xenoprof_op                   31
#define __HYPERVISOR_event_channel_op              32
#define __HYPERVISOR_physdev_op                    33
#define __HYPERVISOR_hvm_op                        34
#define __HYPERVISOR_sysctl                        35
#define __HYPERVISOR_domctl                        36
#define __HYPERVISOR_kexec_op                      37
#define __HYPERVISOR_tmem_op                       38
#define __HYPERVISOR_argo_op                       39
#define __HYPERVISOR_xenpmu_op                     40
#define __HYPERVISOR_dm_op                         41
#define __HYPERVISOR_hypfs_op                      42
/* Reserved for architecture-specific hypercalls. */
#define __HYPERVISOR_arch_0                        48
#define __HYPERVISOR_arch_1                        49
#define __HYPERVISOR_arch_2                        50
#define __HYPERVISOR_arch_3                        51
#define __HYPERVISOR_arch_4                        52
#define __HYPERVISOR_arch_5                        53
#define __HYPERVISOR_arch_6                        54
#define __HYPERVISOR_arch_7                        55

/* The hypercall page has room for this many 32-byte stubs. */
#define XEN_HYPERCALL_STUB_SIZE 32
#define XEN_NR_HYPERCALL_STUBS  (4096 / XEN_HYPERCALL_STUB_SIZE)

/* Virtual interrupts, bound to event channels with EVTCHNOP_bind_virq. */
#define VIRQ_TIMER      0   /* per vCPU: the singleshot/periodic timer */
#define VIRQ_DEBUG      1   /* per vCPU */
#define VIRQ_CONSOLE    2   /* dom0: input on the hypervisor console */
#define VIRQ_DOM_EXC    3   /* dom0: a domain crashed or shut down */
#define VIRQ_TBUF       4
#define VIRQ_DEBUGGER   6
#define VIRQ_XENOPROF   7
#define VIRQ_CON_RING   8   /* dom0: the console ring has new text */
#define VIRQ_PCPU_STATE 9
#define VIRQ_MEM_EVENT  10
#define VIRQ_ARGO       11
#define VIRQ_ENOMEM     12
#define VIRQ_XENPMU     13
#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24

/*
 * mmu_update: the low 2 bits of mmu_update.ptr say what the rest of it
 * is. NORMAL_PT_UPDATE: ptr is the machine address of a PTE to set to
 * val. MACHPHYS_UPDATE: ptr is a machine address whose M2P entry becomes
 * val (a pfn).
 */
#define MMU_NORMAL_PT_UPDATE        0
/*
 * Set in mmu_update's and mmuext_op's count by a continuation: the count
 * is then what is left, and *pdone already holds what was done.
 */
#define MMU_UPDATE_PREEMPTED        0x80000000U
#define MMU_MACHPHYS_UPDATE         1
#define MMU_PT_UPDATE_PRESERVE_AD   2
#define MMU_PT_UPDATE_NO_TRANSLATE  3

/*
 * mmuext_op commands. PIN_Ln_TABLE (arg1.mfn) validates a frame as a
 * level-n table and keeps it typed until UNPIN_TABLE; NEW_BASEPTR and
 * NEW_USER_BASEPTR load the kernel / user L4 (arg1.mfn); the flush
 * commands take arg1.linear_addr for INVLPG and arg2.vcpumask for
 * *_MULTI.
 */
#define MMUEXT_PIN_L1_TABLE         0
#define MMUEXT_PIN_L2_TABLE         1
#define MMUEXT_PIN_L3_TABLE         2
#define MMUEXT_PIN_L4_TABLE         3
#define MMUEXT_UNPIN_TABLE          4
#define MMUEXT_NEW_BASEPTR          5
#define MMUEXT_TLB_FLUSH_LOCAL      6
#define MMUEXT_INVLPG_LOCAL         7
#define MMUEXT_TLB_FLUSH_MULTI      8
#define MMUEXT_INVLPG_MULTI         9
#define MMUEXT_TLB_FLUSH_ALL        10
#define MMUEXT_INVLPG_ALL           11
#define MMUEXT_FLUSH_CACHE          12
#define MMUEXT_SET_LDT              13  /* arg1.linear_addr, arg2.nr_ents */
#define MMUEXT_NEW_USER_BASEPTR     15
#define MMUEXT_CLEAR_PAGE           16
#define MMUEXT_COPY_PAGE            17  /* arg2.src_mfn */
#define MMUEXT_FLUSH_CACHE_GLOBAL   18
#define MMUEXT_MARK_SUPER           19
#define MMUEXT_UNMARK_SUPER         20

#ifndef __ASSEMBLER__
struct mmuext_op {
    unsigned int cmd;           /* MMUEXT_* */
    union {
        xen_pfn_t     mfn;
        unsigned long linear_addr;
    } arg1;
    union {
        unsigned int nr_ents;
        XEN_GUEST_HANDLE(const_void) vcpumask;
        xen_pfn_t src_mfn;
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;
DEFINE_XEN_GUEST_HANDLE(mmuext_op_t);
#endif

/*
 * update_va_mapping flags (third argument): which flush follows the
 * update, and on which vCPUs. UVMF_MULTI takes a vCPU-mask pointer OR-ed
 * into the flags.
 */
#define UVMF_NONE           (0UL << 0)
#define UVMF_TLB_FLUSH      (1UL << 0)
#define UVMF_INVLPG         (2UL << 0)
#define UVMF_FLUSHTYPE_MASK (3UL << 0)
#define UVMF_MULTI          (0UL << 2)
#define UVMF_LOCAL          (0UL << 2)
#define UVMF_ALL            (1UL << 2)

/* console_io commands */
#define CONSOLEIO_write     0
#define CONSOLEIO_read      1

/* vm_assist(cmd, type) */
#define VMASST_CMD_enable                   0
#define VMASST_CMD_disable                  1
#define VMASST_TYPE_4gb_segments            0
#define VMASST_TYPE_4gb_segments_notify     1
#define VMASST_TYPE_writable_pagetables     2
#define VMASST_TYPE_pae_extended_cr3        3
#define VMASST_TYPE_architectural_iopl      4
#define VMASST_TYPE_runstate_update_flag    5
#define VMASST_TYPE_m2p_strict              32

/* Domain ids from DOMID_FIRST_RESERVED up name something else. */
#define DOMID_FIRST_RESERVED    0x7FF0U
#define DOMID_SELF              0x7FF0U
#define DOMID_IO                0x7FF1U
#define DOMID_XEN               0x7FF2U
#define DOMID_COW               0x7FF3U
#define DOMID_INVALID           0x7FF4U
#define DOMID_ANY               0x7FF5U
#define DOMID_IDLE              0x7FFFU
#define DOMID_MASK              0x7FFFU

#ifndef __ASSEMBLER__

typedef uint16_t domid_t;

struct mmu_update {
    uint64_t ptr;       /* machine address, command in bits 0-1 */
    uint64_t val;
};
typedef struct mmu_update mmu_update_t;
DEFINE_XEN_GUEST_HANDLE(mmu_update_t);

/* One call of a multicall batch; result receives the call's return. */
struct multicall_entry {
    xen_ulong_t op, result;
    xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;
DEFINE_XEN_GUEST_HANDLE(multicall_entry_t);

/*
 * System time for one vCPU: ns since boot at tsc_timestamp, and the
 * scale from TSC ticks to ns ((tsc delta << tsc_shift) * mul >> 32, a
 * negative shift shifting right). version is odd while the hypervisor
 * updates the record; a reader retries until it sees the same even value
 * before and after.
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t   tsc_shift;
    uint8_t  flags;     /* XEN_PVCLOCK_* */
    uint8_t  pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;

#define XEN_PVCLOCK_TSC_STABLE_BIT  (1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED   (1 << 1)

/*
 * Per-vCPU shared state. evtchn_upcall_mask is the PV guest's interrupt
 * flag (1: events masked); pending_sel has a bit per word of
 * shared_info.evtchn_pending that has a pending port.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    xen_ulong_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};
typedef struct vcpu_info vcpu_info_t;

/*
 * The page the hypervisor shares with a domain, its machine address in
 * start_info.shared_info. The wallclock at system time 0 is
 * wc_sec_hi:wc_sec seconds + wc_nsec, under wc_version like
 * vcpu_time_info.version.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;

#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/*
 * What a PV guest finds at RSI on entry, in a page of its own bootstrap
 * region. The kernel image, start_info, the initial page tables
 * (pt_base, nr_pt_frames of them), the p2m (mfn_list) and a boot stack
 * are mapped from the kernel's VIRT_BASE on, with at least 512 KiB of
 * mapped padding after them.
 */
#define MAX_GUEST_CMDLINE 1024
struct start_info {
    char magic[32];             /* "xen-<version>-<platform>" */
    unsigned long nr_pages;     /* total pages of the domain */
    unsigned long shared_info;  /* machine address of shared_info */
    uint32_t flags;             /* SIF_* */
    xen_pfn_t store_mfn;        /* xenstore ring (domU) */
    uint32_t store_evtchn;
    union {
        struct {
            xen_pfn_t mfn;      /* console ring (domU) */
            uint32_t evtchn;
        } domU;
        struct {
            uint32_t info_off;  /* dom0: offset of a dom0_vga_console_info */
            uint32_t info_size;
        } dom0;
    } console;
    unsigned long pt_base;      /* virtual address of the initial L4 */
    unsigned long nr_pt_frames;
    unsigned long mfn_list;     /* virtual address of the p2m */
    unsigned long mod_start;    /* initrd: virtual address, or pfn if SIF_MOD_START_PFN */
    unsigned long mod_len;
    int8_t cmd_line[MAX_GUEST_CMDLINE];
    unsigned long first_p2m_pfn;    /* p2m outside the bootstrap region */
    unsigned long nr_p2m_frames;
};
typedef struct start_info start_info_t;

#endif /* !__ASSEMBLER__ */

/* start_info.flags */
#define SIF_PRIVILEGED      (1 << 0)    /* may use privileged operations */
#define SIF_INITDOMAIN      (1 << 1)    /* is dom0 */
#define SIF_MULTIBOOT_MOD   (1 << 2)    /* mod_start is a multiboot module list */
#define SIF_MOD_START_PFN   (1 << 3)    /* mod_start is a pfn */
#define SIF_VIRT_P2M_4TOOLS (1 << 4)    /* the toolstack uses the virtual p2m */
#define SIF_PM_MASK         (0xFF << 8) /* power-management reserved bits */

#ifndef __ASSEMBLER__

/* SIF_MULTIBOOT_MOD: one module, addresses relative to mod_start. */
struct xen_multiboot_mod_list {
    uint32_t mod_start;
    uint32_t mod_end;
    uint32_t cmdline;
    uint32_t pad;
};

/* dom0's console as the boot firmware left it (start_info.console.dom0). */
typedef struct dom0_vga_console_info {
    uint8_t video_type;
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB    0x23
#define XEN_VGATYPE_EFI_LFB     0x70
    union {
        struct {
            uint16_t font_height;
            uint16_t cursor_x, cursor_y;
            uint16_t rows, columns;
        } text_mode_3;
        struct {
            uint16_t width, height;
            uint16_t bytes_per_line;
            uint16_t bits_per_pixel;
            uint32_t lfb_base;
            uint32_t lfb_size;
            uint8_t  red_pos, red_size;
            uint8_t  green_pos, green_size;
            uint8_t  blue_pos, blue_size;
            uint8_t  rsvd_pos, rsvd_size;
            uint32_t gbl_caps;
            uint16_t mode_attrs;
            uint16_t pad;
            uint32_t ext_lfb_base;
        } vesa_lfb;
    } u;
} dom0_vga_console_info_t;

typedef uint8_t xen_domain_handle_t[16];

typedef struct {
    uint8_t a[16];
} xen_uuid_t;

#endif /* !__ASSEMBLER__ */

#endif /* XEN_PUBLIC_XEN_H */
