/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Power-off, reset and halt.
 *
 * Power-off enters ACPI S5: the S5 sleep type from the DSDT goes into the
 * PM1 control registers named by the FADT, with SLP_EN (or into the sleep
 * control register on hardware-reduced platforms). Reset tries the FADT's
 * reset register, then the keyboard controller, then a triple fault; each
 * step is given time to work before the next one is tried. These paths
 * run after panics too, so they map nothing and wait on nothing
 * unbounded.
 */
#include <asm/acpi.h>
#include <asm/bootmap.h>
#include <asm/io.h>
#include <asm/system.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/string.h>

bool opt_noreboot;
boolean_param("noreboot", opt_noreboot);

/* A fixed-hardware register, resolved once from the FADT. */
struct acpi_reg {
    bool present;
    uint8_t space;              /* ACPI_ADR_SPACE_* */
    uint64_t addr;
    volatile void *va;          /* system memory: mapped at boot */
};

static struct acpi_reg pm1a_cnt, pm1b_cnt, sleep_ctl, reset_reg, pm_tmr;
static uint32_t pm_tmr_mask;
static uint8_t reset_value;
static bool hw_reduced;
static bool have_s5;
static uint8_t slp_typ[2];
static uint16_t smi_cmd;
static uint8_t acpi_enable_value;

/* Legacy PC pieces: POST code port, keyboard controller. */
#define POST_PORT           0x80
#define KBD_STATUS_PORT     0x64
#define KBD_STAT_IBF        0x02   /* input buffer full */
#define KBD_CMD_PULSE_RESET 0xfe

/* PCI configuration mechanism #1, for a reset register in config space. */
#define PCI_CONF_ADDR       0xcf8
#define PCI_CONF_DATA       0xcfc

/* The ACPI PM timer runs at 3.579545 MHz on every platform. */
#define PM_TMR_HZ           3579545UL

/*
 * Writes to the POST code port take about a microsecond on PC hardware;
 * they are the delay of last resort.
 */
static void io_delay(unsigned long n)
{
    while ( n-- )
        outb(0, POST_PORT);
}

static void halt(void)
{
    __asm__ __volatile__ ( "hlt" ::: "memory" );
}

/*
 * Fills r from a Generic Address Structure. Memory-space registers are
 * mapped now and stay mapped: power-off and reset must not depend on
 * the bootmap window having room (they also run after panics).
 *
 * The mapping is cacheable, which is fine for chipset registers: firmware
 * sets the MTRRs to uncacheable over MMIO, and UC there wins over the
 * page tables' write-back.
 */
static bool __init reg_from_gas(struct acpi_reg *r,
                                const struct acpi_generic_address *gas,
                                size_t width)
{
    memset(r, 0, sizeof(*r));
    if ( !gas->address )
        return false;

    switch ( gas->space_id )
    {
    case ACPI_ADR_SPACE_SYSTEM_IO:
        if ( gas->address + width - 1 > 0xffff )
            return false;
        break;
    case ACPI_ADR_SPACE_SYSTEM_MEMORY:
        if ( !acpi_paddr_ok(gas->address, width) )
            return false;
        r->va = bootmap_map_registers(gas->address, width);
        break;
    case ACPI_ADR_SPACE_PCI_CONFIG:
        /* Segment 0, bus 0; device, function and offset in the address. */
        if ( (gas->address >> 48) || ((gas->address >> 32) & 0xffff) > 31 ||
             ((gas->address >> 16) & 0xffff) > 7 ||
             (gas->address & 0xffff) > 0xff )
            return false;
        break;
    default:
        return false;
    }

    r->present = true;
    r->space = gas->space_id;
    r->addr = gas->address;

    return true;
}

/*
 * A fixed-hardware block: the extended (GAS) field of the FADT wins when
 * set and usable, else the legacy I/O port field.
 */
static bool __init reg_from_fixed(struct acpi_reg *r,
                                  const struct acpi_generic_address *x,
                                  uint32_t legacy, size_t width)
{
    struct acpi_generic_address gas = {
        .space_id = ACPI_ADR_SPACE_SYSTEM_IO,
        .address = legacy,
    };

    if ( x->space_id != ACPI_ADR_SPACE_PCI_CONFIG &&
         reg_from_gas(r, x, width) )
        return true;

    return reg_from_gas(r, &gas, width);
}

static uint16_t reg_read16(const struct acpi_reg *r)
{
    if ( r->space == ACPI_ADR_SPACE_SYSTEM_MEMORY )
        return *(volatile const uint16_t *)r->va;

    return inw(r->addr);
}

static void reg_write16(const struct acpi_reg *r, uint16_t v)
{
    if ( r->space == ACPI_ADR_SPACE_SYSTEM_MEMORY )
        *(volatile uint16_t *)r->va = v;
    else
        outw(v, r->addr);
}

static uint8_t reg_read8(const struct acpi_reg *r)
{
    if ( r->space == ACPI_ADR_SPACE_SYSTEM_MEMORY )
        return *(volatile const uint8_t *)r->va;

    return inb(r->addr);
}

