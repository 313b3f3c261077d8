/* settings_mpi.h — the mpi executor's settings (--mpi-*, --rank-*): their
 * values (eb_mpi_settings, eb_settings' `mpi`) and, included inside the
 * settings table (settings.h) with EB_SETTINGS_ENTRIES defined, their
 * entries. ranks = --workers; the rest goes to mpirun and the ranks
 * (runner/executors/mpi_config.h; runner/point/point_mpi.c). Recorded in the
 * context only when given: other runs' documents are unchanged. */
#ifndef EB_SETTINGS_ENTRIES
#ifndef EB_SETTINGS_MPI_H
#define EB_SETTINGS_MPI_H

#include <stdint.h>

typedef struct eb_mpi_settings {
    const char *hostfile, *hosts, *args, *rank_executor; /* NULL: not given */
    int64_t claim, binding, rank_workers;                /* an eb_mpi_claim, an eb_mpi_binding */
} eb_mpi_settings;

#endif
#else
/* clang-format off */
    {.flag = "mpi-hostfile",
     .arg = "FILE",
     .kind = EB_SETTING_TEXT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(mpi.hostfile),
     .help = "mpi: Open MPI's hostfile (a host per line, slots=N), passed to mpirun",
     .default_text = "this host only",
     .point = true,
     .context_key = "mpi_hostfile",
     .context_if_given = true},
    {.flag = "mpi-hosts",
     .arg = "LIST",
     .kind = EB_SETTING_TEXT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(mpi.hosts),
     .help = "mpi: hosts for mpirun --host, e.g. a:2,b:2",
     .default_text = "this host only",
     .point = true,
     .context_key = "mpi_hosts",
     .context_if_given = true},
    {.flag = "mpi-args",
     .arg = "ARGS",
     .kind = EB_SETTING_TEXT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(mpi.args),
     .help = "mpi: more mpirun arguments, split at blanks, e.g. \"--mca btl tcp,self\"",
     .default_text = "none",
     .point = true,
     .context_key = "mpi_args",
     .context_if_given = true},
    {.flag = "mpi-claim",
     .arg = "NAME",
     .kind = EB_SETTING_CHOICE,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(mpi.claim),
     .value = 0,
     .choice = eb_names_mpi_claim,
     .noun = "claim",
     .help = "mpi: how ranks take tasks: dynamic (fetch-and-add on a window at rank 0) or "
             "static (rank r's contiguous block)",
     .point = true,
     .context_key = "mpi_claim",
     .context_if_given = true},
    {.flag = "mpi-binding",
     .arg = "NAME",
     .kind = EB_SETTING_CHOICE,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(mpi.binding),
     .value = 0,
     .choice = eb_names_mpi_binding,
     .noun = "binding",
     .help = "mpi: execbench (--pin per local rank through hwloc; mpirun --bind-to none) or "
             "openmpi (mpirun's own binding)",
     .point = true,
     .context_key = "mpi_binding",
     .context_if_given = true},
    {.flag = "rank-executor",
     .arg = "NAME",
     .kind = EB_SETTING_TEXT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(mpi.rank_executor),
     .names = eb_names_rank_executors,
     .check = eb_check_rank_executor,
     .help = "mpi: what runs each rank's share (MPI+X): {names}",
     .default_text = "sequential",
     .point = true,
     .context_key = "rank_executor",
     .context_if_given = true},
    {.flag = "rank-workers",
     .arg = "N",
     .kind = EB_SETTING_INT,
     .section = EB_SECTION_MEASUREMENT,
     .offset = EB_AT(mpi.rank_workers),
     .min = 0,
     .max = EB_MAX_WORKERS,
     .value = 1,
     .help = "mpi: workers of each rank's executor, {range}; 0 = unbounded (coroutine)",
     .point = true,
     .context_key = "rank_workers",
     .context_if_given = true},
/* clang-format on */
#endif
