/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The memory-map code of xen/arch/x86/e820.c: e820_sanitise() on
 * hand-made maps and, against a byte-by-byte model, on random ones; the
 * RAM total, the EFI type table, the names and the printed form.
 */
#include "harness.h"
#include "shim.h"

#include <asm/e820.h>
#include <xen/lib.h>

#define RAM E820_RAM
#define RES E820_RESERVED
#define ACPI E820_ACPI
#define NVS E820_NVS
#define UNU E820_UNUSABLE

#define TOP UINT64_MAX

/* Always E820_MAX long: sanitising may need more room than it was given. */
static struct e820entry map[E820_MAX];
static unsigned int nr;

#define E(a, s, t) { .addr = (a), .size = (s), .type = (t) }

static void load(const struct e820entry *in, unsigned int n)
{
    memset(map, 0x5a, sizeof(map));
    if ( n )
        memcpy(map, in, n * sizeof(*in));
    nr = n;
    printk_clear();
}

static const char *entry_str(const struct e820entry *e)
{
    static char bufs[2][80];
    static unsigned int next;
    char *b = bufs[next++ % 2];

    snprintf(b, sizeof(bufs[0]), "[%#llx +%#llx type %u]",
             (unsigned long long)e->addr, (unsigned long long)e->size,
             e->type);
    return b;
}

/* Sanitises what load() put in, expecting exactly want[0, n). */
static void sanitise_expect(const struct e820entry *want, unsigned int n)
{
    unsigned int got = e820_sanitise(map, nr), i;

    CHECK_MSG(got == n, "%u entries, want %u; first %s", got, n,
              got ? entry_str(&map[0]) : "none");
    for ( i = 0; i < n; i++ )
        CHECK_MSG(map[i].addr == want[i].addr && map[i].size == want[i].size &&
                  map[i].type == want[i].type,
                  "entry %u: got %s, want %s", i, entry_str(&map[i]),
                  entry_str(&want[i]));
    nr = got;
}

#define SANITISE(in, want)                                                 \
    do {                                                                   \
        load(in, ARRAY_SIZE(in));                                          \
        sanitise_expect(want, ARRAY_SIZE(want));                           \
    } while ( 0 )

TEST(empty_map)
{
    load(NULL, 0);
    CHECK_EQU(e820_sanitise(map, 0), 0);
    CHECK_EQU(e820_ram_bytes(map, 0), 0);
}

TEST(single_entry_unchanged)
{
    static const struct e820entry in[] = { E(0x1000, 0x9e000, RAM) };

    SANITISE(in, in);
}

TEST(unsorted_input_is_sorted)
{
    static const struct e820entry in[] = {
        E(0x100000, 0x7ee0000, RAM),
        E(0xf0000, 0x10000, RES),
        E(0, 0x9fc00, RAM),
        E(0xfffc0000, 0x40000, RES),
        E(0x9fc00, 0x400, RES),
    };
    static const struct e820entry want[] = {
        E(0, 0x9fc00, RAM),
        E(0x9fc00, 0x400, RES),
        E(0xf0000, 0x10000, RES),
        E(0x100000, 0x7ee0000, RAM),
        E(0xfffc0000, 0x40000, RES),
    };

    SANITISE(in, want);
}

TEST(reserved_inside_ram_splits_it)
{
    static const struct e820entry in[] = {
        E(0, 0x100000, RAM),
        E(0x9f000, 0x1000, RES),
    };
    static const struct e820entry want[] = {
        E(0, 0x9f000, RAM),
        E(0x9f000, 0x1000, RES),
        E(0xa0000, 0x60000, RAM),
    };

    SANITISE(in, want);
}

TEST(ram_inside_reserved_disappears)
{
    static const struct e820entry in[] = {
        E(0x2000, 0x1000, RAM),
        E(0, 0x10000, RES),
    };
    static const struct e820entry want[] = { E(0, 0x10000, RES) };

    SANITISE(in, want);
}

