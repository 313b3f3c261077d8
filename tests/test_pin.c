/* test_pin.c — pinning maps (compact, pu, cpuset, none) and what workers
 * record: the PU each worker reports is the one its plan named, as
 * sched_getcpu saw it from inside the worker. */
#include "eb_test.h"
#include "job_fixture.h"
#include "pin.h"

#include <errno.h>
#include <hwloc.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

static eb_topology *topo;
static hwloc_topology_t hw; /* our own view, to check the plans against */

static void load(void)
{
    EB_REQUIRE(eb_topology_load(&topo) == 0);
    EB_REQUIRE(hwloc_topology_init(&hw) == 0 && hwloc_topology_load(hw) == 0);
}

static void unload(void)
{
    eb_topology_free(topo);
    hwloc_topology_destroy(hw);
}

static int core_of(int pu)
{
    hwloc_obj_t obj = hwloc_get_pu_obj_by_os_index(hw, (unsigned)pu);
    EB_REQUIRE(obj != NULL);
    hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(hw, HWLOC_OBJ_CORE, obj);
    return core != NULL ? (int)core->logical_index : pu;
}

static eb_pin_plan *plan_for(const eb_pin_policy *policy, const char *cpuset, unsigned workers)
{
    eb_pin_plan *plan = NULL;
    char why[200];
    int rc = eb_pin_plan_create(topo, policy, cpuset, workers, &plan, why, sizeof why);
    EB_REQUIRE(rc == 0);
    return plan;
}

EB_TEST(compact_gives_every_core_one_worker_before_any_sibling)
{
    load();
    int pus = hwloc_get_nbobjs_by_type(hw, HWLOC_OBJ_PU);
    int cores = hwloc_get_nbobjs_by_type(hw, HWLOC_OBJ_CORE);
    eb_pin_plan *plan = plan_for(EB_PIN_COMPACT, NULL, (unsigned)pus);
    EB_CHECK(plan->count == (unsigned)pus && plan->units == (unsigned)pus && !plan->wrapped);
    for (int i = 0; i < cores && i < (int)plan->count; i++)
        for (int j = 0; j < i; j++)
            EB_CHECKF(core_of(plan->pu_os_index[i]) != core_of(plan->pu_os_index[j]),
                      "workers %d and %d share a core before every core has one", i, j);
    EB_CHECK(eb_pin_plan_cores(plan) == cores);
    free(plan);
    plan = plan_for(EB_PIN_COMPACT, NULL, 1);
    EB_CHECK(plan->count == 1 && eb_pin_plan_cores(plan) == 1);
    free(plan);
    unload();
}

EB_TEST(pu_covers_every_hardware_thread_once)
{
    load();
    int pus = hwloc_get_nbobjs_by_type(hw, HWLOC_OBJ_PU);
    eb_pin_plan *plan = plan_for(EB_PIN_PU, NULL, (unsigned)pus + 3);
    EB_CHECK(plan->count == (unsigned)pus && plan->wrapped); /* 3 workers wrap around */
    for (unsigned i = 0; i < plan->count; i++) {
        EB_CHECK(hwloc_get_pu_obj_by_os_index(hw, (unsigned)plan->pu_os_index[i]) != NULL);
        for (unsigned j = 0; j < i; j++)
            EB_CHECK(plan->pu_os_index[i] != plan->pu_os_index[j]);
    }
    free(plan);
    unload();
}

EB_TEST(cpuset_maps_workers_in_list_order_and_refuses_missing_cpus)
{
    load();
    int last = (int)hwloc_get_obj_by_type(hw, HWLOC_OBJ_PU,
                                          (unsigned)hwloc_get_nbobjs_by_type(hw, HWLOC_OBJ_PU) - 1)
                   ->os_index;
    char list[32];
    snprintf(list, sizeof list, "%d", last);
    eb_pin_plan *plan = plan_for(EB_PIN_CPUSET, list, 3);
    EB_CHECK(plan->count == 1 && plan->pu_os_index[0] == last && plan->wrapped);
    free(plan);

    eb_pin_plan *none = NULL;
    char why[200] = "";
    EB_CHECK(eb_pin_plan_create(topo, EB_PIN_CPUSET, "4095", 1, &none, why, sizeof why) == -EINVAL);
    EB_CHECKF(strstr(why, "CPU 4095, which this machine lacks") != NULL, "%s", why);
    EB_CHECK(eb_pin_plan_create(topo, EB_PIN_CPUSET, "1-x", 1, &none, why, sizeof why) == -EINVAL);
    EB_CHECKF(strstr(why, "is not a list of CPUs") != NULL, "%s", why);
    EB_CHECK(none == NULL);
    unload();
}