static void reg_write8(const struct acpi_reg *r, uint8_t v)
{
    uint32_t dev, fn, off;

    switch ( r->space )
    {
    case ACPI_ADR_SPACE_SYSTEM_MEMORY:
        *(volatile uint8_t *)r->va = v;
        break;
    case ACPI_ADR_SPACE_SYSTEM_IO:
        outb(v, r->addr);
        break;
    case ACPI_ADR_SPACE_PCI_CONFIG:
        dev = (r->addr >> 32) & 0x1f;
        fn = (r->addr >> 16) & 0x7;
        off = r->addr & 0xff;
        outl(0x80000000U | (dev << 11) | (fn << 8) | (off & 0xfc),
             PCI_CONF_ADDR);
        outb(v, PCI_CONF_DATA + (off & 3));
        break;
    }
}

/* Log prefix naming a register's address space; none for I/O ports. */
static const char *reg_space(const struct acpi_reg *r)
{
    switch ( r->space )
    {
    case ACPI_ADR_SPACE_SYSTEM_MEMORY:
        return "mem ";
    case ACPI_ADR_SPACE_PCI_CONFIG:
        return "pci ";
    default:
        return "";
    }
}

static uint32_t reg_read32(const struct acpi_reg *r)
{
    if ( r->space == ACPI_ADR_SPACE_SYSTEM_MEMORY )
        return *(volatile const uint32_t *)r->va;

    return inl(r->addr);
}

/*
 * No interrupts, no calibrated clock: delays use the PM timer when the
 * FADT has one, since port writes vary a hundredfold between hardware,
 * KVM and TCG. A timer that does not tick must not hang us, so the wait
 * is also bounded in reads of it (each at least tens of nanoseconds).
 */
static void mdelay(unsigned int ms)
{
    unsigned long need = ms * (PM_TMR_HZ / 1000), done = 0, reads;
    uint32_t last, now;

    if ( !pm_tmr.present )
    {
        io_delay(ms * 1000UL);
        return;
    }

    last = reg_read32(&pm_tmr) & pm_tmr_mask;
    for ( reads = 0; done < need && reads < ms * 20000UL; reads++ )
    {
        now = reg_read32(&pm_tmr) & pm_tmr_mask;
        done += (now - last) & pm_tmr_mask;
        last = now;
    }
}

void __init acpi_power_init(const struct acpi_fadt *fadt, const uint8_t s5[2])
{
    have_s5 = s5;
    if ( s5 )
    {
        slp_typ[0] = s5[0];
        slp_typ[1] = s5[1];
    }

    if ( !fadt )
    {
        printk(XENLOG_WARNING "ACPI: no FADT: power-off will halt; reset "
               "through the keyboard controller\n");
        return;
    }

    hw_reduced = fadt->flags & ACPI_FADT_HW_REDUCED_ACPI;
    if ( !hw_reduced && fadt->pm_tmr_len >= 4 &&
         reg_from_fixed(&pm_tmr, &fadt->x_pm_tmr_blk, fadt->pm_tmr_blk,
                        sizeof(uint32_t)) )
        pm_tmr_mask = fadt->flags & ACPI_FADT_TMR_VAL_EXT ? ~0U : 0xffffffU;
    if ( fadt->smi_cmd <= 0xffff )
    {
        smi_cmd = fadt->smi_cmd;
        acpi_enable_value = fadt->acpi_enable;
    }

    if ( hw_reduced )
    {
        if ( reg_from_gas(&sleep_ctl, &fadt->sleep_control_reg, 1) && s5 )
            printk("ACPI: S5 via SLEEP_CONTROL %s%#lx SLP_TYP %u\n",
                   reg_space(&sleep_ctl), sleep_ctl.addr, slp_typ[0]);
        else if ( s5 )
            printk(XENLOG_WARNING "ACPI: hardware-reduced, without a usable "
                   "sleep control register: power-off will halt\n");
    }
    else if ( reg_from_fixed(&pm1a_cnt, &fadt->x_pm1a_cnt_blk,
                             fadt->pm1a_cnt_blk, sizeof(uint16_t)) )
    {
        reg_from_fixed(&pm1b_cnt, &fadt->x_pm1b_cnt_blk, fadt->pm1b_cnt_blk,
                       sizeof(uint16_t));
        if ( s5 && pm1b_cnt.present )
            printk("ACPI: S5 via PM1a_CNT %s%#lx SLP_TYP %u, PM1b_CNT %s%#lx "
                   "SLP_TYP %u\n", reg_space(&pm1a_cnt), pm1a_cnt.addr,
                   slp_typ[0], reg_space(&pm1b_cnt), pm1b_cnt.addr,
                   slp_typ[1]);
        else if ( s5 )
            printk("ACPI: S5 via PM1a_CNT %s%#lx SLP_TYP %u\n",
                   reg_space(&pm1a_cnt), pm1a_cnt.addr, slp_typ[0]);
    }
    else
        printk(XENLOG_WARNING
               "ACPI: no usable PM1a_CNT: power-off will halt\n");

    if ( !s5 )
        printk(XENLOG_WARNING "ACPI: S5 unknown: power-off will halt\n");

    if ( (fadt->flags & ACPI_FADT_RESET_REG_SUP) &&
         reg_from_gas(&reset_reg, &fadt->reset_reg, 1) )
    {
        reset_value = fadt->reset_value;
        printk("ACPI: reset via RESET_REG %s%#lx value %#x\n",
               reg_space(&reset_reg), reset_reg.addr, reset_value);
    }
    else
        printk("ACPI: no reset register; reset through the keyboard "
               "controller\n");
}