TEST(ram_partly_covered_on_both_sides)
{
    static const struct e820entry in[] = {
        E(0x1000, 0x4000, RAM),   /* 0x1000-0x5000 */
        E(0, 0x2000, RES),        /* 0x0000-0x2000 */
        E(0x4000, 0x2000, ACPI),  /* 0x4000-0x6000 */
    };
    static const struct e820entry want[] = {
        E(0, 0x2000, RES),
        E(0x2000, 0x2000, RAM),
        E(0x4000, 0x2000, ACPI),
    };

    SANITISE(in, want);
}

TEST(identical_duplicates)
{
    static const struct e820entry same[] = {
        E(0x1000, 0x1000, RAM), E(0x1000, 0x1000, RAM), E(0x1000, 0x1000, RAM),
    };
    static const struct e820entry same_want[] = { E(0x1000, 0x1000, RAM) };
    static const struct e820entry mixed[] = {
        E(0x1000, 0x1000, RAM), E(0x1000, 0x1000, ACPI), E(0x1000, 0x1000, RAM),
    };
    static const struct e820entry mixed_want[] = { E(0x1000, 0x1000, ACPI) };

    SANITISE(same, same_want);
    SANITISE(mixed, mixed_want);
}

TEST(priority_among_non_ram_types)
{
    static const struct {
        uint32_t a, b, win;
    } pairs[] = {
        { RES, ACPI, ACPI }, { ACPI, NVS, NVS }, { NVS, UNU, UNU },
        { RES, UNU, UNU },   { UNU, 12, 12 },    { RAM, 0, 0 },
        { RAM, 0xffffffff, 0xffffffff },        { 7, RES, 7 },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(pairs); i++ )
    {
        /* Both orders, overlapping in the middle. */
        struct e820entry in[] = {
            E(0, 0x3000, pairs[i].a),
            E(0x1000, 0x3000, pairs[i].b),
        };
        /* The overlap joins the side whose type won it. */
        uint64_t cut = pairs[i].win == pairs[i].a ? 0x3000 : 0x1000;
        struct e820entry want[] = {
            E(0, cut, pairs[i].a),
            E(cut, 0x4000 - cut, pairs[i].b),
        };
        struct e820entry t;

        SANITISE(in, want);
        t = in[0];
        in[0] = in[1];
        in[1] = t;
        SANITISE(in, want);
    }
}

TEST(adjacent_same_type_merged)
{
    static const struct e820entry in[] = {
        E(0x2000, 0x1000, RAM),
        E(0, 0x1000, RAM),
        E(0x1000, 0x1000, RAM),
        E(0x3000, 0x1000, RES),  /* adjacent but another type */
        E(0x4000, 0x1000, RES),
        E(0x6000, 0x1000, RES),  /* same type after a gap */
    };
    static const struct e820entry want[] = {
        E(0, 0x3000, RAM),
        E(0x3000, 0x2000, RES),
        E(0x6000, 0x1000, RES),
    };

    SANITISE(in, want);
}

TEST(overlapping_same_type_merged)
{
    static const struct e820entry in[] = {
        E(0, 0x3000, RAM),
        E(0x2000, 0x3000, RAM),
        E(0x1000, 0x1000, RAM),
    };
    static const struct e820entry want[] = { E(0, 0x5000, RAM) };

    SANITISE(in, want);
}

TEST(split_ram_rejoins_where_nothing_divides_it)
{
    /* The reserved piece of RAM becomes RAM+RAM again after its removal. */
    static const struct e820entry in[] = {
        E(0, 0x1000, RAM),
        E(0x1000, 0x1000, RAM),
        E(0x800, 0x1000, RAM),
    };
    static const struct e820entry want[] = { E(0, 0x2000, RAM) };

    SANITISE(in, want);
}

TEST(zero_sizes_dropped)
{
    static const struct e820entry in[] = {
        E(0x5000, 0, RAM),
        E(0, 0x4000, RAM),
        E(0x2000, 0, RES),      /* inside RAM: must not split it */
        E(0x4000, 0, RES),      /* at its end: must not stop a merge */
        E(0x4000, 0x1000, RAM),
        E(0, 0, 0),
    };
    static const struct e820entry want[] = { E(0, 0x5000, RAM) };
    static const struct e820entry none[] = { E(0x1000, 0, RAM) };

    SANITISE(in, want);
    load(none, ARRAY_SIZE(none));
    CHECK_EQU(e820_sanitise(map, nr), 0);
}

