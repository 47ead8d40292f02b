/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_ACPI_H
#define ASM_X86_ACPI_H

#include <xen/compiler.h>
#include <xen/types.h>

/*
 * ACPI: the firmware tables Xenon reads at boot (RSDP, RSDT/XSDT, FADT,
 * DSDT, MADT, HPET) and the fixed hardware it drives with them (power-off
 * through the PM1 control registers, reset through the reset register).
 *
 * The layouts below follow the ACPI specification (6.5). Every table is
 * byte-packed and little-endian; fields are named after the spec's.
 */

#define ACPI_RSDP_SIG     "RSD PTR "
#define ACPI_RSDP_V1_LEN  20   /* what the checksum covers */
#define ACPI_RSDP_V2_LEN  36   /* what the extended checksum covers */

struct acpi_rsdp {
    char signature[8];         /* "RSD PTR " */
    uint8_t checksum;          /* over the first 20 bytes */
    char oem_id[6];
    uint8_t revision;          /* 0 for ACPI 1.0, 2 from ACPI 2.0 on */
    uint32_t rsdt_address;
    /* Revision 2 and later only. */
    uint32_t length;           /* of the whole structure */
    uint64_t xsdt_address;
    uint8_t extended_checksum; /* over length bytes */
    uint8_t reserved[3];
} __packed;

/* The header every System Description Table starts with. */
struct acpi_table_header {
    char signature[4];
    uint32_t length;           /* of the whole table, header included */
    uint8_t revision;
    uint8_t checksum;          /* all length bytes sum to 0 (mod 256) */
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    char asl_compiler_id[4];
    uint32_t asl_compiler_revision;
} __packed;

/* Generic Address Structure: a register in some address space. */
struct acpi_generic_address {
    uint8_t space_id;          /* ACPI_ADR_SPACE_* */
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size;       /* 0 undefined, 1 byte ... 4 qword */
    uint64_t address;
} __packed;

#define ACPI_ADR_SPACE_SYSTEM_MEMORY 0
#define ACPI_ADR_SPACE_SYSTEM_IO     1
#define ACPI_ADR_SPACE_PCI_CONFIG    2

/*
 * Fixed ACPI Description Table (signature "FACP"). Older firmware has
 * shorter tables (116 bytes for ACPI 1.0): a field exists only if the
 * header's length covers it.
 */
struct acpi_fadt {
    struct acpi_table_header header;
    uint32_t firmware_ctrl;    /* FACS */
    uint32_t dsdt;
    uint8_t reserved0;
    uint8_t preferred_pm_profile;
    uint16_t sci_int;
    uint32_t smi_cmd;
    uint8_t acpi_enable;
    uint8_t acpi_disable;
    uint8_t s4bios_req;
    uint8_t pstate_cnt;
    uint32_t pm1a_evt_blk;
    uint32_t pm1b_evt_blk;
    uint32_t pm1a_cnt_blk;
    uint32_t pm1b_cnt_blk;
    uint32_t pm2_cnt_blk;
    uint32_t pm_tmr_blk;
    uint32_t gpe0_blk;
    uint32_t gpe1_blk;
    uint8_t pm1_evt_len;
    uint8_t pm1_cnt_len;
    uint8_t pm2_cnt_len;
    uint8_t pm_tmr_len;
    uint8_t gpe0_blk_len;
    uint8_t gpe1_blk_len;
    uint8_t gpe1_base;
    uint8_t cst_cnt;
    uint16_t p_lvl2_lat;
    uint16_t p_lvl3_lat;
    uint16_t flush_size;
    uint16_t flush_stride;
    uint8_t duty_offset;
    uint8_t duty_width;
    uint8_t day_alrm;
    uint8_t mon_alrm;
    uint8_t century;
    uint16_t iapc_boot_arch;
    uint8_t reserved1;
    uint32_t flags;            /* ACPI_FADT_* */
    /* ACPI 2.0 and later. */
    struct acpi_generic_address reset_reg;
    uint8_t reset_value;
    uint16_t arm_boot_arch;
    uint8_t minor_version;
    uint64_t x_firmware_ctrl;
    uint64_t x_dsdt;
    struct acpi_generic_address x_pm1a_evt_blk;
    struct acpi_generic_address x_pm1b_evt_blk;
    struct acpi_generic_address x_pm1a_cnt_blk;
    struct acpi_generic_address x_pm1b_cnt_blk;
    struct acpi_generic_address x_pm2_cnt_blk;
    struct acpi_generic_address x_pm_tmr_blk;
    struct acpi_generic_address x_gpe0_blk;
    struct acpi_generic_address x_gpe1_blk;
    /* ACPI 5.0 and later: hardware-reduced platforms sleep through these. */
    struct acpi_generic_address sleep_control_reg;
    struct acpi_generic_address sleep_status_reg;
} __packed;