bool acpi_power_off_ready(void)
{
    return have_s5 && (hw_reduced ? sleep_ctl.present : pm1a_cnt.present);
}

/*
 * Firmware may still own the fixed hardware (SCI_EN clear: legacy mode),
 * and sleep requests are then not ours to make. Writing ACPI_ENABLE to
 * SMI_CMD is how the spec has the OS take it over; give the SMI handler
 * up to a few seconds, then try regardless.
 */
static void acpi_enter_acpi_mode(void)
{
    unsigned int ms;

    if ( !smi_cmd || !acpi_enable_value ||
         (reg_read16(&pm1a_cnt) & ACPI_PM1_SCI_EN) )
        return;

    outb(acpi_enable_value, smi_cmd);
    for ( ms = 0; ms < 3000; ms++ )
    {
        if ( reg_read16(&pm1a_cnt) & ACPI_PM1_SCI_EN )
            return;
        mdelay(1);
    }
}

static void pm1_set_slp_typ(const struct acpi_reg *r, uint8_t typ)
{
    uint16_t v = reg_read16(r);

    /* Other bits keep their values; SLP_EN must not be set yet. */
    v &= ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);
    v |= typ << ACPI_PM1_SLP_TYP_SHIFT;
    reg_write16(r, v);
}

static void pm1_set_slp_en(const struct acpi_reg *r)
{
    reg_write16(r, reg_read16(r) | ACPI_PM1_SLP_EN);
}

void machine_power_off(void)
{
    local_irq_disable();
    printk("Powering off\n");

    if ( !acpi_power_off_ready() )
    {
        printk(XENLOG_ERR "No ACPI power-off method\n");
        machine_halt();
    }

    /* Let the UART's FIFO drain: the last line is the one that matters. */
    mdelay(20);

    if ( hw_reduced )
    {
        uint8_t v = reg_read8(&sleep_ctl);

        v &= ~(ACPI_SLEEP_CTL_SLP_TYP_MASK | ACPI_SLEEP_CTL_SLP_EN);
        v |= slp_typ[0] << ACPI_SLEEP_CTL_SLP_TYP_SHIFT;
        reg_write8(&sleep_ctl, v | ACPI_SLEEP_CTL_SLP_EN);
    }
    else
    {
        acpi_enter_acpi_mode();
        /*
         * Both blocks get their sleep type before either gets SLP_EN, as
         * the two halves of the register must agree when the state is
         * entered.
         */
        pm1_set_slp_typ(&pm1a_cnt, slp_typ[0]);
        if ( pm1b_cnt.present )
            pm1_set_slp_typ(&pm1b_cnt, slp_typ[1]);
        pm1_set_slp_en(&pm1a_cnt);
        if ( pm1b_cnt.present )
            pm1_set_slp_en(&pm1b_cnt);
    }

    mdelay(1000);
    printk(XENLOG_ERR "ACPI power-off failed\n");
    machine_halt();
}

/*
 * The last resort: with an IDT limit of 0 every exception is undeliverable,
 * which escalates to a double fault, then to a shutdown, which the
 * chipset turns into a reset.
 */
static void __noreturn triple_fault(void)
{
    static const struct __packed {
        uint16_t limit;
        uint64_t base;
    } no_idt = { 0, 0 };

    __asm__ __volatile__ ( "lidt %0; int3" :: "m" (no_idt) : "memory" );
    for ( ;; )
        halt();
}

void machine_restart(void)
{
    static bool restarting;
    unsigned int i, spin;

    local_irq_disable();

    /* A fault on the way down must not loop back through here. */
    if ( restarting )
        triple_fault();
    restarting = true;

    printk("Rebooting\n");
    mdelay(20);

    if ( reset_reg.present )
    {
        reg_write8(&reset_reg, reset_value);
        mdelay(100);
        printk(XENLOG_WARNING "ACPI reset register had no effect\n");
    }

    for ( i = 0; i < 10; i++ )
    {
        /*
         * Bounded: without a keyboard controller the port reads as 0xff,
         * input buffer forever full; the command is sent regardless.
         */
        for ( spin = 0; spin < 100000; spin++ )
        {
            if ( !(inb(KBD_STATUS_PORT) & KBD_STAT_IBF) )
                break;
            io_delay(1);
        }
        outb(KBD_CMD_PULSE_RESET, KBD_STATUS_PORT);
        mdelay(50);
    }
    printk(XENLOG_WARNING "Keyboard controller reset had no effect\n");

    triple_fault();
}

void machine_halt(void)
{
    local_irq_disable();
    printk("System halted\n");
    for ( ;; )
        halt();
}
