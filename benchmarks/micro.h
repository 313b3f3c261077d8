/* micro.h — the families of execbench-micro; each registers itself here, and
 * the few helpers they share (pinning, timing, percentiles). */
#ifndef EB_MICRO_H
#define EB_MICRO_H

#include "eb_bench.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void micro_sumsq_register(void);  /* micro.kernel/sumsq */
void micro_switch_register(void); /* micro.switch/<mechanism> */
void micro_spawn_register(void);  /* micro.spawn/<mechanism> */
void micro_wait_register(void);   /* micro.wait/<mechanism>/latency_us:N */
void micro_memory_register(void); /* micro.memory/<unit> */
void micro_hybrid_register(void); /* micro.hybrid/resume/<hand-off> */
void micro_gil_register(void);    /* micro.gil/handoff/interval_us:N */

/* Pins the calling thread to the first PU of usable core `core` (0 or 1, in
 * hwloc's compact order; the topology is loaded once): 0 or -errno, -ENODEV
 * when the machine has no such core. */
int micro_pin_core(unsigned core);

/* For a cross-core variant: when fewer than 2 cores are usable, marks the run
 * failed with a message saying so and returns true (the caller returns). */
bool micro_skip_without_two_cores(eb_state *s);

/* Pins to core 0; on failure marks the run failed and returns false. */
bool micro_pin_or_fail(eb_state *s, unsigned core);

/* The value below which `q` (0..1) of the n samples lie (sorts them). */
int64_t micro_percentile(int64_t *samples, size_t n, double q);

/* Marks the run failed with a printf-formatted message. */
void micro_fail(eb_state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