/* A workload whose task records the CPU it ran on. */
static int where_run_task(eb_job *job, uint64_t task, uint64_t *result)
{
    (void)job;
    (void)task;
    *result = (uint64_t)sched_getcpu();
    return 0;
}

static int where_verify(const eb_job *job, char *why, size_t why_len)
{
    (void)job;
    (void)why;
    (void)why_len;
    return 0;
}

static const eb_workload where_workload = {
    .name = "test.where",
    .kind = EB_WORK_CPU,
    .run_task = where_run_task,
    .verify = where_verify,
};

/* Runs `tasks` where-tasks under `executor` with the plan; checks every
 * worker's recorded PU and every task's CPU against the plan. */
static void check_recorded(const char *executor, const eb_pin_plan *plan, unsigned workers)
{
    eb_job job;
    memset(&job, 0, sizeof job);
    job.workload = &where_workload;
    job.tasks = 64;
    job.workers = workers;
    job.pin = plan;
    EB_REQUIRE(eb_job_alloc(&job) == 0);
    eb_job_result out;
    memset(&out, 0, sizeof out);
    const eb_executor *e = eb_executor_find(executor);
    EB_REQUIRE(e != NULL && e->run(&job, &out) == 0);
    for (unsigned w = 0; w < job.worker_slots; w++)
        EB_CHECKF(job.worker[w].pu == plan->pu_os_index[w % plan->count],
                  "%s: worker %u recorded PU %d, its plan says %d", executor, w, job.worker[w].pu,
                  plan->pu_os_index[w % plan->count]);
    for (uint64_t t = 0; t < job.tasks; t++) {
        bool planned = false;
        for (unsigned i = 0; i < plan->count; i++)
            if ((int)job.task_result[t] == plan->pu_os_index[i]) planned = true;
        EB_CHECKF(planned, "%s: task %llu ran on CPU %d, outside the plan", executor,
                  (unsigned long long)t, (int)job.task_result[t]);
    }
    eb_job_free(&job);
}

EB_TEST(workers_record_the_pu_their_plan_named)
{
    load();
    int pus = hwloc_get_nbobjs_by_type(hw, HWLOC_OBJ_PU);
    unsigned workers = pus >= 2 ? 2 : 1;
    eb_pin_plan *compact = plan_for(EB_PIN_COMPACT, NULL, workers);
    check_recorded("sequential", compact, 1);
    check_recorded("threaded", compact, workers);
    check_recorded("multiprocess", compact, workers);
    free(compact);
    /* every worker on the last CPU: the map wraps, each task sees that CPU */
    int last = (int)hwloc_get_obj_by_type(hw, HWLOC_OBJ_PU, (unsigned)pus - 1)->os_index;
    char list[32];
    snprintf(list, sizeof list, "%d", last);
    eb_pin_plan *one = plan_for(EB_PIN_CPUSET, list, 3);
    check_recorded("threaded", one, 3);
    check_recorded("multiprocess", one, 3);
    free(one);
    unload();
}

EB_TEST(none_leaves_placement_to_the_os_and_counts_every_core)
{
    load();
    eb_pin_plan *plan = plan_for(EB_PIN_NONE, NULL, 4);
    EB_CHECK(plan->count == 0 && !plan->wrapped);
    EB_CHECK(eb_pin_plan_cores(plan) == hwloc_get_nbobjs_by_type(hw, HWLOC_OBJ_CORE));
    EB_CHECK(eb_pin_worker(plan, 0) == 0);
    free(plan);
    unload();
}

/* The topology maps no I/O plugin of hwloc's and none of the libraries they
 * pull in (libX11 for GL, libOpenCL, libxml2): every fork of a worker copies
 * what is mapped. Where libhwloc-plugins is not installed there is nothing to
 * leave out, and this holds trivially. */
EB_TEST(the_topology_loads_no_io_plugin_of_hwloc)
{
    load();
    FILE *maps = fopen("/proc/self/maps", "r");
    EB_REQUIRE(maps != NULL);
    char line[4096];
    while (fgets(line, sizeof line, maps) != NULL) {
        EB_CHECKF(strstr(line, "/hwloc/hwloc_") == NULL && strstr(line, "libOpenCL") == NULL &&
                      strstr(line, "libX11") == NULL && strstr(line, "libxml2") == NULL,
                  "mapped: %s", line);
    }
    fclose(maps);
}