#define ACPI_FADT_TMR_VAL_EXT      (1U << 8)
#define ACPI_FADT_RESET_REG_SUP    (1U << 10)
#define ACPI_FADT_HW_REDUCED_ACPI  (1U << 20)

/* PM1 control register bits. */
#define ACPI_PM1_SCI_EN            (1U << 0)
#define ACPI_PM1_SLP_TYP_SHIFT     10
#define ACPI_PM1_SLP_TYP_MASK      (7U << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN            (1U << 13)

/* Sleep control register bits (hardware-reduced ACPI). */
#define ACPI_SLEEP_CTL_SLP_TYP_SHIFT 2
#define ACPI_SLEEP_CTL_SLP_TYP_MASK  (7U << ACPI_SLEEP_CTL_SLP_TYP_SHIFT)
#define ACPI_SLEEP_CTL_SLP_EN        (1U << 5)

/*
 * Multiple APIC Description Table (signature "APIC"): the fixed part,
 * then a list of variable-length entries, each starting with a type and
 * its own length in bytes.
 */
struct acpi_madt {
    struct acpi_table_header header;
    uint32_t lapic_address;    /* 32-bit local APIC base */
    uint32_t flags;            /* ACPI_MADT_PCAT_COMPAT */
} __packed;

#define ACPI_MADT_PCAT_COMPAT      (1U << 0)  /* has a pair of 8259s */

struct acpi_madt_entry {
    uint8_t type;              /* ACPI_MADT_TYPE_* */
    uint8_t length;            /* of the entry, these two bytes included */
} __packed;

#define ACPI_MADT_TYPE_LOCAL_APIC     0x0
#define ACPI_MADT_TYPE_IO_APIC        0x1
#define ACPI_MADT_TYPE_INT_OVERRIDE   0x2
#define ACPI_MADT_TYPE_LAPIC_NMI      0x4
#define ACPI_MADT_TYPE_LAPIC_OVERRIDE 0x5
#define ACPI_MADT_TYPE_LOCAL_X2APIC   0x9
#define ACPI_MADT_TYPE_X2APIC_NMI     0xa

/* Flags of processor entries (types 0 and 9). */
#define ACPI_MADT_ENABLED          (1U << 0)
#define ACPI_MADT_ONLINE_CAPABLE   (1U << 1)  /* MADT revision 5 on */

struct acpi_madt_local_apic {
    struct acpi_madt_entry header;
    uint8_t processor_uid;
    uint8_t apic_id;
    uint32_t flags;
} __packed;

struct acpi_madt_io_apic {
    struct acpi_madt_entry header;
    uint8_t id;
    uint8_t reserved;
    uint32_t address;
    uint32_t gsi_base;
} __packed;

/* Flags here and in the NMI entries are MPS INTI flags. */
#define ACPI_MADT_POLARITY_MASK    0x3
#define ACPI_MADT_POLARITY_HIGH    0x1
#define ACPI_MADT_POLARITY_LOW     0x3
#define ACPI_MADT_TRIGGER_MASK     0xc
#define ACPI_MADT_TRIGGER_EDGE     0x4
#define ACPI_MADT_TRIGGER_LEVEL    0xc

struct acpi_madt_int_override {
    struct acpi_madt_entry header;
    uint8_t bus;               /* 0: ISA */
    uint8_t source;            /* bus-relative IRQ */
    uint32_t gsi;
    uint16_t flags;
} __packed;