TEST(entry_ending_exactly_at_top)
{
    static const struct e820entry in[] = {
        E(0xffffffff00000000ULL, 0x100000000ULL, RAM),
        E(0xfffffffff0000000ULL, 0x1000, RES),
    };
    static const struct e820entry want[] = {
        E(0xffffffff00000000ULL, 0xf0000000ULL, RAM),
        E(0xfffffffff0000000ULL, 0x1000, RES),
        E(0xfffffffff0001000ULL, 0xffff000ULL, RAM),
    };

    SANITISE(in, want);
    CHECK_EQU(map[2].addr + map[2].size, 0); /* wraps: ends at 2^64 */
}

TEST(entry_past_top_is_clipped)
{
    static const struct e820entry in[] = {
        E(0xfffffffffffff000ULL, 0x2000, RES),
        E(0xffffffffffff0000ULL, TOP, RAM),
    };
    static const struct e820entry want[] = {
        E(0xffffffffffff0000ULL, 0xf000, RAM),
        E(0xfffffffffffff000ULL, 0x1000, RES),
    };

    SANITISE(in, want);
}

TEST(last_byte_of_the_space)
{
    static const struct e820entry in[] = {
        E(TOP, 1, RES),
        E(0, TOP, RAM),
    };
    static const struct e820entry want[] = {
        E(0, TOP, RAM),
        E(TOP, 1, RES),
    };

    SANITISE(in, want);
}

TEST(whole_space_loses_only_its_last_byte)
{
    /* [0, 2^64) is not expressible; the nearest is one byte short. */
    static const struct e820entry in[] = {
        E(1, TOP, RAM),
        E(0, 0x1000, RAM),
    };
    static const struct e820entry want[] = { E(0, TOP, RAM) };

    SANITISE(in, want);
}

TEST(full_table_of_disjoint_entries)
{
    struct e820entry in[E820_MAX], want[E820_MAX];
    unsigned int i;

    /* Given in descending order; a page apart so that nothing merges. */
    for ( i = 0; i < E820_MAX; i++ )
    {
        want[i] = (struct e820entry)E(i * 0x2000ULL, 0x1000,
                                      i % 3 ? RAM : RES);
        in[E820_MAX - 1 - i] = want[i];
    }
    load(in, E820_MAX);
    sanitise_expect(want, E820_MAX);
    CHECK_EQU(printk_calls(), 0);
}

TEST(full_table_merging_to_one)
{
    struct e820entry in[E820_MAX];
    static const struct e820entry want[] = {
        E(0, E820_MAX * 0x1000ULL, RAM),
    };
    unsigned int i;

    for ( i = 0; i < E820_MAX; i++ )
        in[i] = (struct e820entry)E(((i * 97) % E820_MAX) * 0x1000ULL, 0x1000,
                                    RAM);
    load(in, E820_MAX);
    sanitise_expect(want, 1);
}

TEST(more_pieces_than_room)
{
    struct e820entry in[E820_MAX];
    unsigned int i;

    /* One RAM range with 255 holes would need 511 entries. */
    in[0] = (struct e820entry)E(0, 0x100000000ULL, RAM);
    for ( i = 1; i < E820_MAX; i++ )
        in[i] = (struct e820entry)E(i * 0x10000ULL, 0x1000, RES);
    load(in, E820_MAX);
    CHECK_EQU(e820_sanitise(map, nr), E820_MAX);

    /* What is kept is exact; everything above it is left out. */
    for ( i = 0; i < E820_MAX; i++ )
    {
        const struct e820entry *e = &map[i];

        if ( i % 2 )
            CHECK_MSG(e->addr == (i / 2 + 1) * 0x10000ULL &&
                      e->size == 0x1000 && e->type == RES,
                      "entry %u: %s", i, entry_str(e));
        else
            CHECK_MSG(e->addr == (i ? (i / 2) * 0x10000ULL + 0x1000 : 0) &&
                      e->size == (i ? 0xf000 : 0x10000) && e->type == RAM,
                      "entry %u: %s", i, entry_str(e));
    }
    CHECK_EQU(printk_count("<1>Memory map: more than 256 regions; ignoring "
                           "everything from 0x801000 up\n"), 1);
}

