/* pin.h — pinning workers to processing units through hwloc.
 *
 * The topology is loaded once (eb_topology_load), outside any timed region: it
 * can take seconds on big machines. A pin plan maps worker i to a PU (OS index)
 * under a policy; workers beyond the available units wrap around and the plan
 * says so. Workers pin themselves at start (eb_pin_worker) and the PU they then
 * run on (sched_getcpu) is what the results record. */
#ifndef EB_PIN_H
#define EB_PIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum eb_pin_policy {
    EB_PIN_NONE = 0, /* the OS decides */
    EB_PIN_COMPACT,  /* one worker per physical core in order; SMT siblings after all cores */
    EB_PIN_SCATTER,  /* spread across packages / NUMA nodes / L3 first */
    EB_PIN_PU,       /* one per hardware thread, in order */
    EB_PIN_CPUSET,   /* the PUs of an explicit --cpuset list, in order */
} eb_pin_policy;

typedef struct eb_topology eb_topology; /* a loaded hwloc topology */

typedef struct eb_topology_summary {
    int packages, numa_nodes, cores, pus;
    int64_t l3_bytes; /* the first L3's size, 0 if none */
} eb_topology_summary;

typedef struct eb_pin_plan {
    eb_pin_policy policy;
    const eb_topology *topology;
    unsigned units;    /* distinct PUs the policy offers (before wrap-around) */
    bool wrapped;      /* more workers than units */
    unsigned count;    /* entries in pu_os_index */
    int pu_os_index[]; /* worker i runs on pu_os_index[i % count] */
} eb_pin_plan;

int eb_topology_load(eb_topology **out);
void eb_topology_free(eb_topology *t);
void eb_topology_summarize(const eb_topology *t, eb_topology_summary *out);

/* Parses "none", "compact", "scatter", "pu": 0 or -EINVAL. */
int eb_pin_policy_parse(const char *text, eb_pin_policy *out);
const char *eb_pin_policy_name(eb_pin_policy policy);

/* Builds the plan for `workers` workers (0 is treated as 1). For EB_PIN_CPUSET,
 * `cpuset` is a list like "0-3,6"; a PU the machine lacks gives -EINVAL and a
 * message in `why`. Free with free(). */
int eb_pin_plan_create(const eb_topology *t, eb_pin_policy policy, const char *cpuset,
                       unsigned workers, eb_pin_plan **out, char *why, size_t why_len);

/* Physical cores the plan's PUs cover (for EB_PIN_NONE, the cores this
 * process may run on): how many workers can compute at once. At least 1. */
int eb_pin_plan_cores(const eb_pin_plan *plan);

/* Binds the calling thread to worker `worker`'s PU (no-op for EB_PIN_NONE or a
 * NULL plan): 0 or -errno. */
int eb_pin_worker(const eb_pin_plan *plan, unsigned worker);

#endif