struct acpi_madt_lapic_nmi {
    struct acpi_madt_entry header;
    uint8_t processor_uid;     /* 0xff: every processor */
    uint16_t flags;
    uint8_t lint;              /* LINT0 or LINT1 */
} __packed;

struct acpi_madt_lapic_override {
    struct acpi_madt_entry header;
    uint16_t reserved;
    uint64_t address;
} __packed;

struct acpi_madt_local_x2apic {
    struct acpi_madt_entry header;
    uint16_t reserved;
    uint32_t x2apic_id;
    uint32_t flags;
    uint32_t processor_uid;
} __packed;

struct acpi_madt_x2apic_nmi {
    struct acpi_madt_entry header;
    uint16_t flags;
    uint32_t processor_uid;    /* 0xffffffff: every processor */
    uint8_t lint;
    uint8_t reserved[3];
} __packed;

/*
 * What Xenon keeps of the MADT (xen/arch/x86/acpi/madt.c). Every list is
 * bounded; entries beyond a bound are counted in the matching _dropped
 * field and reported, never stored.
 */
#define MADT_MAX_CPUS       (2 * CONFIG_NR_CPUS)
#define MADT_MAX_IO_APICS   8
#define MADT_MAX_OVERRIDES  16
#define MADT_MAX_NMIS       16

/* In acpi_madt_nmi.acpi_uid: the entry applies to every processor. */
#define ACPI_MADT_NMI_ALL_CPUS 0xffffffffU

struct acpi_madt_cpu {
    uint32_t apic_id;          /* 8 bits unless x2apic */
    uint32_t acpi_uid;         /* ACPI processor UID (8 bits unless x2apic) */
    bool enabled;              /* usable now */
    bool online_capable;       /* disabled, but may be brought online later */
    bool x2apic;               /* from a Processor Local x2APIC entry */
};

struct acpi_madt_ioapic {
    uint8_t id;
    uint32_t address;
    uint32_t gsi_base;         /* GSI of its pin 0 */
};

struct acpi_madt_override {
    uint8_t bus;
    uint8_t source;            /* ISA IRQ */
    uint32_t gsi;
    uint16_t flags;            /* ACPI_MADT_POLARITY_*, ACPI_MADT_TRIGGER_* */
};

struct acpi_madt_nmi {
    uint32_t acpi_uid;         /* ACPI_MADT_NMI_ALL_CPUS: every one */
    uint16_t flags;
    uint8_t lint;
};

struct acpi_madt_info {
    bool present;              /* a MADT was found and accepted */
    bool pcat_compat;          /* legacy 8259s present (assumed without one) */
    bool truncated;            /* a malformed entry ended the walk early */
    paddr_t lapic_addr;        /* the override entry's, if any; 0: unknown */

    /*
     * cpus[] holds entries in table order, enabled or not, each APIC ID
     * once. nr_cpus == 0 means nothing is known: run the boot CPU only.
     */
    unsigned int nr_cpus, nr_cpus_enabled;
    unsigned int nr_cpus_dropped;      /* beyond MADT_MAX_CPUS */
    unsigned int nr_cpus_duplicate;    /* APIC ID already listed: skipped */
    struct acpi_madt_cpu cpus[MADT_MAX_CPUS];

    unsigned int nr_io_apics, nr_io_apics_dropped;
    struct acpi_madt_ioapic io_apics[MADT_MAX_IO_APICS];

    unsigned int nr_overrides, nr_overrides_dropped;
    struct acpi_madt_override overrides[MADT_MAX_OVERRIDES];

    unsigned int nr_nmis, nr_nmis_dropped;  /* types 4 and 0xa together */
    struct acpi_madt_nmi nmis[MADT_MAX_NMIS];

    unsigned int nr_short;     /* entries too short for their type: skipped */
    unsigned int nr_unknown;   /* entries of other types: skipped */
};

/*
 * The live MADT, filled by acpi_madt_init() during acpi_boot_init() and
 * read-only afterwards. Without a usable MADT: present false, nr_cpus 0,
 * pcat_compat true, lapic_addr 0 (then IA32_APIC_BASE says).
 */
extern struct acpi_madt_info acpi_madt;