TEST(entries_beyond_max_ignored)
{
    static struct e820entry big[E820_MAX + 10];
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(big); i++ )
        big[i] = (struct e820entry)E(i * 0x1000ULL, 0x1000,
                                     i < E820_MAX ? RAM : RES);
    CHECK_EQU(e820_sanitise(big, ARRAY_SIZE(big)), 1);
    CHECK_EQU(big[0].addr, 0);
    CHECK_EQU(big[0].size, E820_MAX * 0x1000ULL);
    CHECK_EQU(big[0].type, RAM);
}

/* A tiny random generator, so that every run tests the same maps. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned int rng(unsigned int bound)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state % bound;
}

#define UNITS 96
#define UNIT  0x1000ULL

/*
 * Random maps over 96 pages, checked against a model that decides each
 * page on its own: the highest-ranked type among the entries covering it.
 */
TEST(random_maps_match_page_model)
{
    static const uint32_t types[] = { RAM, RAM, RAM, RES, ACPI, NVS, UNU,
                                      0, 7, 12 };
    unsigned int round;

    for ( round = 0; round < 3000; round++ )
    {
        struct e820entry in[24];
        int64_t model[UNITS], got[UNITS]; /* type, or -1 for a hole */
        unsigned int n = rng(ARRAY_SIZE(in) + 1), i, u, out;

        for ( u = 0; u < UNITS; u++ )
            model[u] = got[u] = -1;

        for ( i = 0; i < n; i++ )
        {
            unsigned int start = rng(UNITS), len = rng(UNITS - start + 1);
            uint32_t type = types[rng(ARRAY_SIZE(types))];

            in[i] = (struct e820entry)E(start * UNIT, len * UNIT, type);
            for ( u = start; u < start + len; u++ )
            {
                bool beats = model[u] < 0 ||
                             (type != RAM && (model[u] == RAM ||
                                              type > (uint32_t)model[u]));

                if ( beats )
                    model[u] = type;
            }
        }

        load(in, n);
        out = e820_sanitise(map, nr);
        CHECK(out <= E820_MAX);

        for ( i = 0; i < out; i++ )
        {
            const struct e820entry *e = &map[i];

            CHECK_MSG(e->size && e->addr % UNIT == 0 && e->size % UNIT == 0,
                      "round %u: odd entry %s", round, entry_str(e));
            if ( i )
            {
                const struct e820entry *p = &map[i - 1];

                CHECK_MSG(p->addr + p->size <= e->addr,
                          "round %u: %s overlaps or precedes %s", round,
                          entry_str(p), entry_str(e));
                CHECK_MSG(p->addr + p->size < e->addr || p->type != e->type,
                          "round %u: %s and %s not merged", round,
                          entry_str(p), entry_str(e));
            }
            for ( u = e->addr / UNIT; u < (e->addr + e->size) / UNIT; u++ )
                got[u] = e->type;
        }

        for ( u = 0; u < UNITS; u++ )
            CHECK_MSG(got[u] == model[u],
                      "round %u (%u entries): page %u is %lld, model says "
                      "%lld", round, n, u, (long long)got[u],
                      (long long)model[u]);
    }
}

TEST(ram_bytes)
{
    static const struct e820entry in[] = {
        E(0, 0x9fc00, RAM),
        E(0x9fc00, 0x400, RES),
        E(0x100000, 0x3ff00000, RAM),
        E(0x40000000, 0x1000, ACPI),
        E(0x100000000ULL, 0x40000000, RAM),
    };

    CHECK_EQU(e820_ram_bytes(in, ARRAY_SIZE(in)),
              0x9fc00 + 0x3ff00000 + 0x40000000ULL);
    CHECK_EQU(e820_ram_bytes(in, 1), 0x9fc00);
    CHECK_EQU(e820_ram_bytes(in + 1, 1), 0);
}

TEST(ram_bytes_saturates)
{
    static const struct e820entry in[] = {
        E(0, 0x8000000000000000ULL, RAM),
        E(0, 0x8000000000000000ULL, RAM),
    };

    CHECK_EQU(e820_ram_bytes(in, 2), UINT64_MAX);
}

