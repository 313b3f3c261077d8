/* settings_rounds.h — the rounds' settings (--order interleaved): their
 * values (eb_rounds_settings, eb_settings' `rounds`) and, included inside the
 * settings table (settings.h) with EB_SETTINGS_ENTRIES defined, their
 * entries: a group's value and entry stay side by side in one file. */
#ifndef EB_SETTINGS_ENTRIES
#ifndef EB_SETTINGS_ROUNDS_H
#define EB_SETTINGS_ROUNDS_H

#include <stdint.h>

/* --order: how the repetitions of the plan's points follow one another. */
typedef enum eb_order {
    EB_ORDER_INTERLEAVED = 0, /* in rounds: one repetition of every point, shuffled */
    EB_ORDER_BLOCKED,         /* every repetition of a point, then the next point */
} eb_order;

/* The order, the stopping rule and its bounds, what counts as a disturbed
 * round (percentages in hundredths: 300 = 3%) and how many of a group's
 * disturbed rounds are run again. */
typedef struct eb_rounds_settings {
    int64_t order; /* an eb_order */
    int64_t target_ci;
    int64_t max_rounds;
    int64_t time_budget_ns;
    int64_t redo_limit;
    int64_t max_foreign_cpu, max_steal, max_probe_drift;
} eb_rounds_settings;

#endif
#else
/* clang-format off */
    {.flag = "order",
     .arg = "NAME",
     .kind = EB_SETTING_CHOICE,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(rounds.order),
     .value = EB_ORDER_INTERLEAVED,
     .choice = eb_names_order,
     .noun = "order",
     .names = eb_names_orders,
     .help = "interleaved: rounds of one repetition of each point (a process kept alive), "
             "shuffled from --seed, ratios paired within a round, the sequential point run "
             "twice (A/A: the noise floor under the table), a disturbed round set aside and run "
             "again; blocked: all repetitions of a point in a fresh process, then the next",
     .context_key = EB_KEY_ORDER},
    {.flag = "target-ci",
     .arg = "PCT",
     .kind = EB_SETTING_PERCENT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(rounds.target_ci),
     .min = 0,
     .max = 10000,
     .value = 300,
     .help = "interleaved: add rounds until each speedup's and efficiency's 95% interval is "
             "within +-PCT; 0: --repetitions rounds",
     .context_key = "target_ci_pct"},
    {.flag = "max-rounds",
     .arg = "N",
     .kind = EB_SETTING_INT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(rounds.max_rounds),
     .min = 1,
     .max = 1000,
     .value = 30,
     .help = "interleaved: rounds a group may take to meet --target-ci, {range}",
     .context_key = "max_rounds"},
    {.flag = "time-budget",
     .arg = "SECONDS",
     .kind = EB_SETTING_SECONDS,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(rounds.time_budget_ns),
     .max = 7 * 86400,
     .value = 150,
     .help = "interleaved: no round added (for --target-ci, or a redo) past this much of the "
             "run; --repetitions rounds always run",
     .context_key = "time_budget_s"},
    {.flag = "redo-limit",
     .arg = "N",
     .kind = EB_SETTING_INT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(rounds.redo_limit),
     .min = 0,
     .max = 1000,
     .value = 10,
     .help = "disturbed rounds of a group set aside and run again, {range}; beyond, kept and "
             "marked",
     .context_key = "redo_limit"},
    {.flag = "max-foreign-cpu",
     .arg = "PCT",
     .kind = EB_SETTING_PERCENT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(rounds.max_foreign_cpu),
     .min = 0,
     .max = 10000,
     .value = 1000,
     .help = "a round is disturbed when busy time not execbench's (/proc/stat less its "
             "rusage) on the CPUs it used passes PCT of their time",
     .context_key = "max_foreign_cpu_pct"},
    {.flag = "max-steal",
     .arg = "PCT",
     .kind = EB_SETTING_PERCENT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(rounds.max_steal),
     .min = 0,
     .max = 10000,
     .value = 500,
     .help = "... or their steal time passes PCT",
     .context_key = "max_steal_pct"},
    {.flag = "max-probe-drift",
     .arg = "PCT",
     .kind = EB_SETTING_PERCENT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(rounds.max_probe_drift),
     .min = 0,
     .max = 10000,
     .value = 2500,
     .help = "... or a probe of ~1 ms of sumsq on each moved by PCT from before to after it",
     .context_key = "max_probe_drift_pct"},
/* clang-format on */
#endif
