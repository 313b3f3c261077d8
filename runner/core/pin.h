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

typedef struct eb_topology eb_topology; /* a loaded hwloc topology */

/* A pin policy: which PUs workers take, in which order. A new policy is one
 * file in runner/core/ defining a `const eb_pin_policy` (pin_policy.h gives
 * it the hwloc topology) and one line in pin_policies.c, the registry;
 * --pin, --help and --list take it from there. */
typedef struct eb_pin_policy {
    const char *name;        /* what --pin takes: "compact" */
    const char *description; /* one line for --list */
    bool pins;               /* false: the OS decides (none); nothing is bound */
    bool from_list;          /* takes --cpuset's list instead of being named by --pin */
    /* The PUs (OS indexes) the policy offers, in the order workers take them,
     * into pus[cap] (`list`: --cpuset's, for from_list policies): how many,
     * or -errno with `why`. A policy that pins nothing returns cap. */
    int (*order)(const eb_topology *t, const char *list, int *pus, int cap, char *why,
                 size_t why_len);
} eb_pin_policy;

/* The registry (pin_policies.c). */
extern const eb_pin_policy *const eb_pin_policies[];
extern const size_t eb_pin_policy_count;
/* The policy --pin names `name` (from_list policies are never found). */
const eb_pin_policy *eb_pin_policy_find(const char *name);

/* The policies the code itself names: the default, no pinning, a --cpuset list. */
extern const eb_pin_policy eb_pin_none, eb_pin_compact, eb_pin_scatter, eb_pin_pu, eb_pin_cpuset;
#define EB_PIN_NONE (&eb_pin_none)
#define EB_PIN_COMPACT (&eb_pin_compact)
#define EB_PIN_SCATTER (&eb_pin_scatter)
#define EB_PIN_PU (&eb_pin_pu)
#define EB_PIN_CPUSET (&eb_pin_cpuset)
#define EB_PIN_DEFAULT EB_PIN_COMPACT

typedef struct eb_topology_summary {
    int packages, numa_nodes, cores, pus;
    int64_t l3_bytes; /* the first L3's size, 0 if none */
} eb_topology_summary;

typedef struct eb_pin_plan {
    const eb_pin_policy *policy;
    const eb_topology *topology;
    unsigned units;    /* distinct PUs the policy offers (before wrap-around) */
    bool wrapped;      /* more workers than units */
    unsigned count;    /* entries in pu_os_index */
    int pu_os_index[]; /* worker i runs on pu_os_index[i % count] */
} eb_pin_plan;

int eb_topology_load(eb_topology **out);
void eb_topology_free(eb_topology *t);
void eb_topology_summarize(const eb_topology *t, eb_topology_summary *out);

/* Builds the plan for `workers` workers (0 is treated as 1). For a from_list
 * policy (EB_PIN_CPUSET), `cpuset` is a list like "0-3,6"; a PU the machine
 * lacks gives -EINVAL and a message in `why`. Free with free(). */
int eb_pin_plan_create(const eb_topology *t, const eb_pin_policy *policy, const char *cpuset,
                       unsigned workers, eb_pin_plan **out, char *why, size_t why_len);

/* Physical cores the plan's PUs cover (for a policy that pins nothing, the cores this
 * process may run on): how many workers can compute at once. At least 1. */
int eb_pin_plan_cores(const eb_pin_plan *plan);

/* Binds the calling thread to worker `worker`'s PU (no-op for a policy that
 * pins nothing or a NULL plan): 0 or -errno. */
int eb_pin_worker(const eb_pin_plan *plan, unsigned worker);

#endif