TEST(ram_bytes_after_sanitise)
{
    static const struct e820entry in[] = {
        E(0, 0x100000, RAM),
        E(0x80000, 0x100000, RAM), /* overlaps: not counted twice */
        E(0xf0000, 0x10000, RES),  /* takes 64 KiB away */
    };

    load(in, ARRAY_SIZE(in));
    nr = e820_sanitise(map, nr);
    CHECK_EQU(e820_ram_bytes(map, nr), 0x180000 - 0x10000);
}

TEST(efi_type_table)
{
    static const uint32_t want[] = {
        [0] = RES,  /* EfiReservedMemoryType */
        [1] = RAM,  /* EfiLoaderCode */
        [2] = RAM,  /* EfiLoaderData */
        [3] = RAM,  /* EfiBootServicesCode */
        [4] = RAM,  /* EfiBootServicesData */
        [5] = RES,  /* EfiRuntimeServicesCode */
        [6] = RES,  /* EfiRuntimeServicesData */
        [7] = RAM,  /* EfiConventionalMemory */
        [8] = UNU,  /* EfiUnusableMemory */
        [9] = ACPI, /* EfiACPIReclaimMemory */
        [10] = NVS, /* EfiACPIMemoryNVS */
        [11] = RES, /* EfiMemoryMappedIO */
        [12] = RES, /* EfiMemoryMappedIOPortSpace */
        [13] = RES, /* EfiPalCode */
        [14] = RES, /* EfiPersistentMemory */
        [15] = RES, /* EfiUnacceptedMemoryType, and later additions */
        [16] = RES,
    };
    uint32_t t;

    for ( t = 0; t < ARRAY_SIZE(want); t++ )
        CHECK_MSG(efi_type_to_e820(t) == want[t], "EFI type %u gave %u", t,
                  efi_type_to_e820(t));
    CHECK_EQU(efi_type_to_e820(0x70000000), RES); /* OEM range */
    CHECK_EQU(efi_type_to_e820(0x80000000), RES); /* OS range */
    CHECK_EQU(efi_type_to_e820(0xffffffff), RES);
}

TEST(type_names)
{
    CHECK_STR(e820_type_name(RAM), "RAM");
    CHECK_STR(e820_type_name(RES), "reserved");
    CHECK_STR(e820_type_name(ACPI), "ACPI data");
    CHECK_STR(e820_type_name(NVS), "ACPI NVS");
    CHECK_STR(e820_type_name(UNU), "unusable");
    CHECK_STR(e820_type_name(0), "unknown");
    CHECK_STR(e820_type_name(7), "unknown");
}

TEST(print_format)
{
    static const struct e820map m = {
        .nr_map = 5,
        .map = {
            E(0, 0x9fc00, RAM),
            E(0x9fc00, 0x400, RES),
            E(0xfed00000, 0x1000, 12),
            E(0xfffffffffffff000ULL, 0x1000, ACPI),
            E(0x100000, 0, NVS),
        },
    };

    printk_clear();
    e820_print(&m);
    CHECK_STR(printk_output(),
              " 0000000000000000 - 000000000009fbff (RAM)\n"
              " 000000000009fc00 - 000000000009ffff (reserved)\n"
              " 00000000fed00000 - 00000000fed00fff (type 12)\n"
              " fffffffffffff000 - ffffffffffffffff (ACPI data)\n"
              " 0000000000100000 - (empty) (ACPI NVS)\n");
    CHECK_EQU(printk_calls(), 5);
}

TEST(globals_sanitise_in_place)
{
    static const struct e820entry in[] = {
        E(0x100000, 0x1000, RAM),
        E(0, 0x1000, RAM),
    };

    memset(&e820_raw, 0, sizeof(e820_raw));
    memcpy(e820_raw.map, in, sizeof(in));
    e820_raw.nr_map = ARRAY_SIZE(in);
    memcpy(&e820, &e820_raw, sizeof(e820));
    e820.nr_map = e820_sanitise(e820.map, e820.nr_map);
    CHECK_EQU(e820.nr_map, 2);
    CHECK_EQU(e820.map[0].addr, 0);
    CHECK_EQU(e820.map[1].addr, 0x100000);
    /* The raw map is left as the loader gave it. */
    CHECK_EQU(e820_raw.map[0].addr, 0x100000);
}