/*
 * Parses the MADT in [table, table + len) into *out (overwritten whole).
 * Only the smaller of len and the header's length is read, and nothing
 * outside it. Returns false, leaving the "no MADT" description above, if
 * the table is shorter than its fixed part; otherwise true, however many
 * entries were skipped. The checksum is the caller's business.
 */
bool acpi_madt_parse(const void *table, size_t len,
                     struct acpi_madt_info *out);

/* Finds the MADT, parses it into acpi_madt and prints a summary. */
void acpi_madt_init(void);

/* Set by the self-test while it parses broken tables on purpose. */
extern bool acpi_madt_quiet;

/*
 * High Precision Event Timer description table (signature "HPET"), for
 * the first (and normally only) timer block.
 */
struct acpi_hpet {
    struct acpi_table_header header;
    uint32_t block_id;         /* hardware ID of the event timer block */
    struct acpi_generic_address address;
    uint8_t hpet_number;
    uint16_t min_tick;         /* main counter ticks, for periodic mode */
    uint8_t page_protection;
} __packed;

/*
 * The HPET's register block in system memory; 0 if there is no usable
 * HPET table. Set by acpi_hpet_init() during acpi_boot_init(), with the
 * timer block's number and minimum periodic tick.
 */
extern paddr_t acpi_hpet_address;
extern uint8_t acpi_hpet_number;
extern uint16_t acpi_hpet_min_tick;

/*
 * Checks an HPET table of len bytes: NULL, with *pa (the register block),
 * *number and *min_tick filled in, if usable, else why not.
 */
const char *acpi_hpet_parse(const void *table, size_t len, paddr_t *pa,
                            uint8_t *number, uint16_t *min_tick);

/* Finds the HPET table and fills in acpi_hpet_*; reports problems. */
void acpi_hpet_init(void);

/*
 * Finds the ACPI tables and the way to power off. rsdp is a copy of the
 * RSDP (len bytes) that the boot loader handed over, or NULL; without a
 * usable copy the BIOS areas are searched. Problems are reported and
 * leave the affected feature unavailable; nothing here panics.
 */
void acpi_boot_init(const void *rsdp, size_t len);

/*
 * The instance'th (from 0) valid table with signature sig, mapped for
 * good (through the bootmap window), or NULL. Only tables whose length
 * and checksum verified at boot are ever returned.
 */
const struct acpi_table_header *acpi_find_table(const char sig[4],
                                                unsigned int instance);

/* "noreboot": halt rather than reboot after a panic. */
extern bool opt_noreboot;

/*
 * Power-off writes dom0's S5 values if dom0 gave valid ones with
 * acpi_dom0_sleep_request(), then the hypervisor's own; halts if both
 * fail or there is no way to power off.
 */
void __noreturn machine_power_off(void);
void __noreturn machine_restart(void);
void __noreturn machine_halt(void);

/*
 * Between xen/arch/x86/acpi/tables.c (which finds things) and power.c
 * (which uses them); nothing else should need these.
 */

/* Can [pa, pa + len) be mapped: no wrap, within the CPU's address width? */
bool acpi_paddr_ok(paddr_t pa, uint64_t len);

/*
 * Resolves the PM1 control, sleep control and reset registers of fadt
 * (a copy, zero-filled beyond the firmware's length; NULL if there is no
 * FADT) and takes note of the S5 sleep type values (NULL if unknown).
 * Registers in memory space are mapped here, once, so that the power-off
 * and reset paths never need to map anything.
 */
void acpi_power_init(const struct acpi_fadt *fadt, const uint8_t s5[2]);

/* Does power-off have a register to write, and an S5 value to write? */
bool acpi_power_off_ready(void);

/*
 * dom0's XENPF_enter_acpi_sleep: checks the request as Xen does (0, or
 * -EPERM, -EINVAL, -ERANGE; -EOPNOTSUPP for S3, which needs a resume
 * path Xenon does not have). For S5, the values are kept for
 * machine_power_off(), which the caller is then to bring about.
 */
int acpi_dom0_sleep_request(unsigned int state, uint16_t val_a,
                            uint16_t val_b, uint32_t flags);

#endif /* ASM_X86_ACPI_H */
